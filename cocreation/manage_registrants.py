"""A workshop's registrants in the back office (/manage/<forum>/workshops/<pk>/registrants/):
who holds a seat or waits, by stakeholder group, with their accessibility needs and whether
they agree to be named; a CSV of them; a message to all of them, one group or the waiting
list; and a person moved from the waiting list to a seat by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocreation import permissions, selectors, services
from cocreation.forms import RegistrantsMessageForm, RegistrantsSearchForm, SeatGiveForm
from cocreation.models import Registration, Workshop
from core.errors import ForumError
from core.responses import csv_download
from members.manage import forum_managed

PAGE_SIZE = 50


def _workshop_of(forum, pk: int) -> Workshop:
    """The forum's workshop `pk` (drafts too); another forum's is a 404."""
    return get_object_or_404(
        Workshop.objects.select_related("process__forum"), pk=pk, process__forum=forum
    )


def _search(request) -> dict:
    form = RegistrantsSearchForm(request.GET or None)
    if form.is_valid():
        return {"form": form, **form.cleaned_data}
    return {"form": RegistrantsSearchForm(), "q": "", "group": "", "status": ""}


def _page(request, forum, workshop, *, message_form=None, status=200):
    search = _search(request)
    registrations = selectors.registrants(
        workshop=workshop, search=search["q"], group=search["group"], status=search["status"]
    )
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cocreation/manage_registrants.html",
        {
            "forum": forum,
            "workshop": workshop,
            "page": page,
            "search_form": search["form"],
            "searching": any(search[key] for key in ("q", "group", "status")),
            "counts": selectors.registrant_counts(workshop=workshop),
            "message_form": message_form or RegistrantsMessageForm(),
        },
        status=status,
    )


@login_required
def registrants(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_manage_workshops)
    return _page(request, forum, _workshop_of(forum, pk))


CSV_COLUMNS = [
    "name",
    "email",
    "organisation",
    "stakeholder_group",
    "status",
    "waiting_position",
    "seat_group",
    "checked_in",
    "first_time",
    "accessibility_needs",
    "agrees_to_be_named",
    "registered_at",
]


@login_required
def registrants_csv(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_manage_workshops)
    workshop = _workshop_of(forum, pk)
    yes, no = _("yes"), _("no")
    header = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Stakeholder group"),
        _("Status"),
        _("Place on the waiting list"),
        _("Seat from the quota of"),
        _("Checked in"),
        _("First-time participant"),
        _("Accessibility needs"),
        _("Agrees to be named"),
        _("Registered (UTC)"),
    ]
    records = (
        {
            "name": r.member.full_name,
            "email": r.member.email,
            "organisation": r.organisation.name if r.organisation else "",
            "stakeholder_group": r.get_stakeholder_group_display(),
            "status": r.get_status_display(),
            "waiting_position": r.position or "",
            "seat_group": r.get_seat_group_display() if r.seat_group else "",
            "checked_in": yes if r.attendance == Registration.Attendance.ATTENDED else no,
            "first_time": yes if r.first_time else no,
            "accessibility_needs": r.accessibility_needs,
            "agrees_to_be_named": yes if r.agrees_to_be_named else no,
            "registered_at": r.created_at.strftime("%Y-%m-%d %H:%M"),
        }
        for r in selectors.registrants(workshop=workshop).iterator(chunk_size=500)
    )
    return csv_download(
        CSV_COLUMNS, records, f"workshop-{workshop.pk}-registrants.csv", header=header
    )


@login_required
@require_POST
def registrants_message(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_manage_workshops)
    workshop = _workshop_of(forum, pk)
    form = RegistrantsMessageForm(request.POST)
    if form.is_valid():
        try:
            sent = services.registrants_message(
                workshop=workshop,
                audience=form.cleaned_data["audience"],
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your message is on its way to %(count)d people.") % {"count": sent},
            )
            return redirect("manage:registrants", forum.slug, workshop.pk)
    messages.error(request, _("Please correct the errors below."))
    return _page(request, forum, workshop, message_form=form, status=400)


@login_required
def registration_seat_give(request, forum_slug, pk, registration_pk):
    """A confirmation page, then the seat: over the quota only when the box says so."""
    forum = forum_managed(request, forum_slug, permissions.can_manage_workshops)
    workshop = _workshop_of(forum, pk)
    registration = get_object_or_404(
        selectors.registrants(workshop=workshop).filter(status=Registration.Status.WAITING),
        pk=registration_pk,
    )
    counts = {row["group"]: row for row in selectors.registrant_counts(workshop=workshop)}
    group_counts = counts[registration.stakeholder_group]
    full = group_counts["confirmed"] >= group_counts["quota"]
    form = SeatGiveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_seat_give(
                registration=registration,
                by=request.user,
                over_quota=form.cleaned_data["over_quota"],
            )
        except ForumError as error:
            form.add_error("over_quota" if full else None, str(error))
            status = 400
        else:
            messages.success(
                request,
                _("%(name)s has a seat now; we have told them by e-mail.")
                % {"name": registration.member.full_name},
            )
            return redirect("manage:registrants", forum.slug, workshop.pk)
    return render(
        request,
        "cocreation/manage_seat_give.html",
        {
            "forum": forum,
            "workshop": workshop,
            "registration": registration,
            "group": group_counts,
            "full": full,
            "form": form,
        },
        status=status,
    )
