from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplans.models import ActionPlan
from cocreation.models import CoCreationProcess
from core.responses import csv_download
from health import permissions, services
from health.checks import STATE_LABELS, health_report
from health.forms import ThresholdsForm
from health.models import HealthThresholds
from health.participation import CSV_COLUMNS, participation
from members.models import Forum, StakeholderGroup


def _plan(slug):
    return get_object_or_404(ActionPlan, slug=slug) if slug else None


def health(request, slug=None):
    """The forum health page: the whole forum, or one action plan's."""
    plan = _plan(slug)
    report = health_report(plan=plan)
    return render(
        request,
        "health/health.html",
        {
            "plan": plan,
            "report": report,
            "counts": [
                {"state": state, "label": STATE_LABELS[state], "n": n}
                for state, n in report.counts().items()
            ],
            "plans": ActionPlan.objects.order_by("-period_start").only("slug", "title"),
            "can_edit_thresholds": permissions.can_edit_thresholds(request.user),
        },
    )


def health_json(request, slug=None):
    """The report and the participation figures it rests on, as open data."""
    plan = _plan(slug)
    data = health_report(plan=plan).as_dict()
    data["participation"] = participation(plan=plan).as_dict()
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response


@login_required
def thresholds(request):
    if not permissions.can_edit_thresholds(request.user):
        raise PermissionDenied(_("Only the secretariat sets the forum health thresholds."))
    form = ThresholdsForm(
        request.POST or None, instance=HealthThresholds.of(Forum.objects.default())
    )
    if request.method == "POST":
        if form.is_valid():
            services.thresholds_update(values=form.cleaned_data, by=request.user)
            messages.success(request, _("The thresholds are saved; the report uses them now."))
            return redirect("health:health")
        messages.error(request, _("Please correct the thresholds below."))
    return render(
        request, "health/thresholds.html", {"form": form}, status=400 if form.errors else 200
    )


def _participation_scope(request):
    """The `scope` parameter: "" (the forum), "process:<slug>" or "plan:<slug>"."""
    kind, _sep, slug = request.GET.get("scope", "").partition(":")
    if kind == "process":
        process = get_object_or_404(CoCreationProcess, slug=slug)
        return process, None, process.title
    if kind == "plan":
        plan = get_object_or_404(ActionPlan, slug=slug)
        return None, plan, plan.title
    if kind:
        raise Http404(_("Unknown scope."))
    return None, None, _("the whole forum")


def participation_page(request):
    process, plan, label = _participation_scope(request)
    query = request.GET.urlencode()
    return render(
        request,
        "health/participation.html",
        {
            "participation": participation(process=process, plan=plan),
            "scope_label": label,
            "selected_process": process,
            "selected_plan": plan,
            "processes": CoCreationProcess.objects.order_by("-created_at"),
            "plans": ActionPlan.objects.order_by("-period_start"),
            "groups": StakeholderGroup.choices,
            "csv_url": reverse("health:participation_csv") + (f"?{query}" if query else ""),
        },
    )


def participation_csv(request):
    process, plan, label = _participation_scope(request)
    figures = participation(process=process, plan=plan)
    slug = (process or plan).slug if (process or plan) else "forum"
    return csv_download(CSV_COLUMNS, figures.csv_records(scope=label), f"participation-{slug}.csv")
