"""Who may do what in the members app: every view, API endpoint and template asks here."""

from django.utils.translation import gettext as _

from members import roles
from members.models import MembershipStatus


def has_role(user, role: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # One query per request at most: the group names are cached on the user object.
    if not hasattr(user, "_forum_role_names"):
        user._forum_role_names = set(user.groups.values_list("name", flat=True))
    return role in user._forum_role_names


def is_secretariat(user) -> bool:
    return has_role(user, roles.SECRETARIAT)


def is_facilitator(user) -> bool:
    return has_role(user, roles.FACILITATOR)


def membership_refusal(user) -> str:
    """Why `user` may not yet take part (take a seat, post, support): empty when they may."""
    if not user.is_authenticated:
        return _("Log in first.")
    if user.membership_status == MembershipStatus.APPROVED:
        return ""
    if user.membership_status == MembershipStatus.REJECTED:
        return _("Your membership request was not approved.")
    if user.membership_status == MembershipStatus.INFORMATION_REQUESTED:
        return _("The secretariat asked you for more information before approving you.")
    return _(
        "Your membership is waiting for the secretariat's approval; you can take part as "
        "soon as it is approved."
    )


def can_decide_memberships(user) -> bool:
    return is_secretariat(user)
