"""Who may do what with events. Views, templates and tests ask these."""

from datetime import datetime

from django.utils.translation import gettext as _

from members.permissions import is_secretariat, membership_refusal


def can_review(user, forum=None) -> bool:
    """Approve or reject submitted events: the secretariat of the event's forum (of any
    forum without one: who sees the review queue)."""
    return is_secretariat(user, forum)


def can_manage_campaigns(user, forum) -> bool:
    """The forum's secretariat creates and edits its campaigns."""
    return is_secretariat(user, forum)


def can_submit(user) -> tuple[bool, str]:
    """Members whose membership is approved submit events to the calendar."""
    if not user.is_authenticated:
        return False, _("Log in to submit an event.")
    if not user.is_active:
        return False, _("Your account is not active.")
    if refusal := membership_refusal(user):
        return False, refusal
    return True, ""


def is_organiser(user, event) -> bool:
    return (
        user.is_authenticated and event.organiser_id is not None and (event.organiser_id == user.pk)
    )


def can_view(user, event) -> bool:
    """Approved events are public; the others only to who submitted them and the secretariat."""
    return event.is_public or is_organiser(user, event) or can_review(user, event.forum_id)


def can_edit(user, event) -> bool:
    """The organiser edits (and so resubmits) their event; the secretariat may correct it."""
    if can_review(user, event.forum_id):
        return True
    return is_organiser(user, event) and user.is_active


def can_see_registrations(user, event) -> bool:
    return is_organiser(user, event) or can_review(user, event.forum_id)


def can_register(user, event, now: datetime) -> tuple[bool, str]:
    """Whether `user` may take a place at `event`, and if not, why (for the page)."""
    if not event.registration_required:
        return False, ""
    if not event.is_public:
        return False, _("This event is not published.")
    if now >= event.starts_at:
        return False, _("This event has already started.")
    if not user.is_authenticated:
        return False, _("Log in to register.")
    if not user.is_active:
        return False, _("Your account is not active.")
    return True, ""


def guests_welcome(event, now: datetime) -> tuple[bool, str]:
    """Whether `event` takes registrations from people without an account now (a request,
    or the confirmation of one), and if not, why."""
    if not event.registration_required or not event.open_to_guests:
        return False, _("This event takes registrations from members only.")
    if not event.is_public:
        return False, _("This event is not published.")
    if now >= event.starts_at:
        return False, _("This event has already started.")
    return True, ""


def can_register_as_guest(user, event, now: datetime) -> tuple[bool, str]:
    """Whether a visitor may ask for a place at `event` without an account, and if not,
    why. A member logged in registers with their account."""
    allowed, reason = guests_welcome(event, now)
    if allowed and user.is_authenticated:
        return False, _("You are logged in: register with your account.")
    return allowed, reason
