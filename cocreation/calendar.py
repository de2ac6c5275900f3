"""Workshops as iCalendar entries (core.calendar: lasting UID, rising SEQUENCE, the
workshop's times in UTC). The online link goes only to those holding a seat."""

import icalendar
from django.utils.translation import gettext as _

from cocreation.models import Workshop
from core.calendar import calendar_of, ical_entry


def workshop_event(
    workshop: Workshop, *, with_online_link: bool = False, seat_pass_url: str = ""
) -> icalendar.Event:
    """`seat_pass_url`: for a member holding a seat, the address of their seat's QR code,
    shown at the door to check in."""
    description = workshop.description
    if with_online_link and workshop.online_link:
        description = f"{description}\n\n{workshop.online_link}".strip()
    if seat_pass_url:
        check_in = _("Your seat's QR code, to show at the door: %(url)s") % {"url": seat_pass_url}
        description = f"{description}\n\n{check_in}".strip()
    return ical_entry(
        uid_prefix="workshop",
        pk=workshop.pk,
        sequence=workshop.sequence,
        summary=workshop.title,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        stamp=workshop.rescheduled_at or workshop.created_at,
        path=workshop.get_absolute_url(),
        status="CANCELLED" if workshop.status == Workshop.Status.CANCELLED else "CONFIRMED",
        location=workshop.venue,
        description=description,
    )


def workshops_calendar(events: list[icalendar.Event], *, name: str) -> bytes:
    return calendar_of(events, name=name, product="Workshops")
