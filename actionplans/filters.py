"""The action plans' list filters (every forum's plans, or one forum's) and the commitments'
(a plan's page, the API)."""

import re

import django_filters
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, ChallengeArea, Commitment, challenge_area_q
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


class CommitmentFilter(django_filters.FilterSet):
    """A plan's commitments (its page) and every public one (the API), by Open Gov
    Challenge area and by policy area. An unknown area is refused with the field's message:
    the page and the API answer 400."""

    challenge_area = django_filters.ChoiceFilter(
        label=_("Open Gov Challenge area"),
        choices=ChallengeArea.choices,
        empty_label=_("Every area"),
        method="filter_challenge_area",
    )
    policy_area = django_filters.CharFilter(
        label=_("Policy area"),
        validators=[MaxLengthValidator(300)],  # not max_length: the page's is a <select>
        method="filter_policy_area",
        help_text=_("One of the commitment's comma-separated policy areas, in any case."),
    )

    class Meta:
        model = Commitment
        fields = ["challenge_area", "policy_area"]

    def __init__(self, *args, policy_areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if policy_areas is not None:  # a plan's page: the areas its commitments name
            self.filters["policy_area"].extra.pop("help_text", None)
            self.filters["policy_area"].extra["widget"] = forms.Select(
                choices=[("", _("Every policy area")), *((a, a) for a in policy_areas)]
            )

    def filter_challenge_area(self, queryset, name, value):
        return queryset.filter(challenge_area_q(value))

    def filter_policy_area(self, queryset, name, value):
        # A whole item of the comma-separated text, whatever the spaces around it.
        value = value.strip()
        if not value:
            return queryset
        pattern = rf"(^|,)\s*{re.escape(value)}\s*(,|$)"
        return queryset.filter(policy_areas__iregex=pattern)
