"""An event's registrations as CSV, streamed row by row."""

import csv
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from events.models import EventRegistration

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Neutralise CSV formula injection: a text cell that a spreadsheet would evaluate is
    prefixed with an apostrophe, so it shows as typed."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def registration_rows(*, event, registrations: Iterable[EventRegistration]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte order mark, so spreadsheets read the names in UTF-8
    yield writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Organisation"),
            _("Status"),
            _("Place on the waiting list"),
            _("Registered"),
            _("Accessibility needs"),
        ]
    )
    position = 0
    for registration in registrations:
        waiting = registration.status == EventRegistration.Status.WAITING
        if waiting:
            position += 1
        member = registration.member
        yield writer.writerow(
            [
                safe_cell(member.get_full_name()),
                safe_cell(member.email),
                safe_cell(member.organisation.name if member.organisation else ""),
                safe_cell(registration.get_status_display()),
                position if waiting else "",
                registration.created_at.astimezone(event.zone).isoformat(timespec="minutes"),
                safe_cell(registration.accessibility_needs),
            ]
        )
