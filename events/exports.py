"""An event's registrations as CSV for its organiser (streamed by core.responses, which
also keeps cells from running as formulas)."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from events.models import EventRegistration

COLUMNS = [
    "name",
    "email",
    "organisation",
    "status",
    "waiting_position",
    "registered",
    "accessibility_needs",
    "guest",
]


def registration_header() -> list[str]:
    return [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Status"),
        _("Place on the waiting list"),
        _("Registered"),
        _("Accessibility needs"),
        _("Guest without an account"),
    ]


def registration_records(*, event, registrations: Iterable[EventRegistration]) -> Iterator[dict]:
    position = 0
    for registration in registrations:
        waiting = registration.status == EventRegistration.Status.WAITING
        if waiting:
            position += 1
        member = registration.member
        yield {
            "name": member.full_name if member else registration.person_name,
            "email": registration.person_email,
            "organisation": member.organisation.name if member and member.organisation else "",
            "status": registration.get_status_display(),
            "waiting_position": position if waiting else "",
            "registered": registration.created_at.astimezone(event.zone).isoformat(
                timespec="minutes"
            ),
            "accessibility_needs": registration.accessibility_needs,
            "guest": "" if member else _("yes"),
        }
