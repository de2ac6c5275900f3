"""Events in a forum's back office, /manage/<forum>/events/...: the forum's campaigns
(created and edited here), the queue of its submitted events (approved or rejected with a
reason, through the same services as the public queue), and an organiser's events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ForumError
from core.forms import form_errors_add
from events import permissions, selectors, services
from events.forms import CampaignForm
from events.models import Campaign, Event
from members.manage import forum_managed

PAGE_SIZE = 25


def _query(request) -> str:
    """The search box's words: at most 200 characters, and no NUL byte (which PostgreSQL
    refuses in a query)."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:200]


@login_required
def events(request, forum_slug):
    """The forum's campaigns, searchable by name, with the way to its review queue and to
    an organiser's events."""
    forum = forum_managed(request, forum_slug, permissions.can_review)
    query = _query(request)
    page = Paginator(selectors.forum_campaigns(forum=forum, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/manage/events.html",
        {
            "forum": forum,
            "page": page,
            "query": query,
            "waiting_n": selectors.forum_review_queue(forum=forum).count(),
        },
    )


def _campaign_form_page(request, forum, form, campaign=None):
    return render(
        request,
        "events/manage/campaign_form.html",
        {"forum": forum, "form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@login_required
def campaign_create(request, forum_slug):
    forum = forum_managed(request, forum_slug, permissions.can_manage_campaigns)
    form = CampaignForm(request.POST or None, initial={"accepts_submissions": True})
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_create(
                    forum=forum,
                    fields={name: form.cleaned_data[name] for name in services.CAMPAIGN_FIELDS},
                    by=request.user,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            except ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The campaign “%(name)s” is created.") % {"name": campaign.name}
                )
                return redirect("manage:events", forum.slug)
        messages.error(request, _("Please correct the errors below."))
    return _campaign_form_page(request, forum, form)


@login_required
def campaign_edit(request, forum_slug, campaign_id):
    forum = forum_managed(request, forum_slug, permissions.can_manage_campaigns)
    try:
        campaign = Campaign.objects.get(forum=forum, pk=campaign_id)
    except Campaign.DoesNotExist:
        raise Http404 from None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_edit(
                    campaign=campaign,
                    fields={name: form.cleaned_data[name] for name in services.CAMPAIGN_FIELDS},
                    by=request.user,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            except ForumError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The campaign “%(name)s” is saved.") % {"name": campaign.name}
                )
                return redirect("manage:events", forum.slug)
        messages.error(request, _("Please correct the errors below."))
        campaign.refresh_from_db()
    return _campaign_form_page(request, forum, form, campaign)


def _queue_page(request, forum, *, failed: Event | None = None, error="", reason="", status=200):
    page = Paginator(selectors.forum_review_queue(forum=forum), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/manage/review.html",
        {
            "forum": forum,
            "page": page,
            "failed_id": failed.pk if failed else None,
            "error": error,
            "reason": reason,
        },
        status=status,
    )


@login_required
def review_queue(request, forum_slug):
    """The forum's submitted events, oldest first: approve, or reject with a reason."""
    forum = forum_managed(request, forum_slug, permissions.can_review)
    return _queue_page(request, forum)


@login_required
@require_POST
def event_decide(request, forum_slug, event_id):
    forum = forum_managed(request, forum_slug, permissions.can_review)
    try:
        event = Event.objects.select_related("organiser").get(forum=forum, pk=event_id)
    except Event.DoesNotExist:
        raise Http404 from None
    decision = request.POST.get("decision")
    reason = request.POST.get("reason", "")[:5000]
    try:
        if decision == "approve":
            services.event_approve(event=event, by=request.user)
            messages.success(
                request,
                _("“%(title)s” is published; the organiser is told.") % {"title": event.title},
            )
        elif decision == "reject":
            services.event_reject(event=event, reason=reason, by=request.user)
            messages.success(
                request,
                _("“%(title)s” is not approved; the organiser is told why.")
                % {"title": event.title},
            )
        else:
            raise services.EventError(_("Choose to approve or to reject the event."))
    except ForumError as error:
        messages.error(request, str(error))
        return _queue_page(
            request, forum, failed=event, error=str(error), reason=reason, status=400
        )
    return redirect("manage:events_review", forum.slug)


@login_required
def organiser_events(request, forum_slug):
    """The forum's events of an organiser, found by their name or e-mail."""
    forum = forum_managed(request, forum_slug, permissions.can_review)
    query = _query(request)
    page = Paginator(
        selectors.forum_events_by_organiser(forum=forum, query=query), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "events/manage/organiser_events.html",
        {"forum": forum, "page": page, "query": query},
    )
