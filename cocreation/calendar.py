"""Workshops as iCalendar events. A workshop keeps its UID for ever; every reschedule or
cancellation raises SEQUENCE, so calendar programs update the event instead of adding one."""

from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from cocreation.models import Workshop
from core.notifications.services import absolute_url


def _uid(workshop: Workshop) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"workshop-{workshop.pk}@{host}"


def workshop_event(workshop: Workshop, *, with_online_link: bool = False) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", _uid(workshop))
    event.add("sequence", workshop.sequence)
    event.add("summary", workshop.title)
    event.add("dtstart", workshop.starts_at.astimezone(workshop.zone))
    event.add("dtend", workshop.ends_at.astimezone(workshop.zone))
    event.add("dtstamp", workshop.rescheduled_at or workshop.created_at)
    event.add("url", absolute_url(workshop.get_absolute_url()))
    if workshop.venue:
        event.add("location", workshop.venue)
    description = workshop.description
    if with_online_link and workshop.online_link:
        description = f"{description}\n\n{workshop.online_link}".strip()
    if description:
        event.add("description", description)
    event.add(
        "status", "CANCELLED" if workshop.status == Workshop.Status.CANCELLED else "CONFIRMED"
    )
    return event


def calendar_of(events: list[icalendar.Event], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
