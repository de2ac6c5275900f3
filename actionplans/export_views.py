"""Exports of a plan: the PDF (built by a task, with a progress bar), CSV, JSON and the
reasoned-response register. CSV and JSON are open data; building a PDF is the
secretariat's, downloading a built one is public (it holds only published content)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans import permissions, rendering, selectors, services
from actionplans.models import ActionPlan, Commitment, PlanExport
from actionplans.views import _require
from core.responses import csv_download, json_download


def _plan(slug) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("forum"), slug=slug)


@login_required
@require_POST
def export_pdf(request, slug, number=None):
    plan = _plan(slug)
    _require(permissions.can_export(request.user, plan))
    commitment = None
    if number is not None:
        commitment = get_object_or_404(
            Commitment, plan=plan, number=number, status__in=Commitment.PUBLIC_STATUSES
        )
    export = services.export_request(plan=plan, commitment=commitment, by=request.user)
    return redirect("actionplans:export_status", plan.slug, export.pk)


def export_status(request, slug, pk):
    services.plan_exports_expire()  # one that no worker took in time shows "failed"
    export = get_object_or_404(PlanExport.objects.select_related("plan"), pk=pk, plan__slug=slug)
    template = (
        "actionplans/exports/status_partial.html"
        if request.headers.get("HX-Request")
        else "actionplans/exports/status.html"
    )
    return render(
        request,
        template,
        {
            "plan": export.plan,
            "export": export,
            "can_export": permissions.can_export(request.user, export.plan),
        },
    )


def export_download(request, slug, pk):
    export = get_object_or_404(PlanExport, pk=pk, plan__slug=slug, status=PlanExport.Status.DONE)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def plan_csv(request, slug):
    plan = _plan(slug)
    if request.GET.get("table") == "milestones":
        return csv_download(
            rendering.MILESTONE_COLUMNS,
            rendering.milestone_records(plan),
            f"{plan.slug}-milestones.csv",
        )
    return csv_download(
        rendering.COMMITMENT_COLUMNS,
        rendering.commitment_records(plan),
        f"{plan.slug}-commitments.csv",
    )


def plan_json(request, slug):
    plan = _plan(slug)
    return json_download(rendering.plan_json(plan), f"{plan.slug}.json")


def register(request, slug):
    plan = _plan(slug)
    page = Paginator(selectors.register_rows(plan), 50).get_page(request.GET.get("page"))
    return render(request, "actionplans/exports/register.html", {"plan": plan, "page": page})


def register_csv(request, slug):
    plan = _plan(slug)
    return csv_download(
        rendering.REGISTER_COLUMNS,
        rendering.register_records(plan),
        f"{plan.slug}-reasoned-responses.csv",
    )


def exports_page(request, slug):
    plan = _plan(slug)
    latest = (
        PlanExport.objects.filter(plan=plan, commitment=None, status=PlanExport.Status.DONE)
        .order_by("-finished_at")
        .first()
    )
    current = latest is not None and latest.fingerprint == selectors.fingerprint(plan, kind="pdf")
    if latest and not current and permissions.can_export(request.user, plan):
        messages.info(request, _("The plan changed since the last PDF: build a new one."))
    return render(
        request,
        "actionplans/exports/index.html",
        {
            "plan": plan,
            "latest": latest,
            "current": current,
            "can_export": permissions.can_export(request.user, plan),
        },
    )
