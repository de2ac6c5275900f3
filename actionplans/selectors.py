"""Reads of the action-plans app that need more than one line: lists, pages, dashboards,
version comparisons. Views, the API and exports use these."""

from django.db.models import Q

from actionplans import permissions
from actionplans.models import Commitment


def commitments_for_review_count(user) -> int:
    """How many commitments wait for `user`'s sign-off (a co-chair's to-do)."""
    group = permissions.co_chair_group(user)
    if group is None:
        return 0
    return (
        Commitment.objects.filter(status=Commitment.Status.FORUM_REVIEW)
        .exclude(sign_offs__stakeholder_group=group)
        .count()
    )


def visible_commitments(user):
    """What `user` may see in a list: public ones and withdrawn ones (with their reason),
    plus drafts they co-draft; the secretariat and the co-chairs see all."""
    if permissions.can_manage_plans(user) or permissions.co_chair_group(user):
        return Commitment.objects.all()
    query = Q(status__in=[*Commitment.PUBLIC_STATUSES, Commitment.Status.WITHDRAWN])
    if user.is_authenticated:
        query |= Q(co_drafters=user)
    return Commitment.objects.filter(query).distinct()
