"""Reads of the action-plans app that need more than one line: lists, pages, dashboards,
version comparisons. Views, the API and exports use these."""

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Case, Count, F, Max, Prefetch, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import permissions
from actionplans.filters import ActionPlanFilter, CommitmentFilter
from actionplans.models import (
    DRAFTED_FIELDS,
    ActionPlan,
    ChallengeArea,
    Commitment,
    CommitmentVersion,
    ConsultationComment,
    Document,
    Milestone,
    MilestoneAssessment,
    PlanExport,
    SignOff,
    challenge_area_q,
)
from actionplans.pdf_sections import plan_pdf_sections_fingerprint
from cocreation.models import Contribution, ReasonedResponse, Registration, Workshop
from core.personal_data import rows
from members.models import StakeholderGroup, User
from members.permissions import forums_run
from members.selectors import forum_body

DUE_SOON_DAYS = 30


def commitments_awaiting_sign_off(user):
    """Commitments in forum review, in the forums `user` co-chairs, that their stakeholder
    group has not signed off yet."""
    chaired = permissions.co_chaired_forums(user)
    if not chaired:
        return Commitment.objects.none()
    awaiting = Q()
    for forum_id, group in chaired.items():
        awaiting |= Q(plan__forum_id=forum_id) & ~Q(
            pk__in=SignOff.objects.filter(stakeholder_group=group).values("commitment_id")
        )
    return (
        Commitment.objects.filter(awaiting, status=Commitment.Status.FORUM_REVIEW)
        .select_related("plan__forum")
        .order_by("plan__forum__name", "plan__forum_id", "plan", "number")
    )


def visible_commitments(user):
    """What `user` may see in a list: public ones and withdrawn ones (with their reason),
    plus drafts they co-draft; a forum's secretariat and co-chairs see all of its plans'."""
    query = Q(status__in=[*Commitment.PUBLIC_STATUSES, Commitment.Status.WITHDRAWN])
    run = forums_run(user)
    if run is None:
        return Commitment.objects.all()
    forums = run | set(permissions.co_chaired_forums(user))
    if forums:
        query |= Q(plan__forum_id__in=forums)
    if user.is_authenticated:
        query |= Q(co_drafters=user)
    return Commitment.objects.filter(query).distinct()


# --- Plans ---------------------------------------------------------------------------------


def plan_list(*, viewer, filters=None, forum=None) -> ActionPlanFilter:
    """Plans (of every forum, or of `forum`) with their forum and their count of public
    commitments (one query), filtered by the query string."""
    queryset = ActionPlan.objects.all() if forum is None else ActionPlan.objects.filter(forum=forum)
    queryset = (
        queryset.select_related("forum")
        .annotate(
            commitments_n=Count(
                "commitments",
                filter=Q(commitments__status__in=Commitment.PUBLIC_STATUSES),
            )
        )
        .order_by("-period_start", "title", "id")
    )
    return ActionPlanFilter(filters, queryset=queryset, forum=forum)


def forum_plans(*, forum):
    """`forum`'s action plans, the latest first, with their number of commitments (all of
    them: the page is its secretariat's)."""
    return (
        ActionPlan.objects.filter(forum=forum)
        .annotate(commitments_n=Count("commitments"))
        .order_by("-period_start", "title")
    )


def sign_offs_awaited_in(*, forum):
    """`forum`'s commitments in forum review, with the sign-offs they have (the back
    office's overview shows which group has not signed yet)."""
    return (
        Commitment.objects.filter(plan__forum=forum, status=Commitment.Status.FORUM_REVIEW)
        .select_related("plan")
        .prefetch_related("sign_offs")
        .order_by("plan__title", "number")
    )


def forum_plans_search(*, forum, query: str = ""):
    """`forum`'s action plans for its back office, the latest first, with their number of
    commitments, those whose title or slug contains `query` (one query)."""
    plans = forum_plans(forum=forum)
    query = query.strip()
    if query:
        plans = plans.filter(Q(title__icontains=query) | Q(slug__icontains=query))
    return plans.order_by("-period_start", "title", "id")


def forum_plan(*, forum, slug: str) -> ActionPlan:
    """One of `forum`'s plans by its slug (DoesNotExist for another forum's)."""
    return ActionPlan.objects.select_related("forum", "process").get(forum=forum, slug=slug)


@dataclass
class SignOffState:
    group: str
    label: str
    co_chair: User | None
    sign_off: SignOff | None


@dataclass
class CommitmentSignOffs:
    commitment: Commitment
    groups: list[SignOffState]

    @property
    def awaiting(self) -> list[SignOffState]:
        return [g for g in self.groups if g.sign_off is None]


def plan_sign_offs(*, plan: ActionPlan) -> list[tuple[str, list[CommitmentSignOffs]]]:
    """The plan's commitments grouped by status (in the workflow's order), each with who
    signed it off for each stakeholder group and which co-chair has not yet: three queries
    however many commitments."""
    seats = forum_body(forum=plan.forum)["co_chairs"]
    commitments = (
        plan.commitments.prefetch_related(
            Prefetch("sign_offs", queryset=SignOff.objects.select_related("co_chair"))
        )
        .select_related("lead_agency")
        .order_by("number", "id")
    )
    by_status: dict[str, list[CommitmentSignOffs]] = {}
    for commitment in commitments:
        signed = {s.stakeholder_group: s for s in commitment.sign_offs.all()}
        groups = [
            SignOffState(
                group=value,
                label=label,
                co_chair=seats[value].member if value in seats else None,
                sign_off=signed.get(value),
            )
            for value, label in StakeholderGroup.choices
        ]
        by_status.setdefault(commitment.status, []).append(
            CommitmentSignOffs(commitment=commitment, groups=groups)
        )
    return [
        (label, by_status[value])
        for value, label in Commitment.Status.choices
        if value in by_status
    ]


def plan_commitments(*, plan: ActionPlan, viewer):
    """The plan's commitments `viewer` may see, with what a list row shows, in a fixed
    number of queries."""
    return (
        visible_commitments(viewer)
        .filter(plan=plan)
        .select_related("plan", "lead_agency")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related(
                    "responsible", "progress_organisation"
                ).order_by("position", "id"),
            ),
            "sign_offs",
        )
        .order_by("number")
    )


def plan_commitments_filtered(*, plan: ActionPlan, viewer, filters=None) -> CommitmentFilter:
    """The plan's page list (`plan_commitments`) filtered by Open Gov Challenge area and
    policy area; its policy-area choice offers the areas the visible commitments name (one
    more query)."""
    commitments = plan_commitments(plan=plan, viewer=viewer)
    named = {}
    for text in commitments.values_list("policy_areas", flat=True):
        for area in text.split(","):
            if area.strip():
                named.setdefault(area.strip().casefold(), area.strip())
    policy_areas = sorted(named.values(), key=str.casefold)
    return CommitmentFilter(filters, queryset=commitments, policy_areas=policy_areas)


def completion_of(milestones) -> float | None:
    """The share done, from 0 to 1, of a list of milestones (None when there are none)."""
    milestones = list(milestones)
    if not milestones:
        return None
    return sum(Milestone.COMPLETION_SHARE[m.completion] for m in milestones) / len(milestones)


_LONG_TEXTS = [f.name for f in Commitment._meta.fields if isinstance(f, models.TextField)]


@dataclass
class DashboardRow:
    commitment: Commitment
    completion: float | None
    milestones_n: int
    by_level: dict
    overdue_n: int
    both_n: int = 0  # milestones the lead agency reported on and civil society assessed
    differ_n: int = 0  # of those, the ones where the two levels differ


def assessed_by_both(prefix: str = "") -> Q:
    """Milestones (through `prefix`) the lead agency has reported on and civil society has
    assessed: the ones whose two levels can be compared."""
    return Q(
        **{
            f"{prefix}civil_assessment__isnull": False,
            f"{prefix}progress_reported_at__isnull": False,
        }
    )


def assessments_differ(prefix: str = "") -> Q:
    """Milestones assessed by both whose two completion levels differ."""
    return assessed_by_both(prefix) & ~Q(
        **{f"{prefix}civil_assessment__completion": F(f"{prefix}completion")}
    )


def _share(by_level: dict, total: int) -> float | None:
    if not total:
        return None
    return sum(Milestone.COMPLETION_SHARE[level] * n for level, n in by_level.items()) / total


def _level_counts(prefix: str = "") -> dict:
    return {
        f"level_{level}": Count(f"{prefix}pk", filter=Q(**{f"{prefix}completion": level}))
        for level in Milestone.Completion.values
    }


def plan_dashboard(*, plan: ActionPlan, today: date | None = None) -> dict:
    """Completion per commitment and for the plan; milestones overdue and due in the next
    30 days, of the public commitments (which everyone may see); the milestones civil
    society assessed, beside the lead agency's report (`assessed`, those where the two
    differ first), with how many both assessed and on how many they differ. Counted by the database,
    whatever the plan's size: the plan's figures in one query, each commitment's in the rows
    of another (`rows`, a query set to paginate), and the two lists of milestones
    (`overdue`, `due_soon`) as query sets, earliest due first."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    commitments = Commitment.objects.filter(plan=plan, status__in=Commitment.PUBLIC_STATUSES)
    milestones = Milestone.objects.filter(commitment__in=commitments.values("pk"))
    late = Q(end_date__lt=today) & ~Q(completion=Milestone.Completion.COMPLETE)
    soon = Q(end_date__gte=today, end_date__lte=horizon) & ~Q(
        completion=Milestone.Completion.COMPLETE
    )
    totals = milestones.aggregate(
        milestones_n=Count("pk"),
        overdue_n=Count("pk", filter=late),
        due_soon_n=Count("pk", filter=soon),
        assessed_n=Count("pk", filter=Q(civil_assessment__isnull=False)),
        both_n=Count("pk", filter=assessed_by_both()),
        differ_n=Count("pk", filter=assessments_differ()),
        **_level_counts(),
    )
    levels = {level: totals[f"level_{level}"] for level in Milestone.Completion.values}
    # What the lists show of each milestone and its commitment. The plan is not joined (every
    # join costs PostgreSQL's planner time on each request): `dashboard_pairs` sets it.
    listed = milestones.select_related(
        "commitment__lead_agency", "responsible", "civil_assessment"
    ).only(
        "activity",
        "end_date",
        "completion",
        "progress_reported_at",
        "responsible__name",
        "commitment__number",
        "commitment__title",
        "commitment__plan_id",
        "commitment__lead_agency__name",
        "civil_assessment__completion",
    )
    # Civil society's assessments beside the government's: where they differ first.
    assessed = (
        milestones.filter(civil_assessment__isnull=False)
        .select_related("commitment", "civil_assessment__organisation")
        .defer(*(f"commitment__{name}" for name in _LONG_TEXTS))
        .annotate(
            differ_first=Case(
                When(assessments_differ(), then=Value(0)),
                default=Value(1),
            )
        )
        .order_by("differ_first", "commitment__number", "position", "pk")
    )
    rows = (
        # the dashboard shows numbers and titles, not the template's texts
        commitments.defer(*_LONG_TEXTS)
        .annotate(
            milestones_n=Count("milestones"),
            overdue_n=Count(
                "milestones",
                filter=Q(milestones__end_date__lt=today)
                & ~Q(milestones__completion=Milestone.Completion.COMPLETE),
            ),
            both_n=Count("milestones", filter=assessed_by_both("milestones__")),
            differ_n=Count("milestones", filter=assessments_differ("milestones__")),
            **_level_counts("milestones__"),
        )
        .order_by("number", "pk")
    )
    # Commitments per Open Gov Challenge area, with their count, in the same query.
    counted = commitments.aggregate(
        commitments_n=Count("pk"),
        **{f"area_{value}": Count("pk", filter=challenge_area_q(value)) for value in ChallengeArea},
    )
    return {
        "rows": rows,
        "commitments_n": counted["commitments_n"],
        "challenge_areas": [
            {"value": value, "label": label, "count": counted[f"area_{value}"]}
            for value, label in ChallengeArea.choices
        ],
        "completion": _share(levels, totals["milestones_n"]),
        "milestones_n": totals["milestones_n"],
        "levels": [
            {"value": value, "label": label, "count": levels[value]}
            for value, label in Milestone.Completion.choices
        ],
        "overdue": listed.filter(late).order_by("end_date", "pk"),
        "overdue_n": totals["overdue_n"],
        "due_soon": listed.filter(soon).order_by("end_date", "pk"),
        "due_soon_n": totals["due_soon_n"],
        "assessed": assessed,
        "assessed_n": totals["assessed_n"],
        "both_n": totals["both_n"],
        "differ_n": totals["differ_n"],
        "due_soon_days": DUE_SOON_DAYS,
        "today": today,
    }


def dashboard_row(commitment: Commitment) -> DashboardRow:
    """A commitment of `plan_dashboard`'s rows, with its counts."""
    by_level = {
        level: getattr(commitment, f"level_{level}") for level in Milestone.Completion.values
    }
    return DashboardRow(
        commitment=commitment,
        completion=_share(by_level, commitment.milestones_n),
        milestones_n=commitment.milestones_n,
        by_level=by_level,
        overdue_n=commitment.overdue_n,
        both_n=commitment.both_n,
        differ_n=commitment.differ_n,
    )


def assessment_panel(*, plan: ActionPlan) -> list[User]:
    """The members the secretariat named to assess the plan's milestones for civil
    society, by name."""
    return list(plan.assessment_panel.select_related("organisation").order_by("full_name", "pk"))


def plan_documents(*, plan: ActionPlan):
    return plan.documents.select_related("added_by", "organisation", "milestone__commitment")


# --- Commitments ---------------------------------------------------------------------------


def commitment_detail(*, plan: ActionPlan, number: int) -> Commitment:
    return (
        Commitment.objects.select_related("plan__forum", "lead_agency__sector", "continues__plan")
        .prefetch_related(
            # carried over: the earlier commitment's completion, and where it went on
            "continues__milestones",
            Prefetch(
                "continued_by",
                queryset=Commitment.objects.select_related("plan").order_by(
                    "plan__period_start", "number"
                ),
            ),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related(
                    "responsible", "progress_organisation", "civil_assessment__organisation"
                ).prefetch_related(
                    Prefetch("evidence", Document.objects.select_related("organisation"))
                ),
            ),
            Prefetch("sign_offs", queryset=SignOff.objects.select_related("co_chair")),
            Prefetch(
                "co_drafters",
                queryset=User.objects.select_related("organisation__sector"),
            ),
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("workshop", "response"),
            ),
            Prefetch(
                "contributions",
                queryset=Contribution.objects.filter(status=Contribution.Status.PUBLISHED)
                .select_related("workshop", "author", "organisation")
                .order_by("created_at", "id"),
                to_attr="public_contributions",
            ),
            Prefetch(
                "consultation_comments",
                queryset=ConsultationComment.objects.select_related(
                    "author", "responded_by", "organisation"
                ),
            ),
        )
        .get(plan=plan, number=number)
    )


def carried_over(*, commitment: Commitment, viewer) -> dict:
    """The commitment `commitment` continues (of an earlier plan), with its completion so
    far, and those that continue it: what `viewer` may see of them (public and withdrawn
    ones; every one for the forum's secretariat). Uses what `commitment_detail` fetched."""

    def shown(other) -> bool:
        return (
            other.is_public
            or other.status == Commitment.Status.WITHDRAWN
            or permissions.can_manage_plans(viewer, other.plan.forum_id)
        )

    earlier = commitment.continues
    if earlier is not None and not shown(earlier):
        earlier = None
    return {
        "continues": earlier,
        "continues_completion": (
            completion_of(earlier.milestones.all()) if earlier is not None else None
        ),
        "continued_as": [c for c in commitment.continued_by.all() if shown(c)],
    }


def ideas_of(*, member):
    """ "What became of my ideas": every contribution `member` posted, newest first, with its
    workshop, its reasoned response and the commitments it fed (as `fed`, with their plan and
    milestones). Four queries for a page however many contributions (the paginator's count,
    the page, the commitments, their milestones)."""
    return (
        Contribution.objects.filter(author=member)
        .select_related("workshop", "response")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("plan")
                .prefetch_related(
                    Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id"))
                )
                .order_by("plan_id", "number"),
                to_attr="fed",
            )
        )
        .order_by("-created_at", "-id")
    )


def commitment_versions(*, commitment: Commitment):
    return commitment.versions.select_related("saved_by").order_by("-number")


@dataclass
class FieldChange:
    name: str
    label: str
    chunks: list  # (op, text): op is "same", "removed" or "added"


def _words(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, bool):
        return [str(_("yes") if value else _("no"))]
    if isinstance(value, list):  # the Open Gov Challenge areas: their labels, a word each
        labels = dict(ChallengeArea.choices)
        return [f"{labels.get(v, v)}; " for v in value]
    return re.findall(r"\s*\S+\s*", str(value))


def fields_diff(before: dict, after: dict) -> list[FieldChange]:
    """What changed between two snapshots of a commitment, field by field, word by word."""
    changes = []
    for name in DRAFTED_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new or (not old and not new):  # a version saved before a field existed
            continue
        a, b = _words(old), _words(new)
        chunks = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "equal":
                chunks.append(("same", "".join(a[i1:i2])))
                continue
            if i2 > i1:
                chunks.append(("removed", "".join(a[i1:i2])))
            if j2 > j1:
                chunks.append(("added", "".join(b[j1:j2])))
        label = Commitment._meta.get_field(name).verbose_name
        changes.append(FieldChange(name=name, label=str(label), chunks=chunks))
    return changes


def versions_compare(*, commitment: Commitment, older: int, newer: int) -> dict:
    versions = {
        v.number: v
        for v in commitment.versions.filter(number__in=[older, newer]).select_related("saved_by")
    }
    if older not in versions or newer not in versions:
        raise CommitmentVersion.DoesNotExist
    return {
        "older": versions[older],
        "newer": versions[newer],
        "changes": fields_diff(versions[older].fields, versions[newer].fields),
    }


def commitments_for_drafter(*, member):
    return (
        Commitment.objects.filter(co_drafters=member)
        .exclude(status=Commitment.Status.WITHDRAWN)
        .select_related("plan")
        .order_by("plan", "number")
    )


def co_drafter_groups_missing(commitment: Commitment) -> list[str]:
    """The stakeholder groups not yet represented among the co-drafters (labels)."""
    present = set(
        commitment.co_drafters.values_list("organisation__sector__stakeholder_group", flat=True)
    )
    return [label for value, label in StakeholderGroup.choices if value not in present]


def co_chairs(*, forum) -> list[dict]:
    """`forum`'s co-chair of each stakeholder group today (None when vacant)."""

    seats = forum_body(forum=forum)["co_chairs"]
    return [
        {"group": value, "label": label, "seat": seats.get(value)}
        for value, label in StakeholderGroup.choices
    ]


def personal_data_of(*, member) -> dict:
    """What the action plans hold on `member`, for "download my data"."""
    return {
        "commitment_comments": rows(
            ConsultationComment.objects.filter(author=member),
            "commitment__plan__title",
            "commitment__title",
            "text",
            "created_at",
            "disposition",
            "response",
        ),
        "commitments_co_drafted": rows(
            member.drafted_commitments.all(), "plan__title", "number", "title"
        ),
        "commitment_versions_saved": rows(
            CommitmentVersion.objects.filter(saved_by=member), "commitment__title", "saved_at"
        ),
        "commitment_sign_offs": rows(
            SignOff.objects.filter(co_chair=member), "commitment__title", "signed_at"
        ),
        "milestone_updates": rows(
            Milestone.objects.filter(updated_by=member), "activity", "completion", "updated_at"
        ),
        "milestone_assessments": rows(
            MilestoneAssessment.objects.filter(assessed_by=member),
            "milestone__commitment__plan__title",
            "milestone__activity",
            "completion",
            "evidence_url",
            "evidence",
            "note",
            "updated_at",
        ),
        "assessment_panels": rows(member.assessment_panels.all(), "title"),
        "documents_added": rows(
            Document.objects.filter(added_by=member), "plan__title", "title", "added_at"
        ),
    }


# --- Exports: what they hold and when a built one is still current -----------------------


def public_commitments(plan: ActionPlan):
    """The plan's public commitments with their milestones and civil society's assessment
    of each, in order: all that exports hold."""
    return (
        plan.commitments.filter(status__in=Commitment.PUBLIC_STATUSES)
        .select_related("lead_agency", "continues__plan")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related(
                    "responsible", "progress_organisation", "civil_assessment__organisation"
                ).order_by("position", "id"),
            )
        )
        .order_by("number")
    )


def register_rows(plan: ActionPlan):
    """Every published contribution of the plan's co-creation process, with its reasoned
    response and the public commitments it fed."""
    if plan.process_id is None:
        return Contribution.objects.none()
    return (
        Contribution.objects.filter(
            workshop__process_id=plan.process_id, status=Contribution.Status.PUBLISHED
        )
        .select_related("workshop", "response")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(
                    status__in=Commitment.PUBLIC_STATUSES
                ).select_related("plan"),
                to_attr="public_commitments",
            )
        )
        .order_by("workshop__starts_at", "created_at", "id")
    )


def co_creation_summary(plan: ActionPlan) -> dict:
    """The annex: workshops held, participants by stakeholder group, contributions and how
    they were answered."""
    if plan.process_id is None:
        return {"workshops": [], "groups": [], "contributions": 0, "answered": 0}
    workshops = list(
        Workshop.objects.filter(process_id=plan.process_id, status=Workshop.Status.HELD)
        .annotate(
            attended_n=Count(
                "registrations",
                filter=Q(registrations__attendance=Registration.Attendance.ATTENDED),
            )
        )
        .order_by("starts_at")
    )
    by_group = dict(
        Registration.objects.filter(workshop__in=workshops)
        .filter(attendance=Registration.Attendance.ATTENDED)
        .values_list("stakeholder_group")
        .annotate(n=Count("id"))
        .values_list("stakeholder_group", "n")
    )
    rows = list(register_rows(plan))
    return {
        "workshops": workshops,
        "groups": [
            {"label": label, "count": by_group.get(value, 0)}
            for value, label in StakeholderGroup.choices
        ],
        "contributions": len(rows),
        "answered": sum(1 for r in rows if getattr(r, "response", None)),
        "register": rows,
    }


def fingerprint(plan: ActionPlan, *, kind: str) -> str:
    """Changes whenever the plan, its forum's name, one of its commitments or milestones,
    or a reasoned response of its process changes: a cached export is reused only while it
    holds."""
    commitments = plan.commitments.aggregate(
        n=Count("id", distinct=True),
        changed=Max("updated_at"),
        milestones_n=Count("milestones", distinct=True),
        milestone_changed=Max("milestones__updated_at"),
    )
    responded = None
    if plan.process_id:
        responded = ReasonedResponse.objects.filter(
            contribution__workshop__process_id=plan.process_id
        ).aggregate(latest=Max("responded_at"), n=Count("id"))
    # The forum's name is on the cover: a renamed forum makes the PDF stale.
    parts = [
        kind,
        plan.language,
        plan.forum.name,
        plan.updated_at.isoformat(),
        str(commitments),
        str(responded),
    ]
    if kind == "pdf":
        # The sections the apps above add (forum health) change with their own records.
        parts += plan_pdf_sections_fingerprint(plan)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def commitment_with_milestones(commitment: Commitment) -> Commitment:
    return public_commitments(commitment.plan).get(pk=commitment.pk)


def export_current(*, plan: ActionPlan, commitment: Commitment | None = None):
    """The built PDF of `plan` (or one commitment) that is still current, or None."""
    kind = f"pdf:{commitment.pk}" if commitment else "pdf"
    return PlanExport.objects.filter(
        plan=plan,
        commitment=commitment,
        fingerprint=fingerprint(plan, kind=kind),
        status=PlanExport.Status.DONE,
    ).first()
