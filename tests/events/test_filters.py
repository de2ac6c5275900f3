"""The calendar's filters, through the list page that visitors use."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.events import CampaignFactory, EventFactory

pytestmark = pytest.mark.django_db


def titles(client, **query):
    response = client.get(reverse("events:index"), query)
    assert response.status_code == 200
    return sorted(event.title for event in response.context["page"])


def test_only_published_upcoming_events_by_default(client):
    EventFactory(title="Published")
    EventFactory(title="Waiting for review", status="submitted")
    EventFactory(title="Rejected", status="rejected")
    past = timezone.now() - timedelta(days=3)
    EventFactory(title="Last week", starts_at=past, ends_at=past + timedelta(hours=2))

    assert titles(client) == ["Published"]
    assert titles(client, when="past") == ["Last week"]
    assert titles(client, when="all") == ["Last week", "Published"]


def test_campaign_country_city_and_format(client):
    week = CampaignFactory(slug="open-gov-week-2026", name="Open Gov Week 2026")
    EventFactory(title="Athens debate", campaign=week, format="public_debate")
    EventFactory(
        title="Lisbon seminar", campaign=week, city="Lisbon", country="PT", format="seminar"
    )
    EventFactory(title="Other campaign in Athens", format="public_debate")

    assert titles(client, campaign="open-gov-week-2026") == ["Athens debate", "Lisbon seminar"]
    assert titles(client, country="PT") == ["Lisbon seminar"]
    assert titles(client, city="athens") == ["Athens debate", "Other campaign in Athens"]
    assert titles(client, format="public_debate", campaign="open-gov-week-2026") == [
        "Athens debate"
    ]


def test_the_country_list_offers_only_countries_with_events(client):
    EventFactory(country="PT", city="Porto")
    EventFactory(country="RS", city="Belgrade", status="submitted")

    choices = dict(
        client.get(reverse("events:index")).context["filter"].form["country"].field.choices
    )

    assert "PT" in choices and "RS" not in choices


def test_a_date_range_keeps_the_events_that_overlap_it(client):
    day = timezone.localdate() + timedelta(days=20)

    def on(days, title, hours=2):
        starts_at = timezone.make_aware(
            timezone.datetime.combine(day + timedelta(days=days), timezone.datetime.min.time())
        ) + timedelta(hours=10)
        EventFactory(title=title, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours))

    on(-1, "The day before")
    on(0, "First day")
    on(2, "Third day")
    on(3, "After")

    assert titles(client, start=day.isoformat(), end=(day + timedelta(days=2)).isoformat()) == [
        "First day",
        "Third day",
    ]
    assert titles(client, start=(day + timedelta(days=3)).isoformat()) == ["After"]


def test_online_keeps_online_and_hybrid_events(client):
    EventFactory(title="In person")
    EventFactory(
        title="Webinar", attendance="online", city="", country="", latitude=None, longitude=None
    )
    EventFactory(title="Hybrid", attendance="hybrid")

    assert titles(client, online="on") == ["Hybrid", "Webinar"]


def test_a_wrong_value_is_ignored_not_an_error(client):
    EventFactory(title="Published")

    assert titles(client, country="XX", start="not-a-date", format="rave") == ["Published"]


def test_the_map_and_the_feed_links_keep_the_filters(client):
    response = client.get(
        reverse("events:index"), {"country": "GR", "when": "upcoming", "page": "1"}
    )

    assert response.context["map_url"] == "/events/map/?country=GR&when=upcoming"
    # The feed's own default keeps the last weeks' events in subscribers' calendars.
    assert response.context["ics_url"] == "/events/calendar.ics?country=GR"
