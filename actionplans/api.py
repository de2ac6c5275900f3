"""Action plans, their public commitments and the milestones with completion levels, in the
public API (read-only). Drafts and withdrawn commitments never appear; the only e-mail
address is a commitment's public contact, as OGP publishes it."""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from rest_framework import serializers, viewsets

from actionplans.filters import CommitmentFilter
from actionplans.models import ActionPlan, ChallengeArea, Commitment, Milestone
from actionplans.selectors import completion_of
from core.api_base import DescribedModelSerializer, KeptAnswers
from core.api_filters import DateFilter
from members.api import ForumSlugField
from members.filters import ForumFilter
from members.models import Sector
from members.selectors import organisations_visible_to

# --- Serializers -----------------------------------------------------------------------


class ActionPlanSerializer(DescribedModelSerializer):
    forum = ForumSlugField()
    country = serializers.CharField(
        source="country.code", read_only=True, help_text=_("ISO 3166-1 alpha-2 country code.")
    )
    commitments_count = serializers.IntegerField(
        read_only=True, help_text=_("Number of public commitments.")
    )
    url = serializers.SerializerMethodField(help_text=_("The plan's page on the portal."))

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "forum",
            "title",
            "slug",
            "country",
            "locality",
            "number",
            "period_start",
            "period_end",
            "language",
            "version",
            "status",
            "process",
            "consultation_opens_at",
            "consultation_closes_at",
            "commitments_count",
            "created_at",
            "updated_at",
            "url",
        ]

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class MilestoneSerializer(DescribedModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "commitment",
            "position",
            "activity",
            "deliverable",
            "start_date",
            "end_date",
            "completed_on",
            "responsible",
            "completion",
            "evidence_url",
            "progress_note",
            "updated_at",
        ]


class CommitmentSerializer(DescribedModelSerializer):
    forum = ForumSlugField(source="plan.forum")
    challenge_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=ChallengeArea.choices),
        read_only=True,
        help_text=_("The areas of OGP's Open Gov Challenge the commitment advances."),
    )
    completion = serializers.SerializerMethodField(
        help_text=_("Share of the milestones done, from 0 to 1; null without milestones.")
    )
    milestones = MilestoneSerializer(
        many=True, read_only=True, help_text=_("The commitment's milestones, in order.")
    )
    url = serializers.SerializerMethodField(help_text=_("The commitment's page on the portal."))
    continues = serializers.SerializerMethodField(
        help_text=_(
            "The id of the commitment of an earlier plan this one carries over; null when "
            "it continues none (or one the API does not show)."
        )
    )

    class Meta:
        model = Commitment
        fields = [
            "id",
            "forum",
            "plan",
            "number",
            "ogp_id",
            "title",
            "status",
            "summary",
            "problem",
            "description",
            "solution",
            "transparency",
            "civic_participation",
            "public_accountability",
            "technology_innovation",
            "inclusion",
            "values_relevance",
            "lead_agency",
            "government_actors",
            "non_government_actors",
            "contact_name",
            "contact_title",
            "contact_department",
            "contact_email",
            "contact_phone",
            "start_date",
            "end_date",
            "challenge_areas",
            "policy_areas",
            "additional_information",
            "irm_verifiable",
            "irm_open_government_lens",
            "irm_potential_results",
            "irm_completion",
            "irm_early_results",
            "completion",
            "continues",
            "milestones",
            "updated_at",
            "url",
        ]

    def get_continues(self, obj) -> int | None:
        # A draft's id is never named (it would say the draft exists).
        earlier = obj.continues_id and obj.continues
        return earlier.pk if earlier and earlier.is_public else None

    def get_completion(self, obj) -> float | None:
        return completion_of(obj.milestones.all())

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


# --- Filters ---------------------------------------------------------------------------


class ActionPlanApiFilter(django_filters.FilterSet):
    forum = ForumFilter()
    country = django_filters.ChoiceFilter(choices=list(countries), label=_("Country"))
    active_on = DateFilter(method="filter_active_on", label=_("Running on"))

    class Meta:
        model = ActionPlan
        fields = ["forum", "country", "status", "language", "process"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class CommitmentApiFilter(CommitmentFilter):
    forum = ForumFilter(field_name="plan__forum")
    plan = django_filters.ModelChoiceFilter(queryset=ActionPlan.objects.all(), label=_("Plan"))
    plan_slug = django_filters.CharFilter(field_name="plan__slug", label=_("Plan (slug)"))
    country = django_filters.ChoiceFilter(
        field_name="plan__country", choices=list(countries), label=_("Country")
    )
    status = django_filters.ChoiceFilter(
        choices=[c for c in Commitment.Status.choices if c[0] in Commitment.PUBLIC_STATUSES],
        label=_("Status"),
    )
    lead_agency = django_filters.ModelChoiceFilter(
        queryset=organisations_visible_to(None), label=_("Lead implementing agency")
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="lead_agency__sector", queryset=Sector.objects.all(), label=_("Sector")
    )
    ends_after = DateFilter(field_name="end_date", lookup_expr="gte", label=_("Ends on or after"))
    ends_before = DateFilter(field_name="end_date", lookup_expr="lt", label=_("Ends before"))

    class Meta:
        model = Commitment
        fields = ["forum", "plan", "status", "lead_agency", "challenge_area", "policy_area"]


def _public_commitments():
    """The commitments the API shows. A filter by commitment accepts only these, so that a
    draft's id is refused as an unknown one (it would say the draft exists)."""
    return Commitment.objects.filter(status__in=Commitment.PUBLIC_STATUSES)


class MilestoneApiFilter(django_filters.FilterSet):
    commitment = django_filters.ModelChoiceFilter(
        queryset=_public_commitments(), label=_("Commitment")
    )
    plan = django_filters.ModelChoiceFilter(
        field_name="commitment__plan", queryset=ActionPlan.objects.all(), label=_("Plan")
    )
    due_after = DateFilter(field_name="end_date", lookup_expr="gte", label=_("Due on or after"))
    due_before = DateFilter(field_name="end_date", lookup_expr="lt", label=_("Due before"))

    class Meta:
        model = Milestone
        fields = ["commitment", "completion", "responsible"]


# --- Viewsets --------------------------------------------------------------------------


def _public_milestones():
    return Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id"))


class ActionPlanViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """National and local action plans, with their number of public commitments. Bulk
    downloads (CSV, JSON) are linked from the open-data page."""

    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanApiFilter
    ordering_fields = ["period_start", "title", "id"]

    def get_queryset(self):
        return (
            ActionPlan.objects.select_related("forum")
            .annotate(
                commitments_count=Count(
                    "commitments", filter=Q(commitments__status__in=Commitment.PUBLIC_STATUSES)
                )
            )
            .order_by("-period_start", "title", "id")
        )


class CommitmentViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Commitments in forum review, validated or included in a plan, with their milestones."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentApiFilter
    ordering_fields = ["number", "end_date", "updated_at", "id"]

    def get_queryset(self):
        return (
            _public_commitments()
            .select_related("plan__forum", "continues")
            .prefetch_related(_public_milestones())
            .order_by("plan_id", "number", "id")
        )


class MilestoneViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Milestones of the public commitments, with their completion level."""

    serializer_class = MilestoneSerializer
    filterset_class = MilestoneApiFilter
    ordering_fields = ["end_date", "position", "updated_at", "id"]

    def get_queryset(self):
        return Milestone.objects.filter(commitment__status__in=Commitment.PUBLIC_STATUSES).order_by(
            "commitment_id", "position", "id"
        )
