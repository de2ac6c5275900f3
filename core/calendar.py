"""iCalendar for anything that happens at a time (workshops, events). An entry keeps its UID
for ever; every change of time or place raises SEQUENCE, so calendar programs update the
entry instead of adding one. Times are written in the entry's own zone, with its VTIMEZONE."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.http import HttpResponse

from core.notifications.services import absolute_url


def ical_entry(
    *,
    uid_prefix: str,
    pk: int,
    sequence: int,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    zone: ZoneInfo,
    stamp: datetime,
    path: str,
    status: str = "CONFIRMED",
    location: str = "",
    description: str = "",
) -> icalendar.Event:
    """One VEVENT: `uid_prefix` and `pk` make its lasting UID, `path` its link."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    entry = icalendar.Event()
    entry.add("uid", f"{uid_prefix}-{pk}@{host}")
    entry.add("sequence", sequence)
    entry.add("summary", summary)
    entry.add("dtstart", starts_at.astimezone(zone))
    entry.add("dtend", ends_at.astimezone(zone))
    entry.add("dtstamp", stamp)
    entry.add("url", absolute_url(path))
    if location:
        entry.add("location", location)
    if description:
        entry.add("description", description)
    entry.add("status", status)
    return entry


def calendar_of(entries: list[icalendar.Event], *, name: str, product: str) -> bytes:
    """A calendar named `name` holding `entries`, with the time zones they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ical_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A .ics download (`inline` for a feed that calendar programs subscribe to)."""
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
