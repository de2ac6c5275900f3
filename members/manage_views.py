"""Members' pages in a forum's back office (/manage/<forum>/...): the forum's body and roles
(its secretariat's), and the membership queue and organisations (members are portal-wide:
the secretariat of any forum decides, still under the forum's /manage/ prefix). Each page
asks the permission, calls a service of members/services.py and turns its refusal into a
message beside the form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ForumError
from core.responses import csv_download, xlsx_download
from members import exports, permissions, selectors, services
from members.forms import (
    CoChairReplaceForm,
    InvitationForm,
    InvitationSearchForm,
    MembershipDecisionForm,
    OrganisationChangeDecisionForm,
    OrganisationMergeForm,
    OrganisationSearchForm,
    OrganisationSectorForm,
    OrganisationVerifyForm,
    RoleGiveForm,
    SeatAddForm,
    SeatEditForm,
)
from members.manage import forum_managed
from members.models import (
    ForumRole,
    ForumSeat,
    Invitation,
    Organisation,
    OrganisationChange,
    User,
)

PAGE_SIZE = 25


def _may_decide(user, forum) -> bool:
    """Members and organisations are portal-wide and any forum's secretariat decides on
    them, but from its own forum's back office: another forum's address is refused."""
    return permissions.can_decide_memberships(user) and permissions.can_run_forum(user, forum)


def _error_to_form(form, error: ForumError) -> None:
    fields = getattr(error, "fields", None) or {}
    if fields:
        for field, field_messages in fields.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, str(error))


def _get(queryset, pk):
    """A record by its id; 404 when there is none (or the id cannot be one)."""
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, queryset.model.DoesNotExist):
        raise Http404 from None


# --- The forum's body and roles ------------------------------------------------------------


def _body_page(request, forum, *, status=200, **forms):
    context = {
        "forum": forum,
        "seats": selectors.body_seats(forum=forum, show=request.GET.get("show", "current")),
        "show": request.GET.get("show", "current"),
        "roles": selectors.forum_roles(forum=forum),
        "seat_form": forms.get("seat_form")
        or SeatAddForm(
            initial={"term_start": timezone.localdate(), "voting": True}, auto_id="seat_%s"
        ),
        "co_chair_form": forms.get("co_chair_form") or CoChairReplaceForm(auto_id="co_chair_%s"),
        "role_form": forms.get("role_form") or RoleGiveForm(auto_id="role_%s"),
        "today": timezone.localdate(),
    }
    return render(request, "members/manage_body.html", context, status=status)


@login_required
def body(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    return _body_page(request, forum)


@login_required
@require_POST
def seat_add(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    form = SeatAddForm(request.POST, auto_id="seat_%s")
    if form.is_valid():
        try:
            seat = services.seat_add(forum=forum, by=request.user, **form.cleaned_data)
        except ForumError as error:
            _error_to_form(form, error)
        else:
            messages.success(
                request, _("%(member)s has a seat on the forum's body.") % {"member": seat.member}
            )
            return redirect("manage:body", forum.slug)
    messages.error(request, _("Please correct the errors below."))
    return _body_page(request, forum, status=400, seat_form=form)


@login_required
@require_POST
def co_chair_replace(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    form = CoChairReplaceForm(request.POST, auto_id="co_chair_%s")
    if form.is_valid():
        try:
            seat = services.co_chair_replace(forum=forum, by=request.user, **form.cleaned_data)
        except ForumError as error:
            _error_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(member)s is now the %(group)s co-chair.")
                % {"member": seat.member, "group": seat.get_stakeholder_group_display().lower()},
            )
            return redirect("manage:body", forum.slug)
    messages.error(request, _("Please correct the errors below."))
    return _body_page(request, forum, status=400, co_chair_form=form)


@login_required
def seat_edit(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    seat = _get(
        ForumSeat.objects.filter(forum=forum).select_related("member", "alternate", "organisation"),
        pk,
    )
    initial = {
        "term_end": seat.term_end,
        "alternate": seat.alternate.email if seat.alternate else "",
        "voting": seat.voting,
    }
    form = SeatEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.seat_update(seat=seat, by=request.user, **form.cleaned_data)
            except ForumError as error:
                _error_to_form(form, error)
            else:
                messages.success(
                    request, _("The seat of %(member)s is saved.") % {"member": seat.member}
                )
                return redirect("manage:body", forum.slug)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "members/manage_seat_edit.html",
        {"forum": forum, "seat": seat, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def seat_end(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    seat = _get(ForumSeat.objects.filter(forum=forum).select_related("member"), pk)
    try:
        services.seat_end(seat=seat, by=request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The seat of %(member)s has ended.") % {"member": seat.member})
    return redirect("manage:body", forum.slug)


@login_required
@require_POST
def role_give(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    form = RoleGiveForm(request.POST, auto_id="role_%s")
    if form.is_valid():
        try:
            held = services.forum_role_give(
                forum=forum,
                member=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ForumError as error:
            _error_to_form(form, error)
        else:
            messages.success(
                request,
                _("%(member)s is now %(role)s of the forum.")
                % {"member": held.member, "role": held.get_role_display().lower()},
            )
            return redirect("manage:body", forum.slug)
    messages.error(request, _("Please correct the errors below."))
    return _body_page(request, forum, status=400, role_form=form)


@login_required
@require_POST
def role_remove(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    held = _get(ForumRole.objects.filter(forum=forum).select_related("member", "forum"), pk)
    try:
        services.forum_role_remove(held=held, by=request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(member)s is no longer %(role)s of the forum.")
            % {"member": held.member, "role": held.get_role_display().lower()},
        )
        if (
            held.member_id == request.user.pk
            and held.role == ForumRole.Role.SECRETARIAT
            and not request.user.is_superuser
        ):
            # They stepped down: the back office is no longer theirs.
            return redirect(forum)
    return redirect("manage:body", forum.slug)


# --- Membership queue and organisations (portal-wide) --------------------------------------


@login_required
def organisations(request, forum_slug):
    forum = forum_managed(request, forum_slug, _may_decide)
    search = OrganisationSearchForm(request.GET or None)
    query, only_new = "", False
    if search.is_valid():
        query, only_new = search.cleaned_data["q"].strip(), search.cleaned_data["new"]
    queue = Paginator(selectors.membership_queue(), PAGE_SIZE).get_page(request.GET.get("queue"))
    changes = Paginator(selectors.organisation_changes_waiting(), PAGE_SIZE).get_page(
        request.GET.get("changes")
    )
    listed = Paginator(
        selectors.organisations_managed(query=query, only_new=only_new), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "members/manage_organisations.html",
        {
            "forum": forum,
            "queue": queue,
            "decision_form": MembershipDecisionForm(),
            "changes": changes,
            "change_form": OrganisationChangeDecisionForm(),
            "search": search,
            "page": listed,
            "query": query,
            "only_new": only_new,
        },
    )


@login_required
@require_POST
def membership_decide(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, _may_decide)
    member = _get(User.objects.all(), pk)
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("manage:organisations", forum.slug)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == "approve":
            services.membership_approve(
                member=member, by=request.user, sector=form.cleaned_data["sector"]
            )
            message = _("%(member)s is approved and has been told.")
        elif decision == "reject":
            services.membership_reject(member=member, reason=note, by=request.user)
            message = _("%(member)s is rejected and has been told why.")
        else:
            services.membership_request_information(member=member, question=note, by=request.user)
            message = _("Your question has been sent to %(member)s.")
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message % {"member": member})
    return redirect("manage:organisations", forum.slug)


@login_required
@require_POST
def organisation_change_decide(request, forum_slug, pk):
    """Approve or decline a member's change of organisation (a reason to decline)."""
    forum = forum_managed(request, forum_slug, _may_decide)
    change = _get(OrganisationChange.objects.select_related("member", "organisation"), pk)
    form = OrganisationChangeDecisionForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("manage:organisations", forum.slug)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.organisation_change_approve(change=change, by=request.user)
            message = _("%(member)s now takes part for %(organisation)s and has been told.")
        else:
            services.organisation_change_decline(
                change=change, reason=form.cleaned_data["reason"], by=request.user
            )
            message = _(
                "The change of %(member)s to %(organisation)s is declined; they have been told why."
            )
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, message % {"member": change.member, "organisation": change.organisation}
        )
    return redirect("manage:organisations", forum.slug)


@login_required
def organisation_edit(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, _may_decide)
    organisation = _get(Organisation.objects.select_related("sector"), pk)
    form = OrganisationSectorForm(request.POST or None, initial={"sector": organisation.sector})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.organisation_sector_set(
                    organisation=organisation, sector=form.cleaned_data["sector"], by=request.user
                )
            except ForumError as error:
                _error_to_form(form, error)
            else:
                messages.success(
                    request, _("The sector of %(name)s is saved.") % {"name": organisation}
                )
                return redirect("manage:organisations", forum.slug)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "members/manage_organisation_edit.html",
        {
            "forum": forum,
            "organisation": organisation,
            "form": form,
            "members_n": organisation.members.count(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_verify(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, _may_decide)
    organisation = _get(Organisation.objects.all(), pk)
    form = OrganisationVerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Confirm the organisation's sector to verify it."))
        return redirect("manage:organisations", forum.slug)
    try:
        services.organisation_verify(
            organisation=organisation, by=request.user, sector=form.cleaned_data["sector"]
        )
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s is verified.") % {"name": organisation})
    return redirect("manage:organisations", forum.slug)


@login_required
def organisation_merge(request, forum_slug, pk):
    """Choose the organisation to merge into, see what moves, then confirm (a second POST
    with the box ticked)."""
    forum = forum_managed(request, forum_slug, _may_decide)
    duplicate = _get(Organisation.objects.select_related("sector"), pk)
    form = OrganisationMergeForm(request.POST or None, duplicate=duplicate)
    confirming = False
    if request.method == "POST":
        if form.is_valid():
            if not form.cleaned_data["confirm"]:
                confirming = True  # the confirmation step: show what moves, ask again
            else:
                try:
                    into = services.organisation_merge(
                        duplicate=duplicate, into=form.cleaned_data["into"], by=request.user
                    )
                except ForumError as error:
                    _error_to_form(form, error)
                else:
                    messages.success(
                        request,
                        _("%(duplicate)s is merged into %(into)s.")
                        % {"duplicate": duplicate, "into": into},
                    )
                    return redirect("manage:organisations", forum.slug)
        if form.errors:
            messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "members/manage_organisation_merge.html",
        {
            "forum": forum,
            "duplicate": duplicate,
            "form": form,
            "confirming": confirming,
            "into": form.cleaned_data.get("into") if confirming else None,
            "members_n": duplicate.members.count(),
            "seats_n": duplicate.forum_seats.count(),
        },
        status=400 if form.errors else 200,
    )


# --- Invitations (the forum's own) ---------------------------------------------------------


def _invitations_page(request, forum, *, form=None, status=200):
    search = InvitationSearchForm(request.GET or None)
    query, state = "", ""
    if search.is_valid():
        query, state = search.cleaned_data["q"].strip(), search.cleaned_data["state"]
    page = Paginator(
        selectors.forum_invitations(forum=forum, query=query, state=state), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "members/manage_invitations.html",
        {
            "forum": forum,
            "search": search,
            "page": page,
            "query": query,
            "state": state,
            "form": form or InvitationForm(auto_id="invite_%s"),
            "invitation_days": settings.MEMBERS_INVITATION_DAYS,
        },
        status=status,
    )


@login_required
def invitations(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_invite)
    return _invitations_page(request, forum)


@login_required
@require_POST
def invitation_add(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_invite)
    form = InvitationForm(request.POST, auto_id="invite_%s")
    if form.is_valid():
        try:
            invitation = services.invitation_send(forum=forum, by=request.user, **form.cleaned_data)
        except ForumError as error:
            _error_to_form(form, error)
        else:
            if invitation.sent_now:
                message = _("%(name)s is invited; the e-mail goes to %(email)s.")
            elif invitation.accepted_at is not None:
                message = _("%(name)s has accepted an invitation already.")
            else:
                message = _("%(name)s has an invitation already (%(email)s): nothing was sent.")
            messages.success(
                request, message % {"name": invitation.name, "email": invitation.email}
            )
            return redirect("manage:invitations", forum.slug)
    messages.error(request, _("Please correct the errors below."))
    return _invitations_page(request, forum, form=form, status=400)


INVITATION_ACTIONS = {
    "resend": services.invitation_resend,
    "revoke": services.invitation_revoke,
}


@login_required
def invitation_action(request, forum_slug, pk, action):
    """Resend or revoke an invitation: a page asks to confirm, its button does it."""
    forum = forum_managed(request, forum_slug, permissions.can_invite)
    if action not in INVITATION_ACTIONS:
        raise Http404
    invitation = _get(
        Invitation.objects.filter(forum=forum).select_related("organisation", "forum"), pk
    )
    if request.method == "POST":
        try:
            INVITATION_ACTIONS[action](invitation=invitation, by=request.user)
        except ForumError as error:
            messages.error(request, str(error))
        else:
            if action == "resend":
                message = _(
                    "The invitation is sent again to %(email)s; the earlier link no longer works."
                )
            else:
                message = _("The invitation of %(name)s is revoked; its link no longer works.")
            messages.success(
                request, message % {"name": invitation.name, "email": invitation.email}
            )
        return redirect("manage:invitations", forum.slug)
    return render(
        request,
        "members/manage_invitation_confirm.html",
        {
            "forum": forum,
            "invitation": invitation,
            "action": action,
            "invitation_days": settings.MEMBERS_INVITATION_DAYS,
        },
    )


# --- Exports (CSV and XLSX) ------------------------------------------------------------------


def _export(fmt: str, columns, header, records, name: str, title: str):
    if fmt == "csv":
        return csv_download(
            columns, ({**r, **_csv_dates(r)} for r in records), f"{name}.csv", header=header
        )
    if fmt == "xlsx":
        return xlsx_download(columns, records, f"{name}.xlsx", header=header, title=title)
    raise Http404


def _csv_dates(record: dict) -> dict:
    return {key: value.isoformat() for key, value in record.items() if hasattr(value, "isoformat")}


@login_required
def organisations_export(request, forum_slug, fmt):
    """Every organisation (they are portal-wide), as the organisations' list shows them."""
    forum = forum_managed(request, forum_slug, _may_decide)
    return _export(
        fmt,
        exports.ORGANISATION_COLUMNS,
        exports.organisation_header(),
        exports.organisation_records(),
        f"{forum.slug}-organisations",
        _("Organisations"),
    )


@login_required
def body_export(request, forum_slug, fmt):
    """The forum body's seats (in force and to come, or all with ?show=all)."""
    forum = forum_managed(request, forum_slug, permissions.can_run_forum)
    show = "all" if request.GET.get("show") == "all" else "current"
    return _export(
        fmt,
        exports.BODY_COLUMNS,
        exports.body_header(),
        exports.body_records(forum, show),
        f"{forum.slug}-forum-body",
        _("Forum body"),
    )
