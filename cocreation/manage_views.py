"""A forum's secretariat runs its co-creation: the pages under /manage/<forum>/ that belong
to co-creation (forum/manage_urls.py includes them; the index is actionplans'). Each page
finds the forum and asks the permission first (members.manage.forum_managed); the services
ask it again themselves."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cocreation import permissions, selectors, services
from cocreation.forms import (
    AttachmentForm,
    CancelForm,
    CapacityForm,
    FacilitatorForm,
    OrganisationForm,
    ProcessForm,
    RescheduleForm,
    ThemeForm,
    WorkshopCreateForm,
    WorkshopEditForm,
    WorkshopSearchForm,
)
from cocreation.models import CoCreationProcess, OutreachAttachment, Theme, Workshop
from core.errors import ForumError
from core.forms import form_errors_add
from members.manage import forum_managed
from members.models import Organisation

WORKSHOPS_PAGE_SIZE = 25


def _managed(request, forum_slug):
    return forum_managed(request, forum_slug, permissions.can_manage_workshops)


def _workshop(forum, pk) -> Workshop:
    try:
        return selectors.workshop_managed(forum=forum, pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None


def _process(forum, pk) -> CoCreationProcess:
    return get_object_or_404(CoCreationProcess.objects.select_related("forum"), pk=pk, forum=forum)


def _form_page(request, template, context, form):
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    return render(request, template, context, status=400 if form.errors else 200)


def _service_call(form, call):
    """Run `call`; a refusal goes beside the form's fields (or above them). True if done."""
    try:
        call()
    except ValidationError as error:
        form_errors_add(form, error)
    except ForumError as error:
        form.add_error(None, str(error))
    else:
        return True
    return False


def _back(workshop):
    return redirect("manage:workshop_manage", workshop.process.forum.slug, workshop.pk)


# --- The section's landing page and processes ------------------------------------------


@login_required
def workshops(request, forum_slug):
    forum = _managed(request, forum_slug)
    search = WorkshopSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    page = Paginator(
        selectors.forum_workshops_search(
            forum=forum, search=filters.get("q", ""), status=filters.get("status", "")
        ),
        WORKSHOPS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "cocreation/manage/workshops.html",
        {
            "forum": forum,
            "search": search,
            "page": page,
            "processes": list(selectors.forum_processes_with_themes(forum=forum)),
        },
    )


@login_required
def workshop_create(request, forum_slug):
    forum = _managed(request, forum_slug)
    form = WorkshopCreateForm(request.POST or None, forum=forum)
    if request.method == "POST":
        if form.is_valid():
            try:
                workshop = services.workshop_create(
                    forum=forum,
                    fields=form.service_fields(),
                    announce=form.cleaned_data["announce"],
                    by=request.user,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            except ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The workshop “%(title)s” is created.") % {"title": workshop.title},
                )
                return _back(workshop)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "cocreation/workshop_create.html",
        {"forum": forum, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def process_create(request, forum_slug):
    forum = _managed(request, forum_slug)
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}

        def create():
            result["process"] = services.process_create(
                forum=forum,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=request.user,
            )

        if _service_call(form, create):
            process = result["process"]
            messages.success(
                request, _("The process “%(title)s” is created.") % {"title": process.title}
            )
            return redirect("manage:process_edit", forum.slug, process.pk)
    return _form_page(
        request, "cocreation/manage/process_form.html", {"forum": forum, "form": form}, form
    )


@login_required
def process_edit(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    process = _process(forum, pk)
    form = ProcessForm(request.POST or None, instance=process)
    theme_form = ThemeForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _service_call(
            form,
            lambda: services.process_update(
                process=process,
                title=data["title"],
                description=data["description"],
                by=request.user,
            ),
        ):
            messages.success(request, _("The process is saved."))
            return redirect("manage:process_edit", forum.slug, process.pk)
    return _process_page(request, forum, process, form, theme_form)


def _process_page(request, forum, process, form, theme_form, rename=None):
    """The process's page; `rename` is a (theme, form) whose errors go beside that theme."""
    invalid = form.errors or theme_form.errors or (rename and rename[1].errors)
    if invalid:
        messages.error(request, _("Please correct the errors below."))
    themes = process.themes.all()
    used = set(
        Theme.objects.filter(process=process, workshops__isnull=False).values_list("pk", flat=True)
    )
    renamed_pk, rename_form = rename if rename else (None, None)
    return render(
        request,
        "cocreation/manage/process_form.html",
        {
            "forum": forum,
            "process": process,
            "form": form,
            "theme_form": theme_form,
            "themes": [
                (theme, theme.pk in used, rename_form if theme.pk == renamed_pk else None)
                for theme in themes
            ],
        },
        status=400 if invalid else 200,
    )


@login_required
@require_POST
def theme_add(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    process = _process(forum, pk)
    theme_form = ThemeForm(request.POST)
    if theme_form.is_valid() and _service_call(
        theme_form,
        lambda: services.theme_add(
            process=process, name=theme_form.cleaned_data["name"], by=request.user
        ),
    ):
        messages.success(request, _("The theme is added."))
        return redirect("manage:process_edit", forum.slug, process.pk)
    return _process_page(request, forum, process, ProcessForm(instance=process), theme_form)


@login_required
@require_POST
def theme_rename(request, forum_slug, pk, theme_pk):
    forum = _managed(request, forum_slug)
    process = _process(forum, pk)
    theme = get_object_or_404(Theme, pk=theme_pk, process=process)
    theme_form = ThemeForm(request.POST)
    if theme_form.is_valid() and _service_call(
        theme_form,
        lambda: services.theme_rename(
            theme=theme, name=theme_form.cleaned_data["name"], by=request.user
        ),
    ):
        messages.success(request, _("The theme is renamed."))
        return redirect("manage:process_edit", forum.slug, process.pk)
    return _process_page(
        request,
        forum,
        process,
        ProcessForm(instance=process),
        ThemeForm(),
        rename=(theme.pk, theme_form),
    )


@login_required
@require_POST
def theme_remove(request, forum_slug, pk, theme_pk):
    forum = _managed(request, forum_slug)
    process = _process(forum, pk)
    theme = get_object_or_404(Theme, pk=theme_pk, process=process)
    try:
        services.theme_remove(theme=theme, by=request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The theme “%(name)s” is removed.") % {"name": theme.name})
    return redirect("manage:process_edit", forum.slug, process.pk)


# --- One workshop -------------------------------------------------------------------------


def _workshop_page(request, workshop, status=200, **forms):
    taken = workshop.government_taken + workshop.non_government_taken
    context = {
        "forum": workshop.process.forum,
        "workshop": workshop,
        "taken": taken,
        "reschedule_form": RescheduleForm(
            initial={"starts_at": workshop.starts_at, "ends_at": workshop.ends_at},
            zone=workshop.zone,
        ),
        "capacity_form": CapacityForm(
            initial={
                "capacity": workshop.capacity,
                "government_quota": workshop.government_quota,
                "non_government_quota": workshop.non_government_quota,
                "first_time_seats": workshop.first_time_seats,
                "quota_release_hours": workshop.quota_release_hours,
            },
            taken=taken,
        ),
        "facilitator_form": FacilitatorForm(),
        "organisation_form": OrganisationForm(),
        "attachment_form": AttachmentForm(),
        "can_delete": workshop.status == Workshop.Status.DRAFT and not workshop.registrations_n,
        "can_mark_held": workshop.status == Workshop.Status.PUBLISHED
        and workshop.starts_at <= timezone.now(),
        "audience_n": selectors.announcement_pending(workshop=workshop).count()
        if workshop.status == Workshop.Status.DRAFT
        else None,
    }
    if permissions.can_see_participation_summary(request.user, workshop):
        context["participation"] = selectors.workshop_participation_summary(workshop=workshop)
    context.update(forms)
    if any(form.errors for form in forms.values()):
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, "cocreation/manage/workshop.html", context, status=status)


@login_required
def workshop_manage(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    return _workshop_page(request, _workshop(forum, pk))


@login_required
def workshop_edit(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    form = WorkshopEditForm(request.POST or None, instance=workshop, zone=workshop.zone)
    if (
        request.method == "POST"
        and form.is_valid()
        and _service_call(
            form,
            lambda: services.workshop_update(
                workshop=workshop, fields=form.service_fields(), by=request.user
            ),
        )
    ):
        messages.success(request, _("The workshop is saved."))
        return _back(workshop)
    return _form_page(
        request,
        "cocreation/manage/workshop_edit.html",
        {"forum": forum, "workshop": workshop, "form": form},
        form,
    )


@login_required
@require_POST
def workshop_duplicate(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    copy = services.workshop_duplicate(workshop=workshop, by=request.user)
    messages.success(
        request, _("“%(title)s” is a draft copy: change what differs.") % {"title": copy.title}
    )
    return redirect("manage:workshop_edit", forum.slug, copy.pk)


@login_required
@require_POST
def workshop_publish(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    if workshop.status != Workshop.Status.DRAFT:
        messages.error(request, _("Only a draft can be published."))
        return _back(workshop)
    told = services.workshop_publish(
        workshop=workshop, announce=request.POST.get("announce") == "on", by=request.user
    )
    if told:
        messages.success(
            request,
            ngettext(
                "The workshop is published: members can register. %(n)s member of the forum "
                "is told.",
                "The workshop is published: members can register. %(n)s members of the forum "
                "are told.",
                told,
            )
            % {"n": told},
        )
    else:
        messages.success(request, _("The workshop is published: members can register."))
    return _back(workshop)


@login_required
@require_POST
def workshop_mark_held(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    try:
        services.workshop_mark_held(workshop=workshop, by=request.user)
    except ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The workshop is marked as held."))
    return _back(workshop)


@login_required
@require_POST
def workshop_reschedule(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    form = RescheduleForm(request.POST, zone=workshop.zone)
    if form.is_valid() and _service_call(
        form,
        lambda: services.workshop_reschedule(
            workshop=workshop,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            by=request.user,
        ),
    ):
        messages.success(request, _("The workshop is moved; everyone registered is told."))
        return _back(workshop)
    return _workshop_page(request, workshop, reschedule_form=form)


@login_required
@require_POST
def workshop_capacity(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    form = CapacityForm(
        request.POST, taken=workshop.government_taken + workshop.non_government_taken
    )
    if form.is_valid():
        data = form.cleaned_data
        promoted = []

        def change():
            promoted.extend(
                services.workshop_capacity_change(
                    workshop=workshop,
                    government_quota=data["government_quota"],
                    non_government_quota=data["non_government_quota"],
                    first_time_seats=data["first_time_seats"],
                    quota_release_hours=data["quota_release_hours"],
                    by=request.user,
                )
            )

        if _service_call(form, change):
            messages.success(request, _("The seats are changed."))
            if promoted:
                messages.info(
                    request,
                    _("%(n)d people moved from the waiting list to a seat.") % {"n": len(promoted)},
                )
            return _back(workshop)
    return _workshop_page(request, workshop, capacity_form=form)


@login_required
def workshop_cancel(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    form = CancelForm(request.POST or None)
    if workshop.status == Workshop.Status.CANCELLED:
        messages.info(request, _("This workshop is already cancelled."))
        return _back(workshop)
    if workshop.status == Workshop.Status.HELD:
        messages.error(request, _("This workshop took place: it cannot be cancelled."))
        return _back(workshop)
    if request.method == "POST" and form.is_valid():
        services.workshop_cancel(
            workshop=workshop, reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(request, _("The workshop is cancelled; everyone registered is told."))
        return _back(workshop)
    return _form_page(
        request,
        "cocreation/manage/workshop_cancel.html",
        {"forum": forum, "workshop": workshop, "form": form},
        form,
    )


@login_required
def workshop_delete(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    if request.method == "POST":
        try:
            services.workshop_delete(workshop=workshop, by=request.user)
        except ForumError as error:
            messages.error(request, str(error))
            return _back(workshop)
        messages.success(
            request, _("The draft “%(title)s” is deleted.") % {"title": workshop.title}
        )
        return redirect("manage:workshops", forum.slug)
    return render(
        request, "cocreation/manage/workshop_delete.html", {"forum": forum, "workshop": workshop}
    )


@login_required
@require_POST
def facilitator_add(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    form = FacilitatorForm(request.POST)
    if form.is_valid() and _service_call(
        form,
        lambda: services.facilitator_add(
            workshop=workshop, email=form.cleaned_data["email"], by=request.user
        ),
    ):
        messages.success(request, _("The facilitator is added."))
        return _back(workshop)
    return _workshop_page(request, workshop, facilitator_form=form)


@login_required
@require_POST
def facilitator_remove(request, forum_slug, pk, member_pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    member = get_object_or_404(get_user_model(), pk=member_pk)
    services.facilitator_remove(workshop=workshop, member=member, by=request.user)
    messages.success(request, _("The facilitator is removed."))
    return _back(workshop)


@login_required
@require_POST
def organisation_add(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    form = OrganisationForm(request.POST)
    if form.is_valid():
        services.facilitating_organisation_add(
            workshop=workshop, organisation=form.cleaned_data["organisation"], by=request.user
        )
        messages.success(request, _("The partner organisation is added."))
        return _back(workshop)
    return _workshop_page(request, workshop, organisation_form=form)


@login_required
@require_POST
def organisation_remove(request, forum_slug, pk, organisation_pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    services.facilitating_organisation_remove(
        workshop=workshop, organisation=organisation, by=request.user
    )
    messages.success(request, _("The partner organisation is removed."))
    return _back(workshop)


@login_required
@require_POST
def attachment_add(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and _service_call(
        form,
        lambda: services.attachment_add(
            workshop=workshop,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            by=request.user,
        ),
    ):
        messages.success(request, _("The file is added to the outreach kit."))
        return _back(workshop)
    return _workshop_page(request, workshop, attachment_form=form)


@login_required
@require_POST
def attachment_remove(request, forum_slug, pk, attachment_pk):
    forum = _managed(request, forum_slug)
    workshop = _workshop(forum, pk)
    attachment = get_object_or_404(OutreachAttachment, pk=attachment_pk, workshop=workshop)
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, _("The file is removed from the outreach kit."))
    return _back(workshop)
