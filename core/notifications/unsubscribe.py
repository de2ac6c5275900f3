"""One-click unsubscribe (RFC 8058): a signed link naming a member and the kinds an e-mail
may turn off, which works without logging in.

The token is signed with the site's secret and a salt of its own (so no other signed value
of the portal can pass for it) and carries its time of signing: it is honoured for
`MAX_AGE`, long enough for a weekly digest read after a holiday, short enough that an old
e-mail found in a leaked mailbox no longer changes anything. An expired link leads to the
preferences page through the log-in.
"""

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from core.site import absolute_url

SALT = "core.notifications.unsubscribe"
MAX_AGE = timedelta(days=60)


class UnsubscribeLinkExpired(Exception):
    pass


class UnsubscribeLinkInvalid(Exception):
    pass


def unsubscribe_token(*, user_id: int, kinds: list[str]) -> str:
    return signing.dumps({"u": user_id, "k": sorted(kinds)}, salt=SALT, compress=True)


def unsubscribe_url(*, user_id: int, kinds: list[str]) -> str:
    token = unsubscribe_token(user_id=user_id, kinds=kinds)
    return absolute_url(reverse("notifications:unsubscribe", args=[token]))


def unsubscribe_read(token: str) -> tuple[int, list[str]]:
    """The member and the kinds a token names; raises `UnsubscribeLinkExpired` or
    `UnsubscribeLinkInvalid` (tampered with, cut short, or not one of ours)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise UnsubscribeLinkExpired from None
    except (signing.BadSignature, ValueError):
        raise UnsubscribeLinkInvalid from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("k"), list)
        or not all(isinstance(kind, str) for kind in data["k"])
    ):
        raise UnsubscribeLinkInvalid
    return data["u"], data["k"]
