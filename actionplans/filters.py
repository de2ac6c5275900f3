"""The action plans' list filters: every forum's plans, or one forum's."""

import django_filters

from actionplans.models import ActionPlan
from members.filters import ForumFilter


class ActionPlanFilter(django_filters.FilterSet):
    forum = ForumFilter()

    class Meta:
        model = ActionPlan
        fields = ["forum"]

    def __init__(self, *args, forum=None, **kwargs):
        super().__init__(*args, **kwargs)
        if forum is not None:  # one forum's list (its page passes it): nothing to choose
            del self.filters["forum"]
