"""Exports of a plan: the PDF (WeasyPrint, built by a task, cached by fingerprint), CSV and
JSON with field names close to OGP's own, and the reasoned-response register. Exports hold
only published content: public commitments and published contributions."""

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

from actionplans.models import ActionPlan, Commitment, Milestone, PlanExport

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"

# Stable column names, after the tables OGP publishes (see ../shared/OGP.md).
COMMITMENT_COLUMNS = [
    "commitment_id",
    "country",
    "locality",
    "action_plan",
    "action_plan_number",
    "commitment_number",
    "title",
    "status",
    "brief_description",
    "problem",
    "full_text",
    "solution",
    "lead_institution",
    "supporting_institutions_government",
    "supporting_institutions_non_government",
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_and_innovation",
    "inclusion",
    "start_date",
    "end_date",
    "policy_areas",
    "milestones",
    "completion",
    "irm_verifiable",
    "irm_open_government_lens",
    "irm_potential_for_results",
    "irm_completion",
    "irm_did_it_open_government",
]
MILESTONE_COLUMNS = [
    "commitment_id",
    "commitment_number",
    "milestone_number",
    "activity",
    "deliverable",
    "responsible",
    "start_date",
    "end_date",
    "completion_date",
    "completion",
    "evidence_url",
]
REGISTER_COLUMNS = [
    "workshop",
    "workshop_date",
    "contribution_kind",
    "contribution_title",
    "contribution_text",
    "disposition",
    "explanation",
    "commitments",
]


# --- Reads ---------------------------------------------------------------------------------


def public_commitments(plan: ActionPlan):
    return (
        plan.commitments.filter(status__in=Commitment.PUBLIC_STATUSES)
        .select_related("lead_agency")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("responsible").order_by("position", "id"),
            )
        )
        .order_by("number")
    )


def register_rows(plan: ActionPlan):
    """Every published contribution of the plan's co-creation process, with its reasoned
    response and the public commitments it fed."""
    from cocreation.models import Contribution

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
    from cocreation.models import Registration, Workshop
    from members.models import StakeholderGroup

    if plan.process_id is None:
        return {"workshops": [], "groups": [], "contributions": 0, "answered": 0}
    workshops = list(
        Workshop.objects.filter(process_id=plan.process_id, status=Workshop.Status.HELD)
        .annotate(
            attended_n=Count(
                "registrations",
                filter=_attended(Registration),
            )
        )
        .order_by("starts_at")
    )
    by_group = dict(
        Registration.objects.filter(workshop__in=workshops)
        .filter(_attended(Registration, prefix=""))
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


def _attended(Registration, prefix="registrations__"):
    from django.db.models import Q

    return Q(**{f"{prefix}attendance": Registration.Attendance.ATTENDED})


def fingerprint(plan: ActionPlan, *, kind: str) -> str:
    """Changes whenever the plan, one of its commitments or milestones, or a reasoned
    response of its process changes: a cached export is reused only while it holds."""
    commitments = plan.commitments.aggregate(
        n=Count("id", distinct=True),
        changed=Max("updated_at"),
        milestones_n=Count("milestones", distinct=True),
        milestone_changed=Max("milestones__updated_at"),
    )
    responded = None
    if plan.process_id:
        from cocreation.models import ReasonedResponse

        responded = ReasonedResponse.objects.filter(
            contribution__workshop__process_id=plan.process_id
        ).aggregate(latest=Max("responded_at"), n=Count("id"))
    parts = [kind, plan.language, plan.updated_at.isoformat(), str(commitments), str(responded)]
    if kind == "pdf":
        # The forum-health annex changes with the records and with the date.
        from health.checks import health_report

        report = health_report(plan=plan)
        parts += [str(timezone.localdate())] + [f"{c.state}:{c.summary}" for c in report.checks]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


# --- CSV and JSON --------------------------------------------------------------------------


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def _completion(commitment) -> str:
    from actionplans.selectors import completion_of

    share = completion_of(commitment.milestones.all())
    return "" if share is None else f"{share:.2f}"


def commitment_record(commitment: Commitment) -> dict:
    plan = commitment.plan
    return {
        "commitment_id": commitment.ogp_id,
        "country": plan.country.code,
        "locality": plan.locality,
        "action_plan": plan.title,
        "action_plan_number": plan.number,
        "commitment_number": commitment.number,
        "title": commitment.title,
        "status": commitment.status,
        "brief_description": commitment.summary,
        "problem": commitment.problem,
        "full_text": commitment.description,
        "solution": commitment.solution,
        "lead_institution": commitment.lead_agency.name if commitment.lead_agency else "",
        "supporting_institutions_government": commitment.government_actors,
        "supporting_institutions_non_government": commitment.non_government_actors,
        "access_to_information": _yes_no(commitment.transparency),
        "civic_participation": _yes_no(commitment.civic_participation),
        "public_accountability": _yes_no(commitment.public_accountability),
        "technology_and_innovation": _yes_no(commitment.technology_innovation),
        "inclusion": _yes_no(commitment.inclusion),
        "start_date": commitment.start_date.isoformat() if commitment.start_date else "",
        "end_date": commitment.end_date.isoformat() if commitment.end_date else "",
        "policy_areas": commitment.policy_areas,
        "milestones": len(commitment.milestones.all()),
        "completion": _completion(commitment),
        "irm_verifiable": _yes_no(commitment.irm_verifiable),
        "irm_open_government_lens": _yes_no(commitment.irm_open_government_lens),
        "irm_potential_for_results": commitment.irm_potential_results,
        "irm_completion": commitment.irm_completion,
        "irm_did_it_open_government": commitment.irm_early_results,
    }


def milestone_record(commitment: Commitment, milestone: Milestone, number: int) -> dict:
    return {
        "commitment_id": commitment.ogp_id,
        "commitment_number": commitment.number,
        "milestone_number": number,
        "activity": milestone.activity,
        "deliverable": milestone.deliverable,
        "responsible": milestone.responsible.name if milestone.responsible else "",
        "start_date": milestone.start_date.isoformat() if milestone.start_date else "",
        "end_date": milestone.end_date.isoformat() if milestone.end_date else "",
        "completion_date": milestone.completed_on.isoformat() if milestone.completed_on else "",
        "completion": milestone.completion,
        "evidence_url": milestone.evidence_url,
    }


def register_record(contribution) -> dict:
    response = getattr(contribution, "response", None)
    commitments = contribution.public_commitments
    return {
        "workshop": contribution.workshop.title,
        "workshop_date": contribution.workshop.starts_at.date().isoformat(),
        "contribution_kind": contribution.kind,
        "contribution_title": contribution.title,
        "contribution_text": contribution.text,
        "disposition": response.disposition if response else "",
        "explanation": response.explanation if response else "",
        "commitments": "; ".join(f"{c.number}. {c.title}" for c in commitments)
        or (response.commitment_reference if response else ""),
    }


def _safe(value):
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(columns: list[str], records: Iterator[dict]) -> Iterator[str]:
    """CSV line by line, for a StreamingHttpResponse: nothing is built in memory."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)  # a BOM, so spreadsheet programs read UTF-8
    for record in records:
        yield writer.writerow([_safe(record[c]) for c in columns])


def commitment_records(plan: ActionPlan) -> Iterator[dict]:
    for commitment in public_commitments(plan).select_related("plan"):
        yield commitment_record(commitment)


def milestone_records(plan: ActionPlan) -> Iterator[dict]:
    for commitment in public_commitments(plan).select_related("plan"):
        for number, milestone in enumerate(commitment.milestones.all(), start=1):
            yield milestone_record(commitment, milestone, number)


def register_records(plan: ActionPlan) -> Iterator[dict]:
    for contribution in register_rows(plan):
        yield register_record(contribution)


def plan_json(plan: ActionPlan) -> dict:
    commitments = []
    for commitment in public_commitments(plan).select_related("plan"):
        record = commitment_record(commitment)
        record["milestones"] = [
            milestone_record(commitment, m, n)
            for n, m in enumerate(commitment.milestones.all(), start=1)
        ]
        commitments.append(record)
    return {
        "action_plan": {
            "title": plan.title,
            "slug": plan.slug,
            "country": plan.country.code,
            "locality": plan.locality,
            "action_plan_number": plan.number,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
            "language": plan.language,
            "status": plan.status,
            "version": plan.version,
        },
        "commitments": commitments,
        "reasoned_responses": list(register_records(plan)),
        "exported_at": timezone.now().isoformat(),
    }


# --- PDF -----------------------------------------------------------------------------------


def plan_pdf_render(
    plan: ActionPlan,
    *,
    commitment: Commitment | None = None,
    progress: Callable[[int], None] = lambda percent: None,
) -> tuple[bytes, int]:
    """The plan (or one commitment) as PDF, headings in the plan's language. Returns the
    bytes and the page count."""
    from weasyprint import HTML

    progress(10)
    with translation.override(plan.language):
        commitments = (
            [commitment_with_milestones(commitment)]
            if commitment
            else list(public_commitments(plan))
        )
        context = {
            "plan": plan,
            "commitments": commitments,
            "single": commitment is not None,
            "fonts": FONTS.as_uri(),
            "generated_at": timezone.now(),
        }
        if commitment is None:
            from health.checks import health_report
            from health.participation import participation

            context["annex"] = co_creation_summary(plan)
            context["health"] = health_report(plan=plan)
            context["participation"] = participation(plan=plan)
        progress(30)
        html = render_to_string("actionplans/pdf/plan.html", context)
        progress(40)
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        progress(85)
        pdf = document.write_pdf()
    progress(95)
    return pdf, len(document.pages)


def commitment_with_milestones(commitment: Commitment) -> Commitment:
    return public_commitments(commitment.plan).get(pk=commitment.pk)


def export_request(*, plan: ActionPlan, commitment: Commitment | None = None, by) -> PlanExport:
    """The PDF export of `plan` (or one commitment): a finished one with the same fingerprint
    is reused, one being built is returned as it is; otherwise a new one is queued."""
    kind = f"pdf:{commitment.pk}" if commitment else "pdf"
    print_ = fingerprint(plan, kind=kind)
    existing = (
        PlanExport.objects.filter(plan=plan, commitment=commitment, fingerprint=print_)
        .exclude(status=PlanExport.Status.FAILED)
        .first()
    )
    if existing:
        return existing
    with transaction.atomic():
        export = PlanExport.objects.create(
            plan=plan, commitment=commitment, fingerprint=print_, requested_by=by
        )
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    from actionplans.tasks import build_export

    try:
        build_export.apply_async(args=[export_id], retry=False)
    except Exception:  # noqa: BLE001 - no broker: build it here rather than never
        export_build(export_id)


def export_build(export_id: int) -> PlanExport:
    """The task's work: render, store, report progress as it goes."""
    export = PlanExport.objects.select_related("plan", "commitment").get(pk=export_id)
    if export.status == PlanExport.Status.DONE:
        return export

    def progress(percent: int) -> None:
        PlanExport.objects.filter(pk=export_id).update(
            progress=percent, status=PlanExport.Status.RUNNING
        )

    try:
        pdf, pages = plan_pdf_render(export.plan, commitment=export.commitment, progress=progress)
    except Exception as error:
        PlanExport.objects.filter(pk=export_id).update(
            status=PlanExport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    name = export.plan.slug + (
        f"-commitment-{export.commitment.number}" if export.commitment else ""
    )
    export.file.save(f"{name}.pdf", ContentFile(pdf), save=False)
    export.pages = pages
    export.progress = 100
    export.status = PlanExport.Status.DONE
    export.finished_at = timezone.now()
    export.save()
    return export


def pdf_bytes_for(plan: ActionPlan, *, commitment=None, force: bool = False) -> bytes:
    """For the command line: the cached PDF when it is still current, else a fresh one."""
    kind = f"pdf:{commitment.pk}" if commitment else "pdf"
    cached = PlanExport.objects.filter(
        plan=plan,
        commitment=commitment,
        fingerprint=fingerprint(plan, kind=kind),
        status=PlanExport.Status.DONE,
    ).first()
    if cached and not force:
        with cached.file.open("rb") as handle:
            return handle.read()
    return plan_pdf_render(plan, commitment=commitment)[0]


def csv_text(columns, records) -> str:
    buffer = io.StringIO()
    for line in csv_lines(columns, records):
        buffer.write(line)
    return buffer.getvalue()
