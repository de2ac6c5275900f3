from functools import cache

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from actionplans.selectors import commitments_awaiting_sign_off
from cocreation.permissions import can_manage_workshops
from core.notifications.selectors import unread_count
from members import roles
from members.permissions import can_decide_memberships, has_role


def portal(request):
    @cache  # a callable: templates call it when used, once per request
    def unread() -> int:
        user = getattr(request, "user", None)
        return unread_count(user=user) if user is not None and user.is_authenticated else 0

    def moderates():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return can_manage_workshops(user) or user.facilitated_workshops.exists()

    def decides_memberships():
        user = getattr(request, "user", None)
        return user is not None and can_decide_memberships(user)

    @cache
    def sign_offs_awaited() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return commitments_awaiting_sign_off(user).count()

    def runs_a_forum():
        user = getattr(request, "user", None)
        return user is not None and (
            has_role(user, roles.SECRETARIAT) or has_role(user, roles.FACILITATOR)
        )

    # Lazy: the queries run only on pages that use them. The count is a cached callable, not
    # a SimpleLazyObject, because plural rules do arithmetic on it (n % 10 in Ukrainian).
    return {
        "SITE_NAME": settings.SITE_NAME,
        "unread_notifications": unread,
        "moderates_workshops": SimpleLazyObject(moderates),
        "decides_memberships": SimpleLazyObject(decides_memberships),
        "runs_a_forum": SimpleLazyObject(runs_a_forum),
        "sign_offs_awaited": sign_offs_awaited,
    }
