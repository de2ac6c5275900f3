"""The Open Gov Week calendar in the public API: approved events only (read-only). The
link to join online is left out, as on the pages: it goes to confirmed participants."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from core.api_base import DescribedModelSerializer, KeptAnswers
from core.api_filters import UtcDateTimeFilter
from events.models import Event
from events.selectors import _with_counts, places_left
from members.api import ForumSlugField
from members.filters import ForumFilter
from members.selectors import organisations_visible_to


class EventSerializer(DescribedModelSerializer):
    forum = ForumSlugField()
    campaign = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("The campaign's slug, e.g. the year's week.")
    )
    country = serializers.CharField(
        source="country.code", read_only=True, help_text=_("ISO 3166-1 alpha-2 country code.")
    )
    latitude = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Latitude of the venue (WGS 84).")
    )
    longitude = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Longitude of the venue (WGS 84).")
    )
    places_left = serializers.SerializerMethodField(
        help_text=_("Places still free; null when there is no limit or no registration.")
    )
    url = serializers.SerializerMethodField(help_text=_("The event's page on the portal."))

    class Meta:
        model = Event
        fields = [
            "id",
            "forum",
            "campaign",
            "title",
            "description",
            "format",
            "attendance",
            "address",
            "city",
            "country",
            "latitude",
            "longitude",
            "starts_at",
            "ends_at",
            "time_zone",
            "language",
            "organisation",
            "partners",
            "link",
            "accessible_venue",
            "vulnerable_groups",
            "gender_balanced",
            "civil_society_partners",
            "inclusion_notes",
            "registration_required",
            "capacity",
            "places_left",
            "updated_at",
            "url",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_places_left(self, obj):
        return places_left(obj)

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class EventApiFilter(django_filters.FilterSet):
    forum = ForumFilter()
    campaign = django_filters.CharFilter(field_name="campaign__slug", label=_("Campaign (slug)"))
    country = django_filters.ChoiceFilter(choices=list(countries), label=_("Country"))
    city = django_filters.CharFilter(lookup_expr="iexact", label=_("City"))
    starts_after = UtcDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label=_("Starts at or after")
    )
    starts_before = UtcDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", label=_("Starts before")
    )
    # An organisation the visitor may not see (a proposal) is refused like an unknown one.
    organisation = django_filters.ModelChoiceFilter(
        queryset=organisations_visible_to(None),
        label=Event._meta.get_field("organisation").verbose_name,
    )

    class Meta:
        model = Event
        fields = [
            "forum",
            "campaign",
            "country",
            "city",
            "format",
            "attendance",
            "language",
            "organisation",
        ]


class EventViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Approved events of the calendar; submitted and rejected ones never appear."""

    serializer_class = EventSerializer
    filterset_class = EventApiFilter
    ordering_fields = ["starts_at", "title", "id"]

    def get_queryset(self):
        return _with_counts(
            Event.objects.filter(status=Event.Status.APPROVED)
            .select_related("forum", "campaign")
            .order_by("starts_at", "id")
        )
