"""iCalendar: a feed for every filtered view of the calendar, and one file per event."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def feed(client, **query):
    response = client.get(reverse("events:calendar"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar):
    return sorted(str(entry["SUMMARY"]) for entry in calendar.walk("VEVENT"))


def test_the_feed_takes_the_list_page_filters(client):
    EventFactory(title="Athens debate")
    EventFactory(title="Lisbon seminar", city="Lisbon", country="PT", time_zone="Europe/Lisbon")
    EventFactory(title="Not yet reviewed", status="submitted")

    assert summaries(feed(client)) == ["Athens debate", "Lisbon seminar"]
    assert summaries(feed(client, country="PT")) == ["Lisbon seminar"]


def test_the_feed_keeps_recent_past_events_so_calendars_keep_them(client):
    last_week = timezone.now() - timedelta(days=7)
    long_ago = timezone.now() - timedelta(days=200)
    EventFactory(title="Last week", starts_at=last_week, ends_at=last_week + timedelta(hours=2))
    EventFactory(title="Long ago", starts_at=long_ago, ends_at=long_ago + timedelta(hours=2))
    EventFactory(title="Next week")

    assert summaries(feed(client)) == ["Last week", "Next week"]
    assert summaries(feed(client, when="upcoming")) == ["Next week"]
    assert summaries(feed(client, when="all")) == ["Last week", "Long ago", "Next week"]


def test_an_entry_has_the_event_time_in_utc_place_and_link(client, settings):
    settings.SITE_URL = "https://forum.example.org"
    event = EventFactory(title="Athens debate", address="City Hall")

    [entry] = feed(client).walk("VEVENT")

    assert str(entry["UID"]) == f"event-{event.pk}@forum.example.org"
    assert entry["DTSTART"].dt == event.starts_at
    # In UTC: calendar programs show it in the reader's zone; no time-zone block to misread.
    assert entry["DTSTART"].dt.utcoffset() == timedelta(0)
    assert "TZID" not in entry["DTSTART"].params
    assert str(entry["LOCATION"]) == "City Hall, Athens, Greece"
    assert str(entry["URL"]) == f"https://forum.example.org/events/{event.pk}/"
    assert entry["GEO"].latitude == pytest.approx(37.9755)


def test_moving_an_event_keeps_its_uid_and_raises_its_sequence(client):
    event = EventFactory()
    [before] = feed(client).walk("VEVENT")
    later = event.starts_at + timedelta(days=1)

    services.event_edit(
        event=event,
        fields={"starts_at": later, "ends_at": later + timedelta(hours=1)},
        by=event.organiser,
    )

    [after] = feed(client).walk("VEVENT")
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt == later


def test_one_event_as_a_file(client):
    event = EventFactory(title="Athens debate")

    response = client.get(reverse("events:event_ics", args=[event.pk]))

    assert response.status_code == 200
    assert f'filename="event-{event.pk}.ics"' in response["Content-Disposition"]
    assert summaries(icalendar.Calendar.from_ical(response.content)) == ["Athens debate"]


def test_an_event_not_published_has_no_file(client):
    event = EventFactory(status="submitted")

    assert client.get(reverse("events:event_ics", args=[event.pk])).status_code == 404
