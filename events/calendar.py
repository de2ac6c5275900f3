"""Events as iCalendar. An event keeps its UID for ever; every change of time or place
raises SEQUENCE, so calendar programs update the entry instead of adding one."""

from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from core.notifications.services import absolute_url
from events.models import Event


def _uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def event_location(event: Event) -> str:
    parts = [event.address, event.city, event.country.name if event.country else ""]
    return ", ".join(part for part in parts if part)


def event_ical(event: Event) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", _uid(event))
    entry.add("sequence", event.sequence)
    entry.add("summary", event.title)
    entry.add("dtstart", event.starts_at.astimezone(event.zone))
    entry.add("dtend", event.ends_at.astimezone(event.zone))
    entry.add("dtstamp", event.updated_at)
    entry.add("url", absolute_url(event.get_absolute_url()))
    location = event_location(event)
    if location:
        entry.add("location", location)
    if event.has_coordinates:
        entry.add("geo", (float(event.latitude), float(event.longitude)))
    entry.add("description", event.description)
    entry.add("categories", [event.get_format_display()])
    entry.add("status", "CONFIRMED")
    return entry


def calendar_of(entries: list[icalendar.Event], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
