"""The calendar's filters. The list, the map and the iCalendar feed take the same query
string, so a filtered view can be shown, mapped and subscribed to alike."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.api_filters import DateFilter
from events.models import Campaign, Event

UPCOMING, PAST, ANY_TIME = "upcoming", "past", "all"


class EventFilter(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        label=_("Campaign"),
        empty_label=_("All campaigns"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], empty_label=_("All countries")
    )
    city = django_filters.CharFilter(label=_("City"), lookup_expr="iexact")
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Event.Format.choices, empty_label=_("All formats")
    )
    start = DateFilter(
        label=_("From"),
        method="filter_start",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = DateFilter(
        label=_("Until"),
        method="filter_end",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[(UPCOMING, _("Upcoming")), (PAST, _("Past")), (ANY_TIME, _("Any time"))],
        method="filter_when",
        empty_label=None,
        null_label=None,
    )
    online = django_filters.BooleanFilter(
        label=_("Only events I can join online"),
        method="filter_online",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Event
        fields = ["campaign", "country", "city", "format"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            if not data.get("when"):  # the calendar opens on what is still to come
                data["when"] = UPCOMING if not (data.get("start") or data.get("end")) else ANY_TIME
        super().__init__(data, *args, **kwargs)
        # Only the countries that have a published event: a short list, in the reader's language.
        present = set(
            Event.objects.filter(status=Event.Status.APPROVED)
            .exclude(country="")
            .values_list("country", flat=True)
            .distinct()
        )
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in present
        ]

    @staticmethod
    def _day_start(day) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    def filter_start(self, queryset, name, value):
        """Events still going on from that day (the forum's time zone)."""
        return queryset.filter(ends_at__gt=self._day_start(value))

    def filter_end(self, queryset, name, value):
        """Events that begin by the end of that day."""
        return queryset.filter(starts_at__lt=self._day_start(value + timedelta(days=1)))

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == UPCOMING:
            return queryset.filter(ends_at__gte=now)
        if value == PAST:
            return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        return queryset

    def filter_online(self, queryset, name, value):
        if value:
            return queryset.filter(
                attendance__in=[Event.Attendance.ONLINE, Event.Attendance.HYBRID]
            )
        return queryset
