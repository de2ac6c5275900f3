"""Who may do what with workshops. Views, templates, the API and tests ask these."""

from datetime import datetime

from django.utils.translation import gettext as _

from cocreation.models import Registration
from members.permissions import is_facilitator, is_secretariat, membership_refusal


def is_facilitator_of(user, workshop) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return workshop.facilitators.filter(pk=user.pk).exists()


def forum_of(workshop) -> int:
    """The id of the forum whose process `workshop` belongs to (read with the process)."""
    return workshop.process.forum_id


def can_manage_workshops(user, forum=None) -> bool:
    """The forum's secretariat schedules and runs its workshops; without a forum: the
    secretariat of any forum."""
    return is_secretariat(user, forum)


def can_see_participation_summary(user, workshop) -> bool:
    """A workshop's participation summary (gender in aggregate, first-time participants, new
    organisations) is for its forum's secretariat: not its facilitators, not its members."""
    return is_secretariat(user, forum_of(workshop))


def can_register(user, workshop, *, facilitates: bool | None = None) -> tuple[bool, str]:
    """Whether `user` may take a seat in `workshop`, and if not, why (for the page).
    `facilitates`: whether they facilitate it, when the caller read it already."""
    if not user.is_authenticated:
        return False, _("Log in to register.")
    if not user.is_active:
        return False, _("Your account is not active.")
    if user.organisation_id is None:
        return False, _(
            "Choose your organisation in your profile first: seats are shared between "
            "stakeholder groups."
        )
    if refusal := membership_refusal(user):
        return False, refusal
    if facilitates is None:
        facilitates = is_facilitator_of(user, workshop)
    if facilitates:
        return False, _("Facilitators run the workshop and do not take seats.")
    return True, ""


def registration_window_open(workshop, now: datetime) -> tuple[bool, str]:
    if workshop.status != workshop.Status.PUBLISHED:
        return False, _("This workshop is not open for registration.")
    if now >= workshop.starts_at:
        return False, _("This workshop has already started.")
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        return False, _("Registration has not opened yet.")
    if workshop.registration_closes_at and now >= workshop.registration_closes_at:
        return False, _("Registration is closed.")
    return True, ""


def can_moderate(user, workshop) -> bool:
    """Facilitators of the workshop and its forum's secretariat run its session: check-in,
    moderation, reasoned responses, minutes."""
    return is_facilitator_of(user, workshop) or is_secretariat(user, forum_of(workshop))


def can_post(user, workshop) -> tuple[bool, str]:
    if user is None or not user.is_authenticated:
        return False, _("Log in to post a contribution.")
    if workshop.status in (workshop.Status.DRAFT, workshop.Status.CANCELLED):
        return False, _("This workshop does not take contributions.")
    if can_moderate(user, workshop):
        return True, ""
    if refusal := membership_refusal(user):
        return False, refusal
    if workshop.registrations.filter(member=user, status=Registration.Status.CONFIRMED).exists():
        return True, ""
    return False, _("Only participants of this workshop can post contributions.")


def can_react(user) -> tuple[bool, str]:
    """Support and comment on published contributions."""
    if user is None or not user.is_authenticated:
        return False, _("Log in to support or comment.")
    if refusal := membership_refusal(user):
        return False, refusal
    return True, ""


def can_take_into_commitment(user, workshop) -> bool:
    """Those who turn contributions into draft commitments (the forum's secretariat and
    facilitators) say so in the contributions' reasoned responses."""
    forum = forum_of(workshop)
    return is_secretariat(user, forum) or is_facilitator(user, forum)


def can_record_past_meetings(user, forum) -> bool:
    """A forum's secretariat records the meetings it held outside the portal (by hand or
    from a spreadsheet), which forum health counts; the secretariat of another forum does
    not."""
    return is_secretariat(user, forum)
