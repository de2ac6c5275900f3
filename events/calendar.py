"""Events as iCalendar entries (core.calendar: lasting UID, rising SEQUENCE, the event's
times in UTC), with the place's coordinates and the event's format."""

import icalendar

from core.calendar import calendar_of, ical_entry
from events.models import Event


def event_location(event: Event) -> str:
    parts = [event.address, event.city, event.country.name if event.country else ""]
    return ", ".join(part for part in parts if part)


def event_ical(event: Event) -> icalendar.Event:
    entry = ical_entry(
        uid_prefix="event",
        pk=event.pk,
        sequence=event.sequence,
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        stamp=event.updated_at,
        path=event.get_absolute_url(),
        location=event_location(event),
        description=event.description,
    )
    if event.has_coordinates:
        entry.add("geo", (float(event.latitude), float(event.longitude)))
    entry.add("categories", [event.get_format_display()])
    return entry


def events_calendar(entries: list[icalendar.Event], *, name: str) -> bytes:
    return calendar_of(entries, name=name, product="Events")
