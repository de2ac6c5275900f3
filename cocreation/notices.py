"""The notices co-creation sends: seats, changes to a workshop, reminders, responses."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cocreation.calendar import workshop_event, workshops_calendar
from cocreation.models import CoCreationProcess, Contribution, Registration, Workshop
from cocreation.seat_pass import qr_png, seat_pass_url
from core.notifications.kinds import notice_forum_register, notice_kind_register
from core.notifications.timings import reminder_hours_register


def _workshop_ics(workshop, recipient) -> list[tuple[str, bytes, str]]:
    """The workshop as a calendar entry, with its online link: for those holding a seat;
    a confirmed seat's QR code too, as a PNG beside it, and a link to it in the entry."""
    if not isinstance(workshop, Workshop):
        return []
    seat = (
        Registration.objects.filter(
            workshop=workshop, member=recipient, status=Registration.Status.CONFIRMED
        ).first()
        if getattr(recipient, "pk", None)
        else None
    )
    language = getattr(recipient, "preferred_language", "") or translation.get_language()
    with translation.override(language):
        url = seat_pass_url(seat) if seat is not None else ""
        entry = workshop_event(workshop, with_online_link=True, seat_pass_url=url)
        files = [
            (
                f"workshop-{workshop.pk}.ics",
                workshops_calendar([entry], name=workshop.title),
                "text/calendar",
            )
        ]
    if seat is not None:
        files.append((f"seat-{seat.seat_code}.png", qr_png(url), "image/png"))
    return files


REGISTRATION_CONFIRMED = notice_kind_register(
    "registration_confirmed",
    _("Your workshop seat is confirmed"),
    essential=True,
    attachments=_workshop_ics,
)
REGISTRATION_WAITING = notice_kind_register(
    "registration_waiting", _("You are on a workshop's waiting list"), essential=True
)
# What a registration tells the member: their texts are read before the workshop's lock.
REGISTRATION_KINDS = [REGISTRATION_CONFIRMED, REGISTRATION_WAITING]
WAITING_LIST_PROMOTED = notice_kind_register(
    "waiting_list_promoted",
    _("You moved from the waiting list to a seat"),
    essential=True,
    attachments=_workshop_ics,
)
WORKSHOP_RESCHEDULED = notice_kind_register(
    "workshop_rescheduled",
    _("A workshop you registered for was moved"),
    essential=True,
    attachments=_workshop_ics,
)
WORKSHOP_CANCELLED = notice_kind_register(
    "workshop_cancelled", _("A workshop you registered for was cancelled"), essential=True
)
# A forum's new workshop, announced to the forum's members when the secretariat publishes
# it: not essential, so a member turns its e-mail off on the preferences page.
WORKSHOP_ANNOUNCED = notice_kind_register(
    "workshop_announced", _("A new workshop in a forum you take part in")
)
WORKSHOP_REMINDER = notice_kind_register(
    "workshop_reminder", _("Reminder of a workshop you registered for")
)
# What a forum's secretariat writes to the people registered for a workshop (all of them,
# one stakeholder group or the waiting list): essential, since it is about a workshop they
# took a place in (a new room, what to bring), as the notices of a reschedule are.
REGISTRANTS_MESSAGE = notice_kind_register(
    "registrants_message",
    _("A message about a workshop you registered for"),
    essential=True,
)
CONTRIBUTION_RESPONDED = notice_kind_register(
    "contribution_responded", _("A reasoned response to your contribution")
)
CONTRIBUTION_HIDDEN = notice_kind_register(
    "contribution_hidden", _("Your contribution was hidden by the facilitators"), essential=True
)

WORKSHOP_REMINDER_HOURS = reminder_hours_register(
    "workshop_reminder_hours",
    _("workshop reminders (hours before the start)"),
    default="48,2",
    help_text=_("A workshop can set its own; this is the default."),
)

# Where a notice about these belongs, for the digests grouped by forum.
notice_forum_register(CoCreationProcess, "forum__name")
notice_forum_register(Workshop, "process__forum__name")
notice_forum_register(Registration, "workshop__process__forum__name")
notice_forum_register(Contribution, "workshop__process__forum__name")
