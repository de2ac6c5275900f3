"""Pages of action plans: thin views over selectors, permissions and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplans import forms, permissions, selectors, services
from actionplans.models import (
    DRAFTED_FIELDS,
    ActionPlan,
    Commitment,
    CommitmentVersion,
    ConsultationComment,
    Document,
    Milestone,
    MilestoneAssessment,
)
from core.errors import ForumError
from core.fingerprints import kept_fragments
from core.kept_pages import kept_page
from core.translation.selectors import translations_attach
from core.translation.services import translations_request


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _plan(slug) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("forum"), slug=slug)


def _commitment(request, slug, number) -> Commitment:
    plan = _plan(slug)
    try:
        commitment = selectors.commitment_detail(plan=plan, number=number)
    except Commitment.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_commitment(request.user, commitment):
        raise Http404
    return commitment


@kept_page("plans")
def index(request, forum=None):
    """Every forum's action plans, or one forum's (its pages pass `forum`)."""
    filterset = selectors.plan_list(viewer=request.user, filters=request.GET or None, forum=forum)
    return render(
        request,
        "actionplans/index.html",
        {"filter": filterset, "plans": filterset.qs, "forum": forum},
    )


@login_required
def my_commitments(request):
    return render(
        request,
        "actionplans/my_commitments.html",
        {
            "drafting": selectors.commitments_for_drafter(member=request.user),
            "awaiting": selectors.commitments_awaiting_sign_off(request.user),
            "co_chairs": bool(permissions.co_chaired_forums(request.user)),
        },
    )


IDEAS_PAGE_SIZE = 20


@login_required
@kept_page("my-ideas")
def my_ideas(request):
    """ "What became of my ideas": each contribution the member posted, its reasoned
    response, the commitments it fed with their status, and their milestones' completion."""
    ideas = Paginator(selectors.ideas_of(member=request.user), IDEAS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    complete = Milestone.Completion.COMPLETE
    for contribution in ideas:
        for commitment in contribution.fed:
            milestones = commitment.milestones.all()
            commitment.milestones_done = sum(1 for m in milestones if m.completion == complete)
            commitment.share = selectors.completion_of(milestones)
            # A draft is named to its contributor only once it is public, as in the
            # contribution's reasoned response.
            commitment.named = (
                commitment.is_public or commitment.status == Commitment.Status.WITHDRAWN
            )
    return render(request, "actionplans/my_ideas.html", {"ideas": ideas, "page": ideas})


@kept_page("plan")
def plan_detail(request, slug):
    plan = _plan(slug)
    filterset = selectors.plan_commitments_filtered(
        plan=plan, viewer=request.user, filters=request.GET or None
    )
    refused = filterset.is_bound and not filterset.is_valid()  # an unknown area: a 400
    return render(
        request,
        "actionplans/plan_detail.html",
        {
            "plan": plan,
            "filter": filterset,
            "filtered": filterset.is_bound and any(filterset.form.cleaned_data.values()),
            "filter_refused": refused,
            "commitments": filterset.qs,
            "can_create": permissions.can_create_commitment(request.user, plan),
            "can_export": permissions.can_export(request.user, plan),
            "consultation_open": plan.consultation_open(),
        },
        status=400 if refused else 200,
    )


# Milestones each list of the dashboard shows before "Show all": a plan running late can have
# hundreds overdue, and the page is read for its figures first.
DASHBOARD_LIST_LIMIT = 25
DASHBOARD_ALL_PAGE_SIZE = 100  # "Show all" of a long list, a page at a time
DASHBOARD_PAGE_SIZE = 25  # commitments in the completion table


@kept_page("dashboard")
def plan_dashboard(request, slug):
    plan = _plan(slug)
    dashboard = selectors.plan_dashboard(plan=plan)
    rows = Paginator(dashboard["rows"], DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    for commitment in rows:
        commitment.plan = plan  # the plan is not joined: it is this one
    show = request.GET.get("show")
    lists = {}
    for name, milestones, total, template in (
        ("overdue", dashboard["overdue"], dashboard["overdue_n"], "milestone_row"),
        ("due", dashboard["due_soon"], dashboard["due_soon_n"], "milestone_row"),
        ("assessed", dashboard["assessed"], dashboard["assessed_n"], "assessment_row"),
    ):
        if show == name:  # "Show all": every one, a page at a time
            shown = Paginator(milestones, DASHBOARD_ALL_PAGE_SIZE).get_page(
                request.GET.get("show_page")
            )
        else:
            shown = list(milestones[:DASHBOARD_LIST_LIMIT])
        for milestone in shown:
            milestone.commitment.plan = plan
        lists[name] = {
            "rows": kept_fragments(
                f"dashboard-{template}",
                shown,
                lambda m, template=template: render_to_string(
                    f"actionplans/includes/{template}.html",
                    {"commitment": m.commitment, "milestone": m},
                ),
            ),
            "page": shown if show == name else None,
            "hidden": 0 if show == name else max(total - DASHBOARD_LIST_LIMIT, 0),
        }
    return render(
        request,
        "actionplans/dashboard.html",
        {
            "plan": plan,
            **dashboard,
            "rows": kept_fragments(
                "dashboard-row",
                rows,
                lambda c: render_to_string(
                    "actionplans/includes/dashboard_row.html",
                    {"row": selectors.dashboard_row(c)},
                ),
            ),
            "rows_page": rows,
            "lists": lists,
        },
    )


# --- Drafting ------------------------------------------------------------------------------


@login_required
def commitment_create(request, slug):
    plan = _plan(slug)
    _require(permissions.can_create_commitment(request.user, plan))
    form = forms.CommitmentCreateForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        drafters = {request.user, *form.cleaned_data["co_drafters"]}
        try:
            commitment = services.commitment_create(
                plan=plan,
                title=form.cleaned_data["title"],
                co_drafters=drafters,
                contributions=form.cleaned_data["contributions"],
                by=request.user,
            )
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The draft commitment is created. Write its text now."))
            return redirect("actionplans:commitment_edit", plan.slug, commitment.number)
    if request.method == "POST":
        messages.error(request, _("Please correct the errors below."))
    return render(request, "actionplans/commitment_create.html", {"plan": plan, "form": form})


def _milestone_rows(user, commitment, assessment_form=None) -> list[tuple]:
    """Each milestone with whether `user` reports its progress, and the form of civil
    society's assessment when `user` may give it (`assessment_form`: one sent back with its
    errors)."""
    rows = []
    for milestone in commitment.milestones.all():
        form = None
        if permissions.can_assess_milestone(user, milestone)[0]:
            if (
                assessment_form is not None
                and assessment_form.instance.milestone_id == milestone.pk
            ):
                form = assessment_form
            else:
                form = forms.MilestoneAssessmentForm(
                    instance=milestone.civil_society_assessment(), prefix=f"assess-{milestone.pk}"
                )
        rows.append((milestone, permissions.can_update_milestone(user, milestone), form))
    return rows


def _detail_context(request, commitment, comment_form=None, assessment_form=None) -> dict:
    user = request.user
    # Machine translations into the reader's language (never in the plan's PDF): one query.
    language = get_language()
    missing = translations_attach(
        objects=[commitment, *commitment.consultation_comments.all()], language=language
    )
    translations_request(missing=missing, language=language)
    can_comment, why_not_comment = permissions.can_comment(user, commitment)
    signed = {s.stakeholder_group: s for s in commitment.sign_offs.all()}
    can_sign, why_not_sign = permissions.can_sign_off(user, commitment)
    return {
        "plan": commitment.plan,
        "commitment": commitment,
        "can_edit": permissions.can_edit_commitment(user, commitment),
        "transitions": [
            (to, Commitment.Status(to).label)
            for to in permissions.transitions_for(user, commitment)
        ],
        "sign_offs": signed,
        "co_chairs": selectors.co_chairs(forum=commitment.plan.forum_id),
        "can_sign_off": can_sign,
        # A co-chair (of this forum or another) reads why they cannot sign this one off.
        "why_not_sign_off": (
            why_not_sign
            if commitment.status == Commitment.Status.FORUM_REVIEW
            and permissions.co_chaired_forums(user)
            else ""
        ),
        "can_assess": permissions.can_assess(user, commitment.plan),
        "can_comment": can_comment,
        "why_not_comment": why_not_comment,
        "comment_form": comment_form or forms.ConsultationCommentForm(),
        "can_respond": permissions.can_respond_to_comment(user, commitment),
        "response_form": forms.CommentResponseForm(),
        "milestones": _milestone_rows(user, commitment, assessment_form),
        **selectors.carried_over(commitment=commitment, viewer=user),
        "can_plan_milestones": permissions.can_plan_milestones(user, commitment),
        "groups_missing": selectors.co_drafter_groups_missing(commitment),
        "taken_comments": [
            c
            for c in commitment.consultation_comments.all()
            if c.disposition in services.TAKEN_COMMENTS
        ],
        "today": timezone.localdate(),
    }


@kept_page("commitment")
def commitment_detail(request, slug, number):
    commitment = _commitment(request, slug, number)
    return render(
        request, "actionplans/commitment_detail.html", _detail_context(request, commitment)
    )


@login_required
def commitment_edit(request, slug, number):
    commitment = _commitment(request, slug, number)
    _require(permissions.can_edit_commitment(request.user, commitment))
    may_link = permissions.can_link_commitments(request.user, commitment.plan)
    changes = conflict = None
    if request.method == "POST":
        form = forms.CommitmentForm(request.POST, instance=commitment, may_link=may_link)
        if form.is_valid():
            data = {
                name: form.cleaned_data[name]
                for name in DRAFTED_FIELDS
                if name in form.cleaned_data  # "continues": the secretariat's only
            }
            try:
                services.commitment_save(
                    commitment=commitment,
                    data=data,
                    base_version=form.cleaned_data["base_version"],
                    by=request.user,
                )
            except services.EditConflict as error:
                conflict = error
                changes = selectors.fields_diff(
                    error.base.fields if error.base else {}, error.current.fields
                )
                # Keep the person's text; the next save is based on the version they saw.
                form = forms.CommitmentForm(
                    {**request.POST.dict(), "base_version": error.current.number},
                    instance=Commitment(pk=commitment.pk, plan=commitment.plan),
                    may_link=may_link,
                )
                form.is_valid()
                messages.error(request, str(error))
            except ForumError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Saved. The previous version is kept."))
                return redirect(commitment)
        else:
            messages.error(request, _("Please correct the errors below."))
    else:
        form = forms.CommitmentForm(instance=commitment, may_link=may_link)
    return render(
        request,
        "actionplans/commitment_edit.html",
        {
            "plan": commitment.plan,
            "commitment": commitment,
            "form": form,
            "conflict": conflict,
            "changes": changes,
        },
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def commitment_contributions(request, slug, number):
    commitment = _commitment(request, slug, number)
    _require(permissions.can_edit_commitment(request.user, commitment))
    form = forms.LinkContributionsForm(request.POST, plan=commitment.plan)
    if form.is_valid():
        try:
            services.commitment_contributions_link(
                commitment=commitment,
                contributions=list(form.cleaned_data["contributions"]),
                by=request.user,
            )
        except ForumError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The contributions now show this commitment."))
    else:
        messages.error(request, _("Choose at least one contribution."))
    return redirect("actionplans:commitment_edit", slug, number)


def commitment_versions(request, slug, number):
    commitment = _commitment(request, slug, number)
    versions = list(selectors.commitment_versions(commitment=commitment))
    comparison = None
    older, newer = request.GET.get("older"), request.GET.get("newer")
    if older and newer:
        try:
            low, high = sorted([int(older), int(newer)])
            if high > 2**31:  # a version number, not a number no query can hold
                raise ValueError(high)
            comparison = selectors.versions_compare(commitment=commitment, older=low, newer=high)
        except (ValueError, CommitmentVersion.DoesNotExist):
            messages.error(request, _("Choose two versions of this commitment to compare."))
    return render(
        request,
        "actionplans/commitment_versions.html",
        {
            "plan": commitment.plan,
            "commitment": commitment,
            "versions": versions,
            "comparison": comparison,
        },
    )


# --- Workflow ------------------------------------------------------------------------------


@login_required
@require_POST
def commitment_transition(request, slug, number):
    commitment = _commitment(request, slug, number)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change is not possible."))
        return redirect(commitment)
    to = form.cleaned_data["to"]
    try:
        services.commitment_transition(
            commitment=commitment, to=to, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The commitment is now “%(status)s”.") % {"status": Commitment.Status(to).label},
        )
    return redirect(commitment)


@login_required
@require_POST
def commitment_sign_off(request, slug, number):
    commitment = _commitment(request, slug, number)
    try:
        services.commitment_sign_off(commitment=commitment, by=request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        commitment.refresh_from_db()
        if commitment.status == Commitment.Status.VALIDATED:
            messages.success(request, _("Signed. Both co-chairs have signed: it is validated."))
        else:
            messages.success(request, _("Signed. The other co-chair's sign-off is awaited."))
    return redirect(commitment)


@login_required
def commitment_assess(request, slug, number):
    commitment = _commitment(request, slug, number)
    _require(permissions.can_assess(request.user, commitment.plan))
    form = forms.AssessmentForm(request.POST or None, instance=commitment)
    if request.method == "POST":
        if form.is_valid():
            services.commitment_assess(
                commitment=commitment, data=form.cleaned_data, by=request.user
            )
            messages.success(request, _("The assessment is recorded."))
            return redirect(commitment)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "actionplans/commitment_assess.html",
        {"plan": commitment.plan, "commitment": commitment, "form": form},
    )


# --- Milestones ----------------------------------------------------------------------------


def _milestone(request, slug, number, pk) -> tuple[Commitment, Milestone]:
    commitment = _commitment(request, slug, number)
    milestone = next((m for m in commitment.milestones.all() if m.pk == pk), None)
    if milestone is None:
        raise Http404
    return commitment, milestone


@login_required
def milestone_plan(request, slug, number, pk=None):
    """Add a milestone (pk None) or change its plan, while the commitment is a draft."""
    commitment = _commitment(request, slug, number)
    _require(permissions.can_plan_milestones(request.user, commitment))
    milestone = _milestone(request, slug, number, pk)[1] if pk else None
    form = forms.MilestonePlanForm(request.POST or None, instance=milestone)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if milestone is None:
                    services.milestone_add(commitment=commitment, data=data, by=request.user)
                else:
                    services.milestone_plan_change(milestone=milestone, data=data, by=request.user)
            except ForumError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The milestone is saved."))
                return redirect(commitment.get_absolute_url() + "#milestones")
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "actionplans/milestone_plan.html",
        {"plan": commitment.plan, "commitment": commitment, "milestone": milestone, "form": form},
    )


@login_required
@require_POST
def milestone_remove(request, slug, number, pk):
    commitment, milestone = _milestone(request, slug, number, pk)
    try:
        services.milestone_remove(milestone=milestone, by=request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The milestone is removed."))
    return redirect(commitment.get_absolute_url() + "#milestones")


@login_required
def milestone_progress(request, slug, number, pk):
    commitment, milestone = _milestone(request, slug, number, pk)
    _require(permissions.can_update_milestone(request.user, milestone))
    form = forms.MilestoneProgressForm(request.POST or None, instance=milestone)
    evidence_form = forms.EvidenceForm()
    if request.method == "POST":
        if form.is_valid():
            services.milestone_progress_update(
                milestone=milestone, data=form.cleaned_data, by=request.user
            )
            messages.success(request, _("The progress is recorded."))
            return redirect(commitment.get_absolute_url() + f"#m{milestone.pk}")
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "actionplans/milestone_progress.html",
        {
            "plan": commitment.plan,
            "commitment": commitment,
            "milestone": milestone,
            "form": form,
            "evidence_form": evidence_form,
        },
    )


@login_required
@require_POST
def milestone_evidence(request, slug, number, pk):
    commitment, milestone = _milestone(request, slug, number, pk)
    _require(permissions.can_update_milestone(request.user, milestone))
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(
                plan=commitment.plan,
                upload=services.DocumentUpload(
                    kind=Document.Kind.EVIDENCE,
                    milestone=milestone,
                    **{k: form.cleaned_data[k] for k in ("title", "dated", "file", "url")},
                ),
                by=request.user,
            )
        except ForumError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("The evidence is filed in the plan's repository."))
            return redirect(commitment.get_absolute_url() + f"#m{milestone.pk}")
    messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "actionplans/milestone_progress.html",
        {
            "plan": commitment.plan,
            "commitment": commitment,
            "milestone": milestone,
            "form": forms.MilestoneProgressForm(instance=milestone),
            "evidence_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def milestone_assess(request, slug, number, pk):
    """Civil society's assessment of a milestone, from the form beside it on the commitment's
    page; the page again with the errors beside the fields when it is refused."""
    commitment, milestone = _milestone(request, slug, number, pk)
    allowed, why_not = permissions.can_assess_milestone(request.user, milestone)
    if not allowed:
        raise PermissionDenied(why_not)
    # A new instance: the current assessment, loaded with the page, stays as it is shown.
    form = forms.MilestoneAssessmentForm(
        request.POST,
        instance=MilestoneAssessment(milestone_id=milestone.pk),
        prefix=f"assess-{milestone.pk}",
    )
    if form.is_valid():
        try:
            services.milestone_assess(milestone=milestone, data=form.cleaned_data, by=request.user)
        except ForumError as error:
            if error.status_code == 403:
                raise PermissionDenied(str(error)) from None
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Civil society's assessment is recorded."))
            return redirect(commitment.get_absolute_url() + f"#m{milestone.pk}")
    messages.error(request, _("The assessment was not recorded; see below."))
    return render(
        request,
        "actionplans/commitment_detail.html",
        _detail_context(request, commitment, assessment_form=form),
        status=400,
    )


# --- Consultation --------------------------------------------------------------------------


@login_required
@require_POST
def comment_post(request, slug, number):
    commitment = _commitment(request, slug, number)
    form = forms.ConsultationCommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.consultation_comment_post(
                commitment=commitment, author=request.user, text=form.cleaned_data["text"]
            )
        except ForumError as error:
            form.add_error("text", str(error))
        else:
            messages.success(
                request, _("Thank you. Your comment is published and will get a reasoned response.")
            )
            return redirect(commitment.get_absolute_url() + f"#comment-{comment.pk}")
    # The page again, with what the person wrote and why it was refused.
    messages.error(request, _("Your comment was not published; see below."))
    return render(
        request,
        "actionplans/commitment_detail.html",
        _detail_context(request, commitment, comment_form=form),
        status=400,
    )


@login_required
@require_POST
def comment_respond(request, slug, number, pk):
    commitment = _commitment(request, slug, number)
    comment = get_object_or_404(ConsultationComment, pk=pk, commitment=commitment)
    form = forms.CommentResponseForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_comment_respond(
                comment=comment,
                disposition=form.cleaned_data["disposition"],
                response=form.cleaned_data["response"],
                by=request.user,
            )
        except ForumError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The reasoned response is published."))
    else:
        messages.error(request, _("A reasoned response needs what became of it and why."))
    return redirect(commitment.get_absolute_url() + f"#comment-{comment.pk}")


# --- The repository ------------------------------------------------------------------------


def plan_repository(request, slug):
    plan = _plan(slug)
    can_add = permissions.can_add_document(request.user, plan)
    form = forms.DocumentForm()
    status = 200
    if request.method == "POST":
        _require(can_add)
        form = forms.DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.document_add(
                    plan=plan,
                    upload=services.DocumentUpload(
                        **{
                            k: form.cleaned_data[k]
                            for k in ("kind", "title", "dated", "file", "url")
                        }
                    ),
                    by=request.user,
                )
            except ForumError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, _("The document is in the repository."))
                return redirect("actionplans:repository", plan.slug)
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(
        request,
        "actionplans/repository.html",
        {
            "plan": plan,
            "documents": selectors.plan_documents(plan=plan),
            "form": form,
            "can_add": can_add,
        },
        status=status,
    )


def document_file(request, slug, pk):
    """Serve a repository file as a download, never rendered inline by the browser."""
    document = get_object_or_404(Document, pk=pk, plan__slug=slug)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=document.file.name.split("/")[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
