"""A forum's secretariat records the meetings its forum held outside the portal, under
/manage/<forum>/past-meetings/ (cocreation/manage_urls.py): the list with its search, a new
one, a correction, a deletion after confirming. The pages find the forum and ask the
permission first (members.manage.forum_managed); the services of cocreation.past_meetings
ask it again and check the facts, their refusals shown beside the field they name."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cocreation import past_meetings, permissions, selectors
from cocreation.forms import PastMeetingForm, PastMeetingSearchForm
from cocreation.models import PastMeeting
from core.errors import ForumError, NotAllowed
from core.forms import forum_error_add
from members.manage import forum_managed

PAST_MEETINGS_PAGE_SIZE = 50


def _managed(request, forum_slug):
    return forum_managed(request, forum_slug, permissions.can_record_past_meetings)


def _past_meeting(forum, pk) -> PastMeeting:
    try:
        return selectors.past_meeting_managed(forum=forum, pk=int(pk))
    except (ValueError, TypeError, OverflowError, PastMeeting.DoesNotExist):
        raise Http404 from None


def _day(meeting) -> str:
    return date_format(meeting.held_on, "DATE_FORMAT")


def _saved(form, call) -> bool:
    """Run the service `call`; its refusal goes beside the field it names. True if done."""
    try:
        call()
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except ForumError as error:
        forum_error_add(form, error)
        return False
    return True


def _form_page(request, template, context):
    form = context["form"]
    if form.errors:
        messages.error(request, _("Please correct the errors below."))
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def past_meeting_list(request, forum_slug):
    forum = _managed(request, forum_slug)
    search = PastMeetingSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    page = Paginator(
        selectors.past_meetings_search(
            forum=forum, search=filters.get("q", ""), kind=filters.get("kind", "")
        ),
        PAST_MEETINGS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "cocreation/manage/past_meetings.html",
        {
            "forum": forum,
            "search": search,
            "searching": bool(filters.get("q") or filters.get("kind")),
            "page": page,
        },
    )


@login_required
def past_meeting_add(request, forum_slug):
    forum = _managed(request, forum_slug)
    form = PastMeetingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        recorded = []
        if _saved(
            form,
            lambda: recorded.append(
                past_meetings.past_meeting_record(forum=forum, facts=form.facts(), by=request.user)
            ),
        ):
            meeting = recorded[0]
            messages.success(
                request,
                _("The meeting “%(title)s” of %(day)s is recorded.")
                % {"title": meeting.title, "day": _day(meeting)},
            )
            return redirect("manage:past_meetings", forum.slug)
    return _form_page(
        request, "cocreation/manage/past_meeting_form.html", {"forum": forum, "form": form}
    )


@login_required
def past_meeting_edit(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    meeting = _past_meeting(forum, pk)
    kept = bool(meeting.minutes_file)
    form = PastMeetingForm(
        request.POST or None,
        request.FILES or None,
        initial=PastMeetingForm.initial_of(meeting),
        minutes_file_kept=kept,
    )
    if request.method == "POST" and form.is_valid():
        if _saved(
            form,
            lambda: past_meetings.past_meeting_update(
                past_meeting=meeting,
                facts=form.facts(),
                by=request.user,
                file_remove=form.file_remove_asked(),
            ),
        ):
            messages.success(
                request, _("The meeting “%(title)s” is saved.") % {"title": meeting.title}
            )
            return redirect("manage:past_meetings", forum.slug)
        with contextlib.suppress(PastMeeting.DoesNotExist):
            meeting.refresh_from_db()  # the page shows what is kept, not what was refused
    return _form_page(
        request,
        "cocreation/manage/past_meeting_form.html",
        {
            "forum": forum,
            "form": form,
            "meeting": meeting,
            "kept_file_name": meeting.minutes_file.name.rsplit("/", 1)[-1]
            if meeting.minutes_file
            else "",
        },
    )


@login_required
def past_meeting_delete(request, forum_slug, pk):
    forum = _managed(request, forum_slug)
    meeting = _past_meeting(forum, pk)
    if request.method == "POST":
        try:
            past_meetings.past_meeting_delete(past_meeting=meeting, by=request.user)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from None
        messages.success(
            request,
            _("The meeting “%(title)s” of %(day)s is deleted.")
            % {"title": meeting.title, "day": _day(meeting)},
        )
        return redirect("manage:past_meetings", forum.slug)
    return render(
        request,
        "cocreation/manage/past_meeting_delete.html",
        {"forum": forum, "meeting": meeting},
    )
