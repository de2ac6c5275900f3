"""Action plans in a forum's back office: the new action plan form, and
/manage/<forum>/plans/: each plan's introduction, status and dates, its commitments'
sign-offs and its repository. The overview of /manage/<forum>/ is the project shell's
(forum/manage_views.py)."""

import zoneinfo
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from actionplans import permissions, selectors, services
from actionplans.forms import (
    AssessmentPanelForm,
    DocumentForm,
    PlanCreateForm,
    PlanEditForm,
    PlanStatusForm,
)
from actionplans.models import ActionPlan, Document
from core.errors import ForumError
from core.forms import form_errors_add
from members.manage import forum_managed

WORKSHOPS_PAGE_SIZE = 25
PLANS_PAGE_SIZE = 25


@login_required
def plan_create(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_create_plan)
    form = PlanCreateForm(request.POST or None, forum=forum)
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.PLAN_FIELDS}
            try:
                plan = services.plan_create(forum=forum, fields=fields, by=request.user)
            except ValidationError as error:
                form_errors_add(form, error)
            except ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The action plan “%(title)s” is created.") % {"title": plan.title}
                )
                return redirect("manage:plan", forum.slug, plan.slug)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "actionplans/plan_create.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )


# --- /manage/<forum>/plans/ ----------------------------------------------------------------


def _plan_of(forum, plan_slug: str) -> ActionPlan:
    try:
        return selectors.forum_plan(forum=forum, slug=plan_slug)
    except ActionPlan.DoesNotExist:
        raise Http404 from None


@login_required
def plans(request, forum_slug):
    """The forum's action plans, searchable by title, the latest first."""
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # PostgreSQL refuses NUL
    page = Paginator(
        selectors.forum_plans_search(forum=forum, query=query), PLANS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "actionplans/manage/plans.html",
        {
            "forum": forum,
            "page": page,
            "query": query,
            "can_create_plan": permissions.can_create_plan(request.user, forum),
        },
    )


def _plan_page(
    request, forum, plan, *, edit_form=None, status_form=None, panel_form=None, status=200
):
    return render(
        request,
        "actionplans/manage/plan.html",
        {
            "forum": forum,
            "plan": plan,
            "edit_form": edit_form or PlanEditForm(instance=plan),
            "status_form": status_form or PlanStatusForm(initial={"status": plan.status}),
            "commitments_by_status": selectors.plan_sign_offs(plan=plan),
            "documents": selectors.plan_documents(plan=plan),
            "panel": selectors.assessment_panel(plan=plan),
            "panel_form": panel_form or AssessmentPanelForm(auto_id="panel_%s"),
            "portal_zone": PlanEditForm.zone_label(),
            # What the template filter `in_zone` asks of a time's owner: its zone.
            "plan_zone": SimpleNamespace(zone=zoneinfo.ZoneInfo(PlanEditForm.zone_label())),
        },
        status=status,
    )


@login_required
def plan(request, forum_slug, plan_slug):
    """One plan: its introduction and dates (edited here), its status, its commitments with
    their sign-offs, and its repository."""
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    plan = _plan_of(forum, plan_slug)
    if request.method != "POST":
        return _plan_page(request, forum, plan)
    form = PlanEditForm(request.POST, instance=plan)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.PLAN_EDIT_FIELDS}
        try:
            plan = services.plan_edit(plan=plan, fields=fields, by=request.user)
        except ValidationError as error:
            form_errors_add(form, error)
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The action plan “%(title)s” is saved.") % {"title": plan.title}
            )
            return redirect("manage:plan", forum.slug, plan.slug)
    messages.error(request, _("Please correct the errors below."))
    plan.refresh_from_db()
    return _plan_page(request, forum, plan, edit_form=form, status=400)


@login_required
@require_POST
def plan_status(request, forum_slug, plan_slug):
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    plan = _plan_of(forum, plan_slug)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        try:
            services.plan_status_change(
                plan=plan, status=form.cleaned_data["status"], by=request.user
            )
        except ForumError as error:
            if error.status_code == 403:
                raise
            form.add_error("status", str(error))
        else:
            messages.success(
                request,
                _("The action plan is now: %(status)s.") % {"status": plan.get_status_display()},
            )
            return redirect("manage:plan", forum.slug, plan.slug)
    messages.error(request, _("The status was not changed."))
    plan.refresh_from_db()
    return _plan_page(request, forum, plan, status_form=form, status=400)


@login_required
@require_POST
def co_chairs_remind(request, forum_slug, plan_slug):
    """E-mail the forum's co-chairs about the commitments awaiting their sign-off."""
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    plan = _plan_of(forum, plan_slug)
    sent = services.co_chairs_remind(plan=plan, by=request.user)
    if sent:
        messages.success(
            request,
            ngettext(
                "%(count)d reminder sent to the co-chairs.",
                "%(count)d reminders sent to the co-chairs.",
                sent,
            )
            % {"count": sent},
        )
    else:
        messages.info(
            request,
            _(
                "No reminder to send: no commitment awaits a co-chair's sign-off, or they "
                "were reminded of it today already."
            ),
        )
    return redirect("manage:plan", forum.slug, plan.slug)


@login_required
@require_POST
def panel_add(request, forum_slug, plan_slug):
    """Name a member to the plan's civil-society assessment panel."""
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    plan = _plan_of(forum, plan_slug)
    form = AssessmentPanelForm(request.POST, auto_id="panel_%s")
    if form.is_valid():
        member = form.cleaned_data["email"]
        try:
            services.plan_panel_add(plan=plan, member=member, by=request.user)
        except ForumError as error:
            if error.status_code == 403:
                raise
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("%(member)s is on the plan's assessment panel.") % {"member": member},
            )
            return redirect(reverse("manage:plan", args=[forum.slug, plan.slug]) + "#panel-heading")
    messages.error(request, _("Please correct the errors below."))
    return _plan_page(request, forum, plan, panel_form=form, status=400)


@login_required
@require_POST
def panel_remove(request, forum_slug, plan_slug, member_id):
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    plan = _plan_of(forum, plan_slug)
    member = plan.assessment_panel.filter(pk=member_id).first()
    if member is None:
        raise Http404
    services.plan_panel_remove(plan=plan, member=member, by=request.user)
    messages.success(
        request, _("%(member)s is no longer on the plan's assessment panel.") % {"member": member}
    )
    return redirect(reverse("manage:plan", args=[forum.slug, plan.slug]) + "#panel-heading")


@login_required
def document_add(request, forum_slug, plan_slug):
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    plan = _plan_of(forum, plan_slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = services.DocumentUpload(
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                dated=form.cleaned_data["dated"],
                file=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
            )
            try:
                document = services.document_add(plan=plan, upload=upload, by=request.user)
            except ForumError as error:
                form.add_error("file" if upload.file else None, str(error))
            else:
                messages.success(
                    request,
                    _("“%(title)s” is added to the repository.") % {"title": document.title},
                )
                return redirect("manage:plan", forum.slug, plan.slug)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "actionplans/manage/document_add.html",
        {"forum": forum, "plan": plan, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def document_remove(request, forum_slug, plan_slug, document_id):
    """A confirmation page (GET), then the removal (POST)."""
    forum = forum_managed(request, forum_slug, permissions.can_manage_plans)
    plan = _plan_of(forum, plan_slug)
    try:
        document = plan.documents.get(pk=document_id)
    except Document.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        services.document_remove(document=document, by=request.user)
        messages.success(
            request,
            _("“%(title)s” is removed from the repository.") % {"title": document.title},
        )
        return redirect("manage:plan", forum.slug, plan.slug)
    return render(
        request,
        "actionplans/manage/document_remove.html",
        {"forum": forum, "plan": plan, "document": document},
    )
