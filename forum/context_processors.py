from functools import cache

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from actionplans.selectors import commitments_awaiting_sign_off
from cocreation.permissions import can_manage_workshops
from core.member_header import member_header
from core.notifications.selectors import unread_count
from members import roles
from members.permissions import can_decide_memberships, has_role

NOBODY = {
    "unread": 0,
    "moderates": False,
    "decides_memberships": False,
    "runs_a_forum": False,
    "sign_offs_awaited": 0,
}


def header_facts(user) -> dict:
    """What the header shows `user`, computed (four or five queries)."""
    return {
        "unread": unread_count(user=user),
        "moderates": can_manage_workshops(user) or user.facilitated_workshops.exists(),
        "decides_memberships": can_decide_memberships(user),
        "runs_a_forum": has_role(user, roles.SECRETARIAT) or has_role(user, roles.FACILITATOR),
        "sign_offs_awaited": commitments_awaiting_sign_off(user).count(),
    }


def request_header_facts(request) -> dict:
    """The header's facts for `request`'s visitor, read once a request."""
    facts = getattr(request, "_header_facts", None)
    if facts is None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            facts = NOBODY
        else:
            facts = member_header(user.pk, lambda: header_facts(user))
        request._header_facts = facts
    return facts


def header_variant(request) -> tuple:
    """What a kept page (core.kept_pages) varies with besides its visitor: the header."""
    return tuple(sorted(request_header_facts(request).items()))


def portal(request):
    @cache  # read when a template first uses one of them, then kept for the request
    def facts() -> dict:
        return request_header_facts(request)

    # Lazy: nothing is read on pages that show none of it. The counts are cached callables,
    # not SimpleLazyObjects, because plural rules do arithmetic on them (n % 10 in Ukrainian).
    return {
        "SITE_NAME": settings.SITE_NAME,
        "unread_notifications": lambda: facts()["unread"],
        "moderates_workshops": SimpleLazyObject(lambda: facts()["moderates"]),
        "decides_memberships": SimpleLazyObject(lambda: facts()["decides_memberships"]),
        "runs_a_forum": SimpleLazyObject(lambda: facts()["runs_a_forum"]),
        "sign_offs_awaited": lambda: facts()["sign_offs_awaited"],
    }
