"""Who may do what in the members app: every view, API endpoint and template asks here."""

from django.conf import settings
from django.utils.translation import gettext as _

from members import roles
from members.models import ForumRole, MembershipStatus


def _forum_roles(user) -> set[tuple[int, str]]:
    """(forum id, role) pairs `user` holds: one query per request at most, cached on the
    user object."""
    if not hasattr(user, "_forum_roles"):
        user._forum_roles = set(
            ForumRole.objects.filter(member=user).values_list("forum_id", "role")
        )
    return user._forum_roles


def has_role(user, role: str, forum=None) -> bool:
    """Whether `user` holds `role` in `forum` (a Forum or its id), or in any forum when
    `forum` is None. The site administrator (a superuser) holds every role everywhere."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    held = _forum_roles(user)
    if forum is None:
        return any(name == role for _forum_id, name in held)
    forum_id = forum if isinstance(forum, int) else forum.pk
    return (forum_id, role) in held


def is_secretariat(user, forum=None) -> bool:
    return has_role(user, roles.SECRETARIAT, forum)


def is_facilitator(user, forum=None) -> bool:
    return has_role(user, roles.FACILITATOR, forum)


def forums_run(user, role: str = roles.SECRETARIAT) -> set[int] | None:
    """The ids of the forums where `user` holds `role`; None means every forum (the site
    administrator)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    return {forum_id for forum_id, name in _forum_roles(user) if name == role}


def can_create_forum(user) -> bool:
    """Forums are created, and their first secretariat named, by the site administrator."""
    return user is not None and user.is_authenticated and user.is_active and user.is_superuser


def can_run_forum(user, forum) -> bool:
    """The forum's secretariat runs it: its body, roles, thresholds and management pages."""
    return is_secretariat(user, forum)


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
    """Members are portal-wide: the secretariat of any forum approves them."""
    return is_secretariat(user)


def can_see_unverified_organisations(user) -> bool:
    """A proposed organisation is nobody's business but its proposer's until the secretariat
    (of any forum: organisations are portal-wide, like members) has verified it."""
    return can_decide_memberships(user)


def must_use_two_factor(user) -> bool:
    """The accounts that hold the portal's keys, a forum's secretariat and the site
    administrator, log in with two factors unless FORUM_REQUIRE_MFA_FOR_STAFF is off."""
    return bool(
        settings.FORUM_REQUIRE_MFA_FOR_STAFF
        and user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or is_secretariat(user))
    )


def can_invite(user, forum) -> bool:
    """A forum's secretariat invites people to it, sees its invitations, resends and revokes
    them; the secretariat of another forum does not."""
    return is_secretariat(user, forum)


def can_import_members(user, forum) -> bool:
    """A forum's secretariat imports organisations and people (invited to the forum) from a
    spreadsheet, and alone sees its imports; the secretariat of another forum does not."""
    return is_secretariat(user, forum)
