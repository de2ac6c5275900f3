"""iCalendar for anything that happens at a time (workshops, events). An entry keeps its UID
for ever; every change of time or place raises SEQUENCE, so calendar programs update the
entry instead of adding one.

Times are written in UTC. Calendar programs show them in the reader's own zone, and the
portal's pages show them in the entry's zone, named. Time-zone blocks (VTIMEZONE) are not
read alike: icalendar writes each observance as one RDATE holding many dates, and
Thunderbird's ical.js and vobject read only the first date, freezing every zone at a 1970s
offset, so entries showed one hour off. UTC has no such block to misread.
"""

import hashlib
import secrets
from datetime import UTC, datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from core.site import absolute_url


def calendar_token() -> str:
    """The secret in a private feed's address (calendar programs send no cookies)."""
    return secrets.token_urlsafe(24)


def private_feed_of(model, *, member):
    """`member`'s private feed of `model` (a model with `member` and `token`), made on first
    use."""
    feed, _created = model.objects.get_or_create(member=member)
    return feed


def private_feed_renew(model, *, member):
    """A new secret address for `member`'s feed of `model`; the old one stops working."""
    feed = private_feed_of(model, member=member)
    feed.token = calendar_token()
    feed.save(update_fields=["token"])
    return feed


def ical_entry(
    *,
    uid_prefix: str,
    pk: int,
    sequence: int,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
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
    entry.add("dtstart", starts_at.astimezone(UTC))
    entry.add("dtend", ends_at.astimezone(UTC))
    entry.add("dtstamp", stamp.astimezone(UTC))
    entry.add("url", absolute_url(path))
    if location:
        entry.add("location", location)
    if description:
        entry.add("description", description)
    entry.add("status", status)
    return entry


def calendar_of(entries: list[icalendar.Event], *, name: str, product: str) -> bytes:
    """A calendar named `name` holding `entries`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(entry)
    return calendar.to_ical()


def ical_response(request, content: bytes, filename: str, *, inline: bool = False):
    """A .ics file (`inline` for a feed that calendar programs subscribe to), with an ETag:
    a program asking again with If-None-Match gets 304 while nothing changed."""
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = etag
    return response
