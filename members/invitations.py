"""The link of an invitation (members.Invitation): signed, single-use, expiring.

The token is `django.core.signing` of the invitation's id and a random nonce, with a salt
of its own (no other signed value of the portal passes for it). The signature proves the
portal made it; the nonce, compared with the invitation's current one, makes it single-use
and replaceable: accepting, revoking or sending a new e-mail changes or clears the nonce,
and the older link stops working. Expiry is the invitation's own `expires_at` (a new
e-mail moves it), not the signature's age. A database read alone does not give a working
link: it needs the site's secret too.
"""

import secrets

from django.core import signing
from django.urls import reverse

from core.site import absolute_url

SALT = "members.invitation"


class InvitationLinkInvalid(Exception):
    """Not one of ours: tampered with, cut short, or made up."""


def invitation_nonce() -> str:
    return secrets.token_urlsafe(24)


def invitation_token(invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT)


def invitation_url(invitation) -> str:
    """The absolute address of `invitation`'s acceptance page, for its e-mail."""
    return absolute_url(reverse("invitations:accept", args=[invitation_token(invitation)]))


def invitation_token_read(token: str) -> tuple[int, str]:
    """The invitation's id and the nonce a token carries; `InvitationLinkInvalid` else."""
    try:
        data = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvitationLinkInvalid from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("i"), int)
        or not isinstance(data.get("n"), str)
        or not data["n"]
    ):
        raise InvitationLinkInvalid
    return data["i"], data["n"]
