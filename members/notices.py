"""The notices members sends: the secretariat's decisions on a membership and on a change
of organisation."""

from django.utils.translation import gettext_lazy as _

from core.notifications.kinds import notice_kind_register
from members.invitations import invitation_url
from members.models import Invitation

MEMBERSHIP_APPROVED = notice_kind_register(
    "membership_approved", _("Your membership was approved"), essential=True
)
MEMBERSHIP_REJECTED = notice_kind_register(
    "membership_rejected", _("Your membership was rejected"), essential=True
)
MEMBERSHIP_INFORMATION_REQUESTED = notice_kind_register(
    "membership_information_requested",
    _("The secretariat needs more information about your membership"),
    essential=True,
)
ORGANISATION_CHANGE_APPROVED = notice_kind_register(
    "organisation_change_approved",
    _("Your change of organisation was approved"),
    essential=True,
)
ORGANISATION_CHANGE_DECLINED = notice_kind_register(
    "organisation_change_declined",
    _("Your change of organisation was declined"),
    essential=True,
)


def _invitation_link(about) -> str:
    """The secret link of an invitation, made as its e-mail goes (never stored in the
    outbox); nothing for anything else (the notice's own link then)."""
    return invitation_url(about) if isinstance(about, Invitation) else ""


INVITATION = notice_kind_register(
    "invitation", _("You are invited to a forum"), essential=True, link=_invitation_link
)
INVITATION_LINK = notice_kind_register(
    "invitation_link",
    _("You are invited to take part for an organisation"),
    essential=True,
    link=_invitation_link,
)
