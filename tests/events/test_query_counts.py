"""Each list of the events app costs the same number of queries for 10 and for 100 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.events import (
    CampaignFactory,
    EventFactory,
    EventRegistrationFactory,
    GuestRegistrationFactory,
)

pytestmark = pytest.mark.django_db


def fetch(client, url):
    response = client.get(url)
    if response.streaming:  # a streamed CSV runs its queries while it is read
        b"".join(response.streaming_content)
    return response


def same_queries(client, url, make, django_assert_num_queries):
    make(10)
    fetch(client, url)  # warm the per-process caches (content types, sites)
    with CaptureQueriesContext(connection) as few:
        first = fetch(client, url)
    assert first.status_code == 200
    make(90)
    with django_assert_num_queries(len(few.captured_queries)):
        response = fetch(client, url)
    assert response.status_code == 200
    return response


def events(**kwargs):
    campaign = CampaignFactory(slug="open-gov-week-2026")

    def make(count):
        for index in range(count):
            event = EventFactory(
                campaign=campaign,
                country=["GR", "PT", "UA"][index % 3],
                registration_required=index % 2 == 0,
                capacity=5 if index % 4 == 0 else None,
                **kwargs,
            )
            if index % 2 == 0:
                EventRegistrationFactory(event=event)

    return make


@pytest.mark.parametrize("name", ["events:index", "events:map", "events:calendar"])
def test_the_calendar_views(client, name, django_assert_num_queries):
    response = same_queries(
        client,
        reverse(name) + "?campaign=open-gov-week-2026&when=upcoming",
        events(),
        django_assert_num_queries,
    )
    if name == "events:map":
        assert len(response.context["map_data"]["events"]) == 100


def test_the_review_queue(client, secretariat, django_assert_num_queries):
    client.force_login(secretariat)

    same_queries(
        client, reverse("events:queue"), events(status="submitted"), django_assert_num_queries
    )


def test_the_organisers_page(client, django_assert_num_queries):
    organiser = UserFactory()
    client.force_login(organiser)

    response = same_queries(
        client, reverse("events:mine"), events(organiser=organiser), django_assert_num_queries
    )
    assert len(response.context["events"]) == 100


@pytest.mark.parametrize("name", ["events:registrations", "events:registrations_csv"])
def test_an_events_registrations(client, name, django_assert_num_queries):
    event = EventFactory(registration_required=True)
    client.force_login(event.organiser)

    def make(count):
        for index in range(count):
            if index % 3 == 2:  # guests without an account, beside the members
                GuestRegistrationFactory(event=event, status=["confirmed", "waiting"][index % 2])
            else:
                EventRegistrationFactory(event=event, status=["confirmed", "waiting"][index % 2])

    same_queries(client, reverse(name, args=[event.pk]), make, django_assert_num_queries)
