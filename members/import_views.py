"""Imports from a spreadsheet, in a forum's back office (/manage/<forum>/imports/...): of
organisations and people, or of another content an app registered (`?content=meetings`, the
forum's past meetings; members.imports.ImportContent): upload, match the columns, read the
preview, confirm, and the result with the rejected rows as CSV. Only the forum's own
secretariat opens any of it (another forum's gets 403, another forum's import 404); the
services check it again."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ForumError
from core.forms import forum_error_add
from core.responses import csv_download
from members import imports, permissions
from members.forms import ImportMappingForm, ImportUploadForm
from members.manage import forum_managed
from members.models import ImportRow, MemberImport

PAGE_SIZE = 50
RUNNING = (MemberImport.State.PREVIEWING, MemberImport.State.IMPORTING)


def _import(forum, pk) -> MemberImport:
    try:
        return MemberImport.objects.select_related("forum", "created_by").get(
            forum=forum, pk=int(pk)
        )
    except (ValueError, TypeError, OverflowError, MemberImport.DoesNotExist):
        raise Http404 from None


def _content(request) -> imports.ImportContent:
    """What the file holds (`?content=`): organisations and members unless it says."""
    try:
        return imports.import_content(request.GET.get("content") or imports.MEMBERS.key)
    except ForumError:
        raise Http404 from None


def _imports_page(request, forum, content, *, form=None, status=200):
    earlier = list(MemberImport.objects.filter(forum=forum).select_related("created_by")[:20])
    for member_import in earlier:
        known = imports.CONTENTS.get(member_import.content)
        member_import.content_label = known.label if known else member_import.content
    return render(
        request,
        "members/manage_imports.html",
        {
            "forum": forum,
            "content": content,
            "contents": list(imports.CONTENTS.values()),
            "form": form or ImportUploadForm(auto_id="import_%s", content=content),
            "imports": earlier,
        },
        status=status,
    )


@login_required
def import_list(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_import_members)
    content = _content(request)
    if not content.permission(request.user, forum):
        raise PermissionDenied
    if request.method != "POST":
        return _imports_page(request, forum, content)
    form = ImportUploadForm(request.POST, request.FILES, auto_id="import_%s", content=content)
    if form.is_valid():
        try:
            member_import = imports.member_import_upload(
                forum=forum,
                file=form.cleaned_data["file"],
                default_language=form.cleaned_data.get("default_language")
                or (get_language() or settings.LANGUAGE_CODE)[:2],
                content=content.key,
                by=request.user,
            )
        except ForumError as error:
            forum_error_add(form, error)
        else:
            return redirect("manage:import_detail", forum.slug, member_import.pk)
    messages.error(request, _("Please correct the errors below."))
    return _imports_page(request, forum, content, form=form, status=400)


def _mapping_page(request, forum, member_import, *, form=None, status=200):
    return render(
        request,
        "members/manage_import_mapping.html",
        {
            "forum": forum,
            "member_import": member_import,
            "form": form
            or ImportMappingForm(
                member_import=member_import,
                content=imports.import_content(member_import.content),
                auto_id="map_%s",
            ),
        },
        status=status,
    )


@login_required
def import_detail(request, forum_slug, pk):
    """The import's page for its state: the columns to match, the progress of the worker,
    the preview waiting for confirmation, or the result."""
    forum = forum_managed(request, forum_slug, permissions.can_import_members)
    member_import = _import(forum, pk)
    state = member_import.state
    if request.headers.get("HX-Request"):
        response = render(
            request,
            "members/manage_import_progress.html",
            {"forum": forum, "member_import": member_import},
        )
        if state not in RUNNING:
            response["HX-Refresh"] = "true"  # finished: the whole page shows the outcome
        return response
    if state == MemberImport.State.MAPPING or (
        state == MemberImport.State.PREVIEWED and request.GET.get("columns")
    ):
        return _mapping_page(request, forum, member_import)
    content = imports.import_content(member_import.content)
    context = {
        "forum": forum,
        "member_import": member_import,
        "content": content,
        "rows_template": content.rows_template,
        "running": state in RUNNING,
    }
    if state in (MemberImport.State.PREVIEWED, MemberImport.State.DONE):
        show = request.GET.get("show", "")
        rows = member_import.rows.order_by("number")
        if show in ImportRow.Status.values:
            rows = rows.filter(status=show)
        else:
            show = ""
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        lists: dict = {}
        for row in page.object_list:
            row.reason_texts = imports.row_reasons(row, lists)
            if content.row_dress is not None:
                content.row_dress(row)
        context.update(
            page=page,
            show=show,
            statuses=ImportRow.Status.choices,
            outcomes=imports.outcome_counts(member_import)
            if state == MemberImport.State.DONE
            else [],
        )
    return render(request, "members/manage_import.html", context)


@login_required
@require_POST
def import_map(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_import_members)
    member_import = _import(forum, pk)
    form = ImportMappingForm(
        request.POST,
        member_import=member_import,
        content=imports.import_content(member_import.content),
        auto_id="map_%s",
    )
    if form.is_valid():
        try:
            imports.member_import_map(
                member_import=member_import,
                mapping=form.mapping(),
                default_language=form.cleaned_data.get(
                    "default_language", member_import.default_language
                ),
                by=request.user,
            )
        except ForumError as error:
            forum_error_add(form, error)
        else:
            return redirect("manage:import_detail", forum.slug, member_import.pk)
    messages.error(request, _("Please correct the errors below."))
    return _mapping_page(request, forum, member_import, form=form, status=400)


@login_required
@require_POST
def import_confirm(request, forum_slug, pk):
    forum = forum_managed(request, forum_slug, permissions.can_import_members)
    member_import = _import(forum, pk)
    try:
        imports.member_import_confirm(member_import=member_import, by=request.user)
    except ForumError as error:
        messages.error(request, str(error))
    return redirect("manage:import_detail", forum.slug, member_import.pk)


@login_required
def import_rejected_csv(request, forum_slug, pk):
    """The rejected rows as the file had them, with the row's number and the reasons."""
    forum = forum_managed(request, forum_slug, permissions.can_import_members)
    member_import = _import(forum, pk)
    headers = list(member_import.headers)
    columns = ["row", *[f"c{index}" for index in range(len(headers))], "reason"]

    def records():
        lists: dict = {}
        for row in imports.rejected_rows(member_import):
            cells = (list(row.cells) + [""] * len(headers))[: len(headers)]
            yield {
                "row": row.number,
                **{f"c{index}": cell for index, cell in enumerate(cells)},
                "reason": " ".join(imports.row_reasons(row, lists)),
            }

    name = member_import.filename.rsplit(".", 1)[0] or "import"
    return csv_download(
        columns,
        records(),
        f"{name}-rejected.csv",
        header=[_("Row"), *headers, _("Reason")],
    )
