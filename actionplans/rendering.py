"""Rendering a plan for export: the PDF (WeasyPrint), and the records of its CSV and JSON
with field names close to OGP's own. Exports hold only published content: public
commitments and published contributions. `export_build` is the body of the export task
(tasks.py imports this module, never the reverse); what an export holds is read in
selectors, an export is requested in services."""

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from actionplans import selectors
from actionplans.models import ActionPlan, Commitment, Milestone, PlanExport
from actionplans.pdf_sections import plan_pdf_sections_render

logger = logging.getLogger(__name__)

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"

# Tagged for accessibility (PDF/UA-1, which WeasyPrint implements since version 57): the
# structure tree (headings, lists, tables with their header cells) in reading order, the
# document's language from <html lang>, its title and author from <title> and
# <meta name="author">. EU public-sector bodies must publish accessible documents.
PDF_VARIANT = "pdf/ua-1"

# Stable column names, after the tables OGP publishes (see ../shared/OGP.md).
COMMITMENT_COLUMNS = [
    "commitment_id",
    "forum",
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
    "open_gov_challenge_areas",
    "milestones",
    "completion",
    "milestones_assessed_by_both",
    "milestones_assessments_differ",
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
    "progress_reported_for",
    "civil_society_completion",
    "civil_society_evidence_url",
    "civil_society_evidence",
    "civil_society_note",
    "civil_society_assessed_for",
    "civil_society_assessed_at",
    "assessments_differ",
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


# --- CSV and JSON --------------------------------------------------------------------------


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def _completion(commitment) -> str:
    share = selectors.completion_of(commitment.milestones.all())
    return "" if share is None else f"{share:.2f}"


def commitment_record(commitment: Commitment) -> dict:
    plan = commitment.plan
    return {
        "commitment_id": commitment.ogp_id,
        "forum": plan.forum.name,
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
        "open_gov_challenge_areas": ";".join(commitment.challenge_areas or ()),
        "milestones": len(commitment.milestones.all()),
        "completion": _completion(commitment),
        "milestones_assessed_by_both": sum(
            1 for m in commitment.milestones.all() if m.reported and m.civil_society_assessment()
        ),
        "milestones_assessments_differ": sum(
            1 for m in commitment.milestones.all() if m.assessments_differ
        ),
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
        # The organisation the last progress report was made for, as it was then.
        "progress_reported_for": milestone.progress_organisation.name
        if milestone.progress_organisation
        else "",
        **civil_society_record(milestone),
    }


def civil_society_record(milestone: Milestone) -> dict:
    """Civil society's assessment of `milestone` beside the lead agency's report (empty
    without one); `assessments_differ` is yes or no once both have assessed it."""
    assessment = milestone.civil_society_assessment()
    if assessment is None:
        return {
            "civil_society_completion": "",
            "civil_society_evidence_url": "",
            "civil_society_evidence": "",
            "civil_society_note": "",
            "civil_society_assessed_for": "",
            "civil_society_assessed_at": "",
            "assessments_differ": "",
        }
    return {
        "civil_society_completion": assessment.completion,
        "civil_society_evidence_url": assessment.evidence_url,
        "civil_society_evidence": assessment.evidence,
        "civil_society_note": assessment.note,
        # The organisation the assessment was given for, as it was then.
        "civil_society_assessed_for": assessment.organisation.name
        if assessment.organisation
        else "",
        "civil_society_assessed_at": assessment.updated_at.isoformat(),
        "assessments_differ": _yes_no(milestone.assessments_differ) if milestone.reported else "",
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


def commitment_records(plan: ActionPlan) -> Iterator[dict]:
    for commitment in selectors.public_commitments(plan).select_related("plan__forum"):
        yield commitment_record(commitment)


def milestone_records(plan: ActionPlan) -> Iterator[dict]:
    for commitment in selectors.public_commitments(plan).select_related("plan__forum"):
        for number, milestone in enumerate(commitment.milestones.all(), start=1):
            yield milestone_record(commitment, milestone, number)


def register_records(plan: ActionPlan) -> Iterator[dict]:
    for contribution in selectors.register_rows(plan):
        yield register_record(contribution)


def plan_json(plan: ActionPlan) -> dict:
    commitments = []
    for commitment in selectors.public_commitments(plan).select_related("plan__forum"):
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
            "forum": {"name": plan.forum.name, "slug": plan.forum.slug},
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


def plan_document_context(plan: ActionPlan, *, commitment: Commitment | None = None) -> dict:
    """What the plan's document holds, read once for its two forms, the PDF and the web page
    (a fixed number of queries however many commitments): the public commitments (or the
    one asked, which must be public) with their milestones and, for the whole plan, the
    co-creation annex with its reasoned-response register."""
    if commitment is not None:
        return {
            "plan": plan,
            "commitments": [selectors.commitment_with_milestones(commitment)],
            "single": True,
        }
    return {
        "plan": plan,
        "commitments": list(selectors.public_commitments(plan)),
        "single": False,
        "annex": selectors.co_creation_summary(plan),
    }


_collections = {"lock": threading.Lock(), "renders": 0, "threshold": gc.get_threshold()}
RENDER_GC_THRESHOLD = (20_000, 50, 100)


@contextmanager
def _fewer_collections():
    """WeasyPrint makes millions of small objects that live as long as the document, and
    Python's cyclic collector, at its default thresholds, scans them again and again: a
    sixth to a fifth of a large plan's render (60x15: 19.8 s of CPU with it, 16.1 s without;
    measured, see benchmarks/pdf_export.py). While a render runs, what existed before it is
    frozen (never scanned) and the young objects are collected less often."""
    with _collections["lock"]:
        if _collections["renders"] == 0:
            _collections["threshold"] = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*RENDER_GC_THRESHOLD)
        _collections["renders"] += 1
    try:
        yield
    finally:
        with _collections["lock"]:
            _collections["renders"] -= 1
            if _collections["renders"] == 0:
                gc.set_threshold(*_collections["threshold"])
                gc.unfreeze()


_page_references = {"installed": False}


def _page_references_once() -> None:
    """pydyf (WeasyPrint's PDF writer, 0.13) rebuilds the tuple of every page's reference
    each time one is asked for, and the tagging of a PDF/UA document asks once per tagged
    box: quadratic in the pages, 1.2 s of a 253-page plan's 11 s (profiled, see
    benchmarks/pdf_export.py). The tuple is kept while the page list does not grow; a page
    added (pages are only ever appended) makes it again."""
    if _page_references["installed"]:
        return
    import pydyf  # noqa: PLC0415 -- with WeasyPrint, only when a PDF is built

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_forum_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            pdf.__dict__["_forum_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    _page_references["installed"] = True


def plan_pdf_render(
    plan: ActionPlan,
    *,
    commitment: Commitment | None = None,
    progress: Callable[[int], None] = lambda percent: None,
) -> tuple[bytes, int]:
    """The plan (or one commitment) as PDF, headings in the plan's language. Returns the
    bytes and the page count."""
    from weasyprint import HTML  # noqa: PLC0415 -- a heavy import (0.4 s), only when a PDF is built

    progress(10)
    with translation.override(plan.language):
        context = plan_document_context(plan, commitment=commitment)
        context.update(fonts=FONTS.as_uri(), generated_at=timezone.now())
        if commitment is None:
            context["sections"] = plan_pdf_sections_render(plan)
        progress(30)
        html = render_to_string("actionplans/pdf/plan.html", context)
        progress(40)
        with _fewer_collections():
            document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
            progress(80)
            # The layout leaves the boxes it tried and dropped (with the text layouts they
            # hold, memory outside Python) for a full collection, which the thresholds above
            # put off: collected here, before the PDF is written, they do not add to the
            # peak (60x15: 87 MiB less, for 1 s).
            gc.collect()
            progress(85)
            _page_references_once()
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    progress(95)
    return pdf, len(document.pages)


def export_build(export_id: int) -> PlanExport:
    """The export task's work: claim the queued export, render it, store it, report progress
    as it goes. An export is rendered at most once: one that is not waiting any more (built,
    failed, given up after the queue timeout, or claimed by another worker) is left as it
    is. A failing render marks it failed, with the error kept for the administrator, and
    is not raised: the status page offers to try again."""
    claimed = PlanExport.objects.filter(pk=export_id, status=PlanExport.Status.QUEUED).update(
        status=PlanExport.Status.RUNNING, progress=5
    )
    export = PlanExport.objects.select_related("plan", "commitment").get(pk=export_id)
    if not claimed:
        return export

    def progress(percent: int) -> None:
        PlanExport.objects.filter(pk=export_id).update(progress=percent)

    try:
        pdf, pages = plan_pdf_render(export.plan, commitment=export.commitment, progress=progress)
    except Exception as error:  # noqa: BLE001 - any failure of the render is shown as "failed"
        logger.exception("The PDF export %s of %s failed", export_id, export.plan)
        PlanExport.objects.filter(pk=export_id).update(
            status=PlanExport.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        export.refresh_from_db()
        return export
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
    cached = selectors.export_current(plan=plan, commitment=commitment)
    if cached and not force:
        with cached.file.open("rb") as handle:
            return handle.read()
    return plan_pdf_render(plan, commitment=commitment)[0]


def plan_pdf_kept(
    plan: ActionPlan, *, by=None, progress: Callable[[int], None] = lambda percent: None
) -> bytes:
    """The plan's PDF for a task that needs its bytes (forum health's evidence pack): the
    built export while it is current, else a fresh render, kept as the plan's export so that
    neither the next pack nor the downloads page renders it again."""
    print_ = selectors.fingerprint(plan, kind="pdf")
    cached = selectors.export_current(plan=plan)
    if cached is not None:
        try:
            with cached.file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass  # the file is gone: render it again
    pdf, pages = plan_pdf_render(plan, progress=progress)
    export = PlanExport(
        plan=plan,
        fingerprint=print_,
        status=PlanExport.Status.DONE,
        progress=100,
        pages=pages,
        requested_by=by,
        finished_at=timezone.now(),
    )
    export.file.save(f"{plan.slug}.pdf", ContentFile(pdf), save=False)
    export.save()
    return pdf
