"""The notices the events calendar sends: decisions on an event, places, reminders."""

from django.utils.translation import gettext_lazy as _

from core.notifications.kinds import notice_forum_register, notice_kind_register
from core.notifications.timings import reminder_hours_register
from events.calendar import event_ical, events_calendar
from events.models import Event, EventRegistration


def _event_ics(event, recipient) -> list[tuple[str, bytes, str]]:
    """The event as a calendar entry, for those holding a place."""
    if not isinstance(event, Event):
        return []
    return [
        (
            f"event-{event.pk}.ics",
            events_calendar([event_ical(event)], name=event.title),
            "text/calendar",
        )
    ]


EVENT_APPROVED = notice_kind_register(
    "event_approved", _("Your event was approved"), essential=True
)
EVENT_REJECTED = notice_kind_register(
    "event_rejected", _("Your event was rejected"), essential=True
)
EVENT_REMINDER = notice_kind_register(
    "event_reminder", _("Reminder of an event you registered for")
)
EVENT_REGISTRATION_CONFIRMED = notice_kind_register(
    "event_registration_confirmed",
    _("Your place at an event is confirmed"),
    essential=True,
    attachments=_event_ics,
)
EVENT_REGISTRATION_WAITING = notice_kind_register(
    "event_registration_waiting", _("You are on an event's waiting list"), essential=True
)
EVENT_PLACE_PROMOTED = notice_kind_register(
    "event_place_promoted",
    _("You moved from an event's waiting list to a place"),
    essential=True,
    attachments=_event_ics,
)

EVENT_REMINDER_HOURS = reminder_hours_register(
    "event_reminder_hours", _("event reminders (hours before the start)"), default="24"
)

# Where a notice about these belongs, for the digests grouped by forum.
notice_forum_register(Event, "forum__name")
notice_forum_register(EventRegistration, "event__forum__name")
