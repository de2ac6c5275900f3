"""Co-creation in the public API: processes, workshops with their free seats, published
contributions with their reasoned responses; and, for members, taking or cancelling a seat
and posting a contribution through the same permissions and services as the pages."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions as drf_permissions
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cocreation import permissions, selectors, services
from cocreation.filters import WorkshopFilter
from cocreation.models import (
    CoCreationProcess,
    Contribution,
    ReasonedResponse,
    Registration,
    Theme,
    Workshop,
)
from core.api_base import DescribedModelSerializer, KeptAnswers
from core.api_filters import UtcDateTimeFilter
from members.api import ForumSlugField
from members.filters import ForumFilter

# --- Serializers -----------------------------------------------------------------------


class ThemeSerializer(DescribedModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name"]


class ProcessSerializer(DescribedModelSerializer):
    forum = ForumSlugField()
    themes = ThemeSerializer(many=True, read_only=True, help_text=_("The process's themes."))

    class Meta:
        model = CoCreationProcess
        fields = ["id", "forum", "title", "slug", "description", "created_at", "themes"]


class SeatsSerializer(serializers.Serializer):
    government = serializers.IntegerField(help_text=_("Seats free for government."))
    non_government = serializers.IntegerField(help_text=_("Seats free for non-government."))


class WorkshopSerializer(DescribedModelSerializer):
    forum = ForumSlugField(source="process.forum")
    seats_free = serializers.SerializerMethodField(
        help_text=_("Seats still free in each stakeholder group's quota.")
    )
    url = serializers.SerializerMethodField(help_text=_("The workshop's page on the portal."))

    class Meta:
        model = Workshop
        # Not the online link: only confirmed participants see it.
        fields = [
            "id",
            "forum",
            "process",
            "theme",
            "kind",
            "title",
            "description",
            "agenda",
            "facilitating_organisations",
            "starts_at",
            "ends_at",
            "time_zone",
            "venue",
            "language",
            "accessibility",
            "registration_opens_at",
            "registration_closes_at",
            "status",
            "capacity",
            "government_quota",
            "non_government_quota",
            "seats_free",
            "url",
        ]

    @extend_schema_field(SeatsSerializer)
    def get_seats_free(self, obj) -> dict:
        return selectors.seats_free(obj)

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class ResponseSerializer(DescribedModelSerializer):
    class Meta:
        model = ReasonedResponse
        fields = ["disposition", "explanation", "commitment_reference", "responded_at"]


class ContributionSerializer(DescribedModelSerializer):
    response = serializers.SerializerMethodField(
        help_text=_(
            "The reasoned response: what became of the contribution and why; null "
            "while it has none."
        )
    )
    tags = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name", help_text=_("Tags the moderators gave.")
    )
    commitments = serializers.SerializerMethodField(
        help_text=_("The public commitments (ids) it fed.")
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            "workshop",
            "kind",
            "title",
            "text",
            "status",
            "merged_into",
            "created_at",
            "tags",
            "response",
            "commitments",
        ]

    @extend_schema_field(ResponseSerializer(allow_null=True))
    def get_response(self, obj):
        try:
            response = obj.response
        except ReasonedResponse.DoesNotExist:
            return None
        return ResponseSerializer(response, context=self.context).data

    def get_commitments(self, obj) -> list[int]:
        return [c.pk for c in getattr(obj, "public_commitments", [])]


class RegistrationRequestSerializer(serializers.Serializer):
    accessibility_needs = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What would help you take part (shown to the facilitators only)."),
    )
    agrees_to_be_named = serializers.BooleanField(
        required=False, default=False, help_text=_("You agree to be named in the minutes.")
    )


class RegistrationSerializer(DescribedModelSerializer):
    waiting_position = serializers.SerializerMethodField(
        help_text=_("Your place on your group's waiting list; null with a seat.")
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "workshop",
            "stakeholder_group",
            "seat_group",
            "status",
            "waiting_position",
            "created_at",
            "confirmed_at",
            "cancelled_at",
        ]

    def get_waiting_position(self, obj) -> int | None:
        return services.waiting_position(obj)


class ContributionPostSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Contribution.Kind.choices,
        help_text=_("A challenge (a problem met) or an idea (a proposal for a commitment)."),
    )
    title = serializers.CharField(max_length=200, help_text=_("Title of the contribution."))
    text = serializers.CharField(help_text=_("The contribution itself."))


# --- Filters ---------------------------------------------------------------------------


class WorkshopApiFilter(WorkshopFilter):
    status = django_filters.ChoiceFilter(
        choices=[c for c in Workshop.Status.choices if c[0] != Workshop.Status.DRAFT],
        label=_("Status"),
    )
    kind = django_filters.ChoiceFilter(choices=Workshop.Kind.choices, label=_("Kind"))
    starts_after = UtcDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label=_("Starts at or after")
    )
    starts_before = UtcDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", label=_("Starts before")
    )

    class Meta(WorkshopFilter.Meta):
        fields = ["forum", "process", "theme", "language", "status", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.request_user = self.request.user


class ProcessApiFilter(django_filters.FilterSet):
    forum = ForumFilter()

    class Meta:
        model = CoCreationProcess
        fields = ["forum"]


def _shown_workshops():
    """The workshops the API shows: every one but drafts. A filter by workshop accepts only
    these, so that a draft's id is refused as an unknown one (it would say the draft exists)."""
    return Workshop.objects.exclude(status=Workshop.Status.DRAFT)


class ContributionApiFilter(django_filters.FilterSet):
    workshop = django_filters.ModelChoiceFilter(queryset=_shown_workshops(), label=_("Workshop"))
    process = django_filters.ModelChoiceFilter(
        field_name="workshop__process",
        queryset=CoCreationProcess.objects.all(),
        label=_("Process"),
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="workshop__theme", queryset=Theme.objects.all(), label=_("Theme")
    )
    disposition = django_filters.ChoiceFilter(
        field_name="response__disposition",
        choices=ReasonedResponse.Disposition.choices,
        label=_("Status of the reasoned response"),
    )
    answered = django_filters.BooleanFilter(
        field_name="response",
        lookup_expr="isnull",
        exclude=True,
        label=_("Has a reasoned response"),
    )
    posted_after = UtcDateTimeFilter(
        field_name="created_at", lookup_expr="gte", label=_("Posted at or after")
    )
    posted_before = UtcDateTimeFilter(
        field_name="created_at", lookup_expr="lt", label=_("Posted before")
    )

    class Meta:
        model = Contribution
        fields = ["workshop", "kind"]


# --- Viewsets --------------------------------------------------------------------------


class ProcessViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Co-creation processes (e.g. of one national action plan) and their themes."""

    queryset = (
        CoCreationProcess.objects.select_related("forum")
        .prefetch_related("themes")
        .order_by("-created_at", "id")
    )
    serializer_class = ProcessSerializer
    filterset_class = ProcessApiFilter
    ordering_fields = ["created_at", "title", "id"]


def _refused(reason, code=status.HTTP_400_BAD_REQUEST):
    return Response({"detail": str(reason)}, status=code)


class WorkshopViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Published, held and cancelled workshops (never drafts), with their free seats.
    Members take or cancel a seat and post contributions here under the pages' rules."""

    serializer_class = WorkshopSerializer
    filterset_class = WorkshopApiFilter
    ordering_fields = ["starts_at", "title", "id"]

    def get_queryset(self):
        return selectors._with_seat_counts(
            _shown_workshops()
            .select_related("process__forum", "theme")
            .prefetch_related("facilitating_organisations")
            .order_by("starts_at", "id")
        )

    def _workshop(self, pk) -> Workshop:
        return get_object_or_404(_shown_workshops(), pk=pk)

    @extend_schema(
        request=RegistrationRequestSerializer,
        responses={201: RegistrationSerializer},
        summary="Take a seat, or a place on the waiting list",
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[drf_permissions.IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def register(self, request, pk=None, format=None):
        """A seat from your stakeholder group's quota, or a numbered place on its waiting
        list: the same rules as the workshop's page."""
        workshop = self._workshop(pk)
        allowed, reason = permissions.can_register(request.user, workshop)
        if not allowed:
            return _refused(reason, status.HTTP_403_FORBIDDEN)
        answers = RegistrationRequestSerializer(data=request.data)
        answers.is_valid(raise_exception=True)
        # A refusal of the service (no seat possible now) is answered by the API's handler.
        registration = services.workshop_register(
            workshop=workshop,
            member=request.user,
            answers=services.RegistrationAnswers(**answers.validated_data),
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=RegistrationSerializer,
        summary="Cancel your seat or waiting place",
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[drf_permissions.IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def cancel(self, request, pk=None, format=None):
        """The first person waiting in the group gets the freed seat at once."""
        registration = get_object_or_404(
            Registration.objects.select_related("workshop"),
            workshop__pk=pk,  # not workshop_id: SQLite overflows on a huge number there
            member=request.user,
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
        )
        services.registration_cancel(registration=registration, by=request.user)
        registration.refresh_from_db()
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(
        responses=RegistrationSerializer,
        summary="Your registration",
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[drf_permissions.IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def registration(self, request, pk=None, format=None):
        """Your seat or waiting place in this workshop (404 when you hold none)."""
        workshop = self._workshop(pk)
        registration = selectors.registration_of(workshop=workshop, member=request.user)
        if registration is None:
            return _refused(_("You are not registered for this workshop."), 404)
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(
        request=ContributionPostSerializer,
        responses={201: ContributionSerializer},
        summary="Post a contribution",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="contributions",
        permission_classes=[drf_permissions.IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def contribute(self, request, pk=None, format=None):
        """Participants with a seat (and the facilitators) post challenges and ideas; they
        appear once a facilitator publishes them."""
        workshop = self._workshop(pk)
        allowed, reason = permissions.can_post(request.user, workshop)
        if not allowed:
            return _refused(reason, status.HTTP_403_FORBIDDEN)
        data = ContributionPostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contribution = services.contribution_post(
            workshop=workshop, author=request.user, **data.validated_data
        )
        return Response(
            ContributionSerializer(contribution, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class ContributionViewSet(KeptAnswers, viewsets.ReadOnlyModelViewSet):
    """Published contributions of the workshops, with their reasoned responses. Hidden
    ones and those waiting for moderation never appear; authors are not named."""

    serializer_class = ContributionSerializer
    filterset_class = ContributionApiFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return (
            Contribution.objects.filter(status=Contribution.Status.PUBLISHED)
            .exclude(workshop__status=Workshop.Status.DRAFT)
            .select_related("response")
            .prefetch_related("tags", selectors._public_commitments())
            .order_by("-created_at", "-id")
        )
