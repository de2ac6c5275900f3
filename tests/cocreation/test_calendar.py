from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse

from cocreation.models import CalendarFeed
from cocreation.services import workshop_cancel, workshop_reschedule
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

START = datetime(2027, 5, 4, 13, 0, tzinfo=UTC)


def events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_a_workshop_downloads_as_an_ics_event_at_its_instant_in_utc(client):
    workshop = WorkshopFactory(
        title="Open data", starts_at=START, ends_at=START + timedelta(hours=2)
    )

    (event,) = events(client.get(reverse("cocreation:workshop_ics", args=[workshop.pk])))

    assert str(event["summary"]) == "Open data"
    assert event.decoded("dtstart") == START
    assert event.decoded("dtstart").utcoffset() == timedelta(0)  # no time-zone block to misread
    assert int(event["sequence"]) == 0


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence(client):
    workshop = WorkshopFactory(starts_at=START, ends_at=START + timedelta(hours=2))
    url = reverse("cocreation:workshop_ics", args=[workshop.pk])
    (before,) = events(client.get(url))

    workshop_reschedule(
        workshop=workshop,
        starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=1, hours=2),
        by=UserFactory(roles=["secretariat"]),
    )
    (after,) = events(client.get(url))

    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) == 1
    assert after.decoded("dtstart") == START + timedelta(days=1)


def test_my_feed_lists_my_workshops_with_the_link_only_where_i_am_seated(client):
    seated = RegistrationFactory(
        workshop=WorkshopFactory(title="Seated", online_link="https://meet.example.org/a")
    )
    member = seated.member
    RegistrationFactory(
        workshop=WorkshopFactory(title="Waiting", online_link="https://meet.example.org/b"),
        member=member,
        status="waiting",
    )
    WorkshopFactory(title="Not mine")
    feed = CalendarFeed.objects.create(member=member)

    response = client.get(reverse("cocreation:my_workshops_feed", args=[feed.token]))

    by_title = {str(event["summary"]): event for event in events(response)}
    assert set(by_title) == {"Seated", "Waiting"}
    assert "https://meet.example.org/a" in str(by_title["Seated"]["description"])
    assert "https://meet.example.org/b" not in str(by_title["Waiting"].get("description", ""))


def test_a_cancelled_workshop_stays_in_the_feed_as_cancelled(client):
    registration = RegistrationFactory()
    workshop_cancel(
        workshop=registration.workshop, reason="", by=UserFactory(roles=["secretariat"])
    )
    feed = CalendarFeed.objects.create(member=registration.member)

    (event,) = events(client.get(reverse("cocreation:my_workshops_feed", args=[feed.token])))

    assert str(event["status"]) == "CANCELLED"


def test_a_new_address_replaces_the_old_one(client):
    member = UserFactory()
    client.force_login(member)
    page = client.get(reverse("cocreation:calendar_subscribe")).content.decode()
    old = CalendarFeed.objects.get(member=member).token
    assert old in page

    response = client.post(reverse("cocreation:calendar_subscribe"), follow=True)

    assert "the old one no longer works" in response.content.decode()
    assert client.get(reverse("cocreation:my_workshops_feed", args=[old])).status_code == 404


def test_an_unknown_feed_address_is_not_found(client):
    assert client.get(reverse("cocreation:my_workshops_feed", args=["nope"])).status_code == 404
