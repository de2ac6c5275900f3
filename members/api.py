"""Organisations and sectors in the public API (read-only; no member, no e-mail address)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from core.api_base import DescribedModelSerializer, KeptAnswers
from members.filters import OrganisationFilter
from members.models import Organisation, Sector
from members.selectors import organisations_visible_to


class ForumSlugField(serializers.SlugRelatedField):
    """The forum a workshop, process, plan, commitment or event belongs to, by its short
    name: the value `?forum=` takes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault(
            "help_text", _("The forum's short name (slug), as in /forums/<slug>/ and ?forum=.")
        )
        super().__init__(**kwargs)


class SectorSerializer(DescribedModelSerializer):
    name = serializers.CharField(
        source="__str__", read_only=True, help_text=_("Name, in the language asked for.")
    )

    class Meta:
        model = Sector
        fields = ["id", "name", "slug", "stakeholder_group"]


class OrganisationSerializer(DescribedModelSerializer):
    country = serializers.CharField(
        source="country.code", read_only=True, help_text=_("ISO 3166-1 alpha-2 country code.")
    )
    url = serializers.SerializerMethodField(help_text=_("The organisation's page on the portal."))

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "sector",
            "country",
            "city",
            "website",
            "description",
            "verified",
            "created_at",
            "url",
        ]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class SectorViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """The kinds of organisation, each in one stakeholder group."""

    queryset = Sector.objects.order_by("stakeholder_group", "position", "id")
    serializer_class = SectorSerializer
    filterset_fields = ["stakeholder_group"]
    ordering_fields = ["name", "position", "id"]


class OrganisationViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """The organisations of the forum's members: the verified ones (a proposed organisation
    appears once the secretariat has verified it; to its proposer and the secretariat
    before)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "created_at", "id"]

    def get_queryset(self):
        return organisations_visible_to(self.request.user).order_by("name", "id")
