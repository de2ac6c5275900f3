import django_filters
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreation.models import CoCreationProcess, Theme, Workshop
from members.filters import ForumFilter
from members.models import StakeholderGroup
from members.selectors import stakeholder_group_of


class WorkshopFilter(django_filters.FilterSet):
    forum = ForumFilter(field_name="process__forum")
    process = django_filters.ModelChoiceFilter(
        queryset=CoCreationProcess.objects.all(), label=_("Process")
    )
    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.all(), label=_("Theme"))
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        empty_label=_("Any time"),
    )
    language = django_filters.ChoiceFilter(
        choices=settings.LANGUAGES, label=_("Language"), empty_label=_("Any language")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"),
        choices=[("online", _("Online")), ("in_person", _("In person"))],
        method="filter_format",
        empty_label=_("Online or in person"),
    )
    seats_for_me = django_filters.BooleanFilter(
        label=_("Only with seats free for my stakeholder group"),
        method="filter_seats_for_me",
        widget=django_filters.widgets.forms.CheckboxInput,
    )

    class Meta:
        model = Workshop
        fields = ["forum", "process", "theme", "language"]

    def __init__(self, *args, request_user=None, forum=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_user = request_user
        if forum is not None:
            # One forum's list (its page passes it): no forum to choose, only its processes.
            del self.filters["forum"]
            self.filters["process"].queryset = CoCreationProcess.objects.filter(forum=forum)
            self.filters["theme"].queryset = Theme.objects.filter(process__forum=forum)

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now)
        if value == "past":
            return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        return queryset

    def filter_format(self, queryset, name, value):
        if value == "online":
            return queryset.exclude(online_link="")
        if value == "in_person":
            return queryset.exclude(venue="")
        return queryset

    def filter_seats_for_me(self, queryset, name, value):
        user = self.request_user
        if not value or user is None or not user.is_authenticated or not user.organisation_id:
            return queryset
        group = stakeholder_group_of(user)
        if group == StakeholderGroup.GOVERNMENT:
            return queryset.filter(government_taken__lt=F("government_quota"))
        return queryset.filter(Q(non_government_taken__lt=F("non_government_quota")))
