"""Every kind of notification the portal sends, and which of them members cannot turn off."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MEMBERSHIP_APPROVED = "membership_approved", _("Your membership was approved")
    MEMBERSHIP_REJECTED = "membership_rejected", _("Your membership was rejected")
    MEMBERSHIP_INFORMATION_REQUESTED = (
        "membership_information_requested",
        _("The secretariat needs more information about your membership"),
    )
    REGISTRATION_CONFIRMED = "registration_confirmed", _("Your workshop seat is confirmed")
    REGISTRATION_WAITING = "registration_waiting", _("You are on a workshop's waiting list")
    WAITING_LIST_PROMOTED = "waiting_list_promoted", _("You moved from the waiting list to a seat")
    WORKSHOP_RESCHEDULED = "workshop_rescheduled", _("A workshop you registered for was moved")
    WORKSHOP_CANCELLED = "workshop_cancelled", _("A workshop you registered for was cancelled")
    WORKSHOP_REMINDER = "workshop_reminder", _("Reminder of a workshop you registered for")
    CONTRIBUTION_RESPONDED = "contribution_responded", _("A reasoned response to your contribution")
    COMMITMENT_COMMENTED = "commitment_commented", _("A comment on a commitment you co-draft")
    COMMENT_RESPONDED = (
        "comment_responded",
        _("A reasoned response to your comment on a commitment"),
    )
    EVENT_APPROVED = "event_approved", _("Your event was approved")
    EVENT_REJECTED = "event_rejected", _("Your event was rejected")
    EVENT_REMINDER = "event_reminder", _("Reminder of an event you registered for")
    EVENT_REGISTRATION_CONFIRMED = (
        "event_registration_confirmed",
        _("Your place at an event is confirmed"),
    )
    EVENT_REGISTRATION_WAITING = (
        "event_registration_waiting",
        _("You are on an event's waiting list"),
    )
    EVENT_PLACE_PROMOTED = (
        "event_place_promoted",
        _("You moved from an event's waiting list to a place"),
    )
    MILESTONE_DUE = "milestone_due", _("A milestone of your organisation is due soon")
    MILESTONE_OVERDUE = "milestone_overdue", _("A milestone of your organisation is overdue")
    MILESTONE_OVERDUE_ESCALATION = (
        "milestone_overdue_escalation",
        _("A milestone is long overdue (secretariat)"),
    )
    CONSULTATION_CLOSING = "consultation_closing", _("A public consultation closes soon")
    HEALTH_DIGEST = (
        "health_digest",
        _("Weekly digest of what is at risk in the forum's health (secretariat)"),
    )


# Account, registrations (workshops and events), changes to a workshop and the decision on
# an event one submitted always go by e-mail.
ESSENTIAL = frozenset(
    {
        Kind.MEMBERSHIP_APPROVED,
        Kind.MEMBERSHIP_REJECTED,
        Kind.MEMBERSHIP_INFORMATION_REQUESTED,
        Kind.REGISTRATION_CONFIRMED,
        Kind.REGISTRATION_WAITING,
        Kind.WAITING_LIST_PROMOTED,
        Kind.WORKSHOP_RESCHEDULED,
        Kind.WORKSHOP_CANCELLED,
        Kind.EVENT_APPROVED,
        Kind.EVENT_REJECTED,
        Kind.EVENT_REGISTRATION_CONFIRMED,
        Kind.EVENT_REGISTRATION_WAITING,
        Kind.EVENT_PLACE_PROMOTED,
    }
)


def is_essential(kind: str) -> bool:
    return kind in ESSENTIAL


def optional_kinds() -> list[Kind]:
    return [kind for kind in Kind if kind not in ESSENTIAL]
