"""Forum health pages, per forum: /forums/<forum_slug>/health/... The old /forum-health/...
addresses call the same views without `forum_slug`: they serve the default forum, and a
plan's old address its plan's forum."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans.models import ActionPlan
from cocreation.models import CoCreationProcess
from core.errors import NotAllowed
from core.kept_pages import kept_page
from core.responses import csv_download
from health import permissions, services, stored
from health.checks import STATE_LABELS, health_report
from health.forms import ThresholdsForm
from health.models import EvidencePack, HealthThresholds
from health.participation import CSV_COLUMNS, participation
from members.models import Forum, StakeholderGroup


def _forum(forum_slug) -> Forum:
    """The forum of the address; the default forum for the old addresses."""
    if forum_slug is None:
        return Forum.objects.default()
    return get_object_or_404(Forum, slug=forum_slug)


def _forum_and_plan(forum_slug, slug) -> tuple[Forum, ActionPlan | None]:
    """A plan under a forum's address must be that forum's (else 404); a plan's old address
    serves the plan's own forum. One query either way."""
    if slug is None:
        return _forum(forum_slug), None
    plans = ActionPlan.objects.select_related("forum")
    if forum_slug is not None:
        plans = plans.filter(forum__slug=forum_slug)
    plan = get_object_or_404(plans, slug=slug)
    return plan.forum, plan


PAGE_EVIDENCE = 5  # items of evidence a check lists on the health page; the rest: "all N"
PAGE_WARNINGS = 10  # warnings listed at the top of the page
EVIDENCE_PAGE_SIZE = 50  # items a page of a check's "all N" list holds
WORKSHOPS_PAGE_SIZE = 25  # workshops a page of the participation page lists


def _as_of(moment) -> str:
    """When a report was computed: its time if today, else its date and time, with the
    time zone it is shown in ("21:59 EET")."""
    local = timezone.localtime(moment)
    zone = local.strftime("%Z")
    if local.date() == timezone.localdate():
        return f"{formats.time_format(local, 'TIME_FORMAT')} {zone}"
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {zone}"


@kept_page("health", follows=stored.pages_of_stored)
def health(request, slug=None, forum_slug=None):
    """A forum's health page: the whole forum, or one of its action plans'. The public
    report is served as the worker last stored it (health/stored.py), and says when that
    was. Its own secretariat reads it computed for each visit, with which drafts must be
    announced soon; nobody else learns of them."""
    forum, plan = _forum_and_plan(forum_slug, slug)
    body_key = ""
    if permissions.can_see_drafts(request.user, forum):
        report = health_report(forum=forum, plan=plan, include_drafts=True)
    else:
        kept = stored.stored_report(forum=forum, plan=plan, only=("summary",))
        report = stored.stored_health(kept)
        # The body shows this version of the stored report alone, in the language it was
        # stored in and the visitor's time zone: rendered once per version, then kept.
        zone = timezone.get_current_timezone_name()
        body_key = f"{kept.pk}:{kept.computed_at.timestamp()}:{zone}"
    pack = None
    plans = ActionPlan.objects.filter(forum=forum).order_by("-period_start", "-id")
    if plan is not None:
        pack = _latest_pack(plan)
    warnings = report.warnings
    return render(
        request,
        "health/health.html",
        {
            "forum": forum,
            "plan": plan,
            "report": report,
            "as_of": _as_of(report.generated_at),
            "warnings": warnings[:PAGE_WARNINGS],
            "more_warnings": max(report.warnings_total - PAGE_WARNINGS, 0),
            "counts": [
                {"state": state, "label": STATE_LABELS[state], "n": n}
                for state, n in report.counts().items()
            ],
            "plans": plans.only("slug", "title"),
            "forums": Forum.objects.order_by("name", "pk").only("slug", "name"),
            "can_edit_thresholds": permissions.can_edit_thresholds(request.user, forum),
            "pack": pack,
            "can_build_pack": plan is not None
            and permissions.can_build_evidence_pack(request.user, plan),
            "body_key": body_key,
        },
    )


@kept_page("health-check", follows=stored.pages_of_stored)
def check_evidence(request, key, slug=None, forum_slug=None):
    """Every item of evidence of one check of the public report, a page at a time, with the
    check's warnings: the health page lists the few most relevant and links here."""
    forum, plan = _forum_and_plan(forum_slug, slug)
    kept = stored.stored_report(forum=forum, plan=plan, only=("summary",))
    report = stored.stored_health(kept)
    check = next((c for c in report.checks if c.key == key), None)
    if check is None:
        raise Http404(_("Unknown check."))
    items, warnings = stored.check_items(kept, check)
    page = Paginator(items, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    due = Paginator(warnings, EVIDENCE_PAGE_SIZE).get_page(request.GET.get("due"))
    for warning in due:  # a page's only
        warning["due"] = stored.date_read(warning["due"])
    return render(
        request,
        "health/check_evidence.html",
        {
            "forum": forum,
            "plan": plan,
            "report": report,
            "check": check,
            "page": page,
            "due": due,
            "total": check.evidence_count,
            "as_of": _as_of(report.generated_at),
        },
    )


CHECK_JSON_PAGE_SIZE = 200  # items of evidence, and warnings, a page of a check's JSON holds


def _json_page(request, items: list, parameter: str) -> dict:
    """One page of `items` for a check's JSON, with the addresses of its neighbours."""
    page = Paginator(items, CHECK_JSON_PAGE_SIZE).get_page(request.GET.get(parameter))

    def address(number):
        query = request.GET.copy()
        query[parameter] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": address(page.next_page_number()) if page.has_next() else None,
        "previous": address(page.previous_page_number()) if page.has_previous() else None,
        "items": list(page.object_list),
    }


@kept_page("health-check-json", header=False, follows=stored.pages_of_stored_data)
def check_json(request, key, slug=None, forum_slug=None):
    """Every item of evidence and every warning of one check of the public report, as open
    data, a page at a time (`?page=` for the evidence, `?due=` for the warnings, soonest
    due first): report.json lists the first few of each and links here."""
    forum, plan = _forum_and_plan(forum_slug, slug)
    kept = stored.stored_report(forum=forum, plan=plan, only=("summary",))
    check = next((c for c in stored.stored_health(kept).checks if c.key == key), None)
    if check is None:
        raise Http404(_("Unknown check."))
    items, warnings = stored.check_items(kept, check)
    body = {
        "forum": {"slug": forum.slug, "name": forum.name},
        "scope": plan.slug if plan else "forum",
        "generated_at": kept.computed_at.isoformat(),
        **{name: getattr(check, name) for name in ("key", "standard", "title", "state")},
        "summary": check.summary,
        "evidence": _json_page(request, items, "page"),
        "warnings": _json_page(request, warnings, "due"),
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response


@kept_page("health-json", header=False, follows=stored.pages_of_stored_data)
def health_json(request, slug=None, forum_slug=None):
    """The report and the participation figures it rests on, as open data: the same for
    everyone (drafts never appear), whoever asks; served as the worker last stored it (its
    `generated_at` says when)."""
    forum, plan = _forum_and_plan(forum_slug, slug)
    body = stored.stored_report(forum=forum, plan=plan, only=("body",)).body
    response = HttpResponse(body, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"  # open data
    return response


@login_required
def thresholds(request, forum_slug=None):
    """The forum's thresholds; only its own secretariat sets them (403 for anyone else)."""
    forum = _forum(forum_slug)
    refusal = _("Only the secretariat of %(forum)s sets its forum health thresholds.") % {
        "forum": forum.name
    }
    if not permissions.can_edit_thresholds(request.user, forum):
        raise PermissionDenied(refusal)
    form = ThresholdsForm(request.POST or None, instance=HealthThresholds.of(forum))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.thresholds_update(forum=forum, values=form.cleaned_data, by=request.user)
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from error
            messages.success(
                request,
                _("The thresholds of %(forum)s are saved; its report uses them now.")
                % {"forum": forum.name},
            )
            return redirect("health:forum_health", forum.slug)
        messages.error(request, _("Please correct the thresholds below."))
    return render(
        request,
        "health/thresholds.html",
        {"form": form, "forum": forum},
        status=400 if form.errors else 200,
    )


def _participation_follows(request) -> str | None:
    """The whole forum's participation is the stored report's; a process's or a plan's is
    computed from the records."""
    return None if request.GET.get("scope") else stored.pages_of_stored(request)


SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def _participation_scope(request, forum):
    """The `scope` parameter: "" (the forum), "process:<slug>" or "plan:<slug>", of this
    forum (another forum's process or plan: 404)."""
    kind, _sep, slug = request.GET.get("scope", "").partition(":")
    if kind and not SLUG.fullmatch(slug):  # a NUL byte never reaches the database
        raise Http404(_("Unknown scope."))
    if kind == "process":
        process = get_object_or_404(CoCreationProcess, slug=slug, forum=forum)
        return process, None, process.title
    if kind == "plan":
        plan = get_object_or_404(ActionPlan, slug=slug, forum=forum)
        return None, plan, plan.title
    if kind:
        raise Http404(_("Unknown scope."))
    return None, None, forum.name


@kept_page("participation", follows=_participation_follows)
def participation_page(request, forum_slug=None):
    """Participation in the forum's workshops: the figures over all of them, and the
    workshops one page at a time (the latest first)."""
    forum = _forum(forum_slug)
    process, plan, label = _participation_scope(request, forum)
    query = request.GET.copy()
    query.pop("page", None)
    query = query.urlencode()
    csv_url = reverse("health:forum_participation_csv", args=[forum.slug])
    table_key = ""
    if process is None and plan is None:  # the whole forum: as the worker stored it
        kept = stored.stored_report(forum=forum, only=("participation",))
        if not kept.participation:  # stored before the figures were
            kept = stored.report_store(forum=forum, language=kept.language)
        figures = stored.participation_read(kept.participation)
        rows = stored.stored_workshops(kept)
        zone = timezone.get_current_timezone_name()
        # the table of a page of this version of the report: rendered once, then kept
        table_key = f"{kept.pk}:{kept.computed_at.timestamp()}:{zone}"
    else:
        figures = participation(forum=forum, process=process, plan=plan)
        rows = figures.workshops[::-1]
    workshops = Paginator(rows, WORKSHOPS_PAGE_SIZE).get_page(request.GET.get("page"))
    stored.workshops_attach(workshops.object_list)
    if table_key:
        table_key += f":{workshops.number}"
    return render(
        request,
        "health/participation.html",
        {
            "forum": forum,
            "participation": figures,
            "workshops": workshops,
            "scope_label": label,
            "selected_process": process,
            "selected_plan": plan,
            "processes": CoCreationProcess.objects.filter(forum=forum).order_by("-created_at"),
            "plans": ActionPlan.objects.filter(forum=forum).order_by("-period_start"),
            "groups": StakeholderGroup.choices,
            "csv_url": csv_url + (f"?{query}" if query else ""),
            "table_key": table_key,
        },
    )


def participation_csv(request, forum_slug=None):
    forum = _forum(forum_slug)
    process, plan, label = _participation_scope(request, forum)
    figures = participation(forum=forum, process=process, plan=plan)
    slug = (process or plan).slug if (process or plan) else forum.slug
    return csv_download(CSV_COLUMNS, figures.csv_records(scope=label), f"participation-{slug}.csv")


# --- The IRM evidence pack -------------------------------------------------------------------


def _latest_pack(plan) -> EvidencePack | None:
    """The plan's latest built pack, in the page's language if there is one, else in any."""
    built = EvidencePack.objects.filter(plan=plan, status=EvidencePack.Status.DONE).order_by(
        "-finished_at", "-id"
    )
    return built.filter(language=get_language()).first() or built.first()


@login_required
@require_POST
def evidence_pack_request(request, forum_slug, slug):
    """Build (or reuse) the plan's evidence pack in the page's language; its forum's
    secretariat only (403 for anyone else)."""
    _forum, plan = _forum_and_plan(forum_slug, slug)
    if not permissions.can_build_evidence_pack(request.user, plan):
        raise PermissionDenied(
            _("Only the secretariat of %(forum)s builds the evidence packs of its plans.")
            % {"forum": plan.forum.name}
        )
    try:
        pack = services.evidence_pack_request(plan=plan, language=get_language(), by=request.user)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    return redirect("health:evidence_pack", plan.forum.slug, plan.slug, pack.pk)


def _pack(forum_slug, slug, pk, **filters) -> EvidencePack:
    return get_object_or_404(
        EvidencePack.objects.select_related("plan__forum"),
        pk=pk,
        plan__slug=slug,
        plan__forum__slug=forum_slug,
        **filters,
    )


def evidence_pack(request, forum_slug, slug, pk):
    """Where a pack is: waiting, being built (a progress bar the page refreshes), ready (a
    download) or failed (try again). Public, as the pack is."""
    services.evidence_packs_expire()  # one that no worker took in time shows "failed"
    pack = _pack(forum_slug, slug, pk)
    template = (
        "health/evidence_pack_partial.html"
        if request.headers.get("HX-Request")
        else "health/evidence_pack.html"
    )
    return render(
        request,
        template,
        {
            "forum": pack.plan.forum,
            "plan": pack.plan,
            "pack": pack,
            "can_build_pack": permissions.can_build_evidence_pack(request.user, pack.plan),
        },
    )


def evidence_pack_download(request, forum_slug, slug, pk):
    pack = _pack(forum_slug, slug, pk, status=EvidencePack.Status.DONE)
    try:
        handle = pack.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=pack.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )
