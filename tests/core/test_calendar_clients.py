"""Every calendar the portal serves, read back by a second, independent parser (vobject,
which, like Thunderbird's ical.js, read time-zone blocks wrongly and showed entries an hour
off): each entry starts and ends when its page says, in winter and in summer."""

import re
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.core.management import call_command

from cocreation.models import CalendarFeed, Workshop
from events.models import Event, EventCalendarFeed
from members.models import User
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory
from tests.factories.events import EventFactory, EventRegistrationFactory

pytestmark = pytest.mark.django_db

TIME = re.compile(r'<time datetime="([^"]+)"')


def entries(client, url) -> dict[str, tuple[datetime, datetime]]:
    """The feed at `url` as vobject reads it: UID -> (start, end)."""
    response = client.get(url)
    assert response.status_code == 200, url
    calendar = vobject.readOne(response.content.decode())
    return {
        event.uid.value: (event.dtstart.value, event.dtend.value)
        for event in calendar.contents.get("vevent", [])
    }


def page_times(client, url) -> tuple[datetime, datetime]:
    """The start and end a detail page shows, from its <time datetime> elements."""
    start, end = TIME.findall(client.get(url).content.decode())[:2]
    return datetime.fromisoformat(start), datetime.fromisoformat(end)


def assert_as_on_pages(client, feed: dict, objects) -> None:
    by_uid = {f"{prefix}-{item.pk}@127.0.0.1": item for prefix, item in objects}
    assert feed, "an empty feed proves nothing"
    for uid, (start, end) in feed.items():
        shown = page_times(client, by_uid[uid].get_absolute_url())
        assert (start, end) == shown, f"{uid}: the calendar says {start}–{end}, the page {shown}"


def test_every_demo_feed_reads_as_its_pages_say(client):
    call_command("demo_data", stdout=StringIO())
    workshops = [("workshop", w) for w in Workshop.objects.exclude(status="draft")]
    events = [("event", e) for e in Event.objects.filter(status="approved")]
    zones = {item.time_zone for _prefix, item in workshops + events}
    assert {"Europe/Kyiv", "Europe/Lisbon", "Europe/Athens"} <= zones  # the zones once an hour off

    assert_as_on_pages(client, entries(client, "/events/calendar.ics?when=all"), events)
    for _prefix, event in events:
        assert_as_on_pages(client, entries(client, f"/events/{event.pk}/calendar.ics"), events)
    for _prefix, workshop in workshops:
        feed = entries(client, f"/workshops/{workshop.pk}/calendar.ics")
        assert_as_on_pages(client, feed, workshops)
    member = User.objects.get(email="member@demo.example.org")
    client.force_login(member)
    client.get("/workshops/calendar/")  # makes the private feeds
    client.get("/events/my-calendar/")
    client.logout()
    workshop_feed = CalendarFeed.objects.get(member=member).token
    event_feed = EventCalendarFeed.objects.get(member=member).token
    assert_as_on_pages(
        client, entries(client, f"/workshops/calendar/{workshop_feed}.ics"), workshops
    )
    assert_as_on_pages(client, entries(client, f"/events/my-calendar/{event_feed}.ics"), events)


@pytest.mark.parametrize(
    ("zone", "local"),
    [
        ("Europe/Kyiv", datetime(2027, 7, 15, 10, 0)),  # summer time, UTC+3
        ("Europe/Kyiv", datetime(2027, 1, 15, 10, 0)),  # winter time, UTC+2
        ("Europe/Lisbon", datetime(2027, 7, 15, 18, 30)),
        ("America/Sao_Paulo", datetime(2027, 1, 15, 9, 0)),  # no daylight saving any more
    ],
)
def test_a_summer_or_winter_entry_starts_at_the_local_time_the_page_shows(client, zone, local):
    starts_at = local.replace(tzinfo=ZoneInfo(zone))
    event = EventFactory(
        time_zone=zone, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)
    )
    workshop = WorkshopFactory(
        time_zone=zone, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3)
    )

    [(event_start, _end)] = entries(client, f"/events/{event.pk}/calendar.ics").values()
    [(workshop_start, _end)] = entries(client, f"/workshops/{workshop.pk}/calendar.ics").values()

    assert event_start == workshop_start == starts_at  # the same instant
    assert event_start.astimezone(ZoneInfo(zone)).time() == local.time()
    assert page_times(client, event.get_absolute_url())[0] == starts_at


def test_my_events_feed_lists_my_places_and_answers_304_while_nothing_changed(client):
    member = UserFactory()
    mine = EventRegistrationFactory(member=member, event__title="Open budgets night").event
    waiting = EventRegistrationFactory(member=member, status="waiting").event
    EventRegistrationFactory(member=member, status="cancelled", event__title="Dropped")
    EventFactory(title="Someone else's")
    client.force_login(member)

    page = client.get("/events/my-calendar/").content.decode()
    token = EventCalendarFeed.objects.get(member=member).token
    assert f"/events/my-calendar/{token}.ics" in page
    client.logout()  # calendar programs send no cookies
    url = f"/events/my-calendar/{token}.ics"
    feed = entries(client, url)
    assert set(feed) == {f"event-{mine.pk}@127.0.0.1", f"event-{waiting.pk}@127.0.0.1"}

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    RegistrationFactory(member=member)  # a workshop seat changes nothing here
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    mine.starts_at += timedelta(hours=1)
    mine.sequence += 1
    mine.save()
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_a_new_address_stops_the_old_one(client):
    member = UserFactory()
    client.force_login(member)
    client.get("/events/my-calendar/")
    old = EventCalendarFeed.objects.get(member=member).token

    response = client.post("/events/my-calendar/", follow=True)

    assert "new address" in response.content.decode()
    assert client.get(f"/events/my-calendar/{old}.ics").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/events/my-calendar/%00.ics",
        "/workshops/calendar/%00.ics",
        "/events/my-calendar/" + "x" * 65 + ".ics",
        "/workshops/calendar/a%20b.ics",
    ],
)
def test_a_malformed_feed_address_is_a_404(client, url):
    assert client.get(url).status_code == 404
