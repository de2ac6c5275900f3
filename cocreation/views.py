from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cocreation import calendar, permissions, seat_pass, selectors, services
from cocreation.forms import RegistrationForm
from cocreation.models import (
    CalendarFeed,
    OutreachAttachment,
    PastMeeting,
    Registration,
    Workshop,
)
from core.calendar import ical_response
from core.errors import ForumError
from core.fingerprints import kept_fragments
from core.kept_pages import kept_page
from core.timezones import time_label
from members.models import StakeholderGroup

PAGE_SIZE = 20


@kept_page("workshop-list")
def workshop_list(request, forum=None):
    """Every forum's workshops, or one forum's (its pages pass `forum`)."""
    filterset = selectors.workshop_list(
        filters=request.GET or None, viewer=request.user, forum=forum
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = kept_fragments(
        "workshop-card",
        page,
        lambda w: render_to_string(
            "cocreation/includes/workshop_card.html",
            {"workshop": w, "free": selectors.seats_free(w), "forum": forum},
        ),
        shared=(forum and forum.pk,),  # whose list: every forum's names each one's forum
    )
    return render(
        request,
        "cocreation/workshop_list.html",
        {"filter": filterset, "page": page, "cards": cards, "forum": forum},
    )


def _detail_context(request, workshop, form=None):
    registration = selectors.registration_of(workshop=workshop, member=request.user)
    if registration is not None:
        registration.workshop = workshop  # read already: its seat's pass needs it
    allowed, reason = permissions.can_register(request.user, workshop)
    window_open, window_reason = permissions.registration_window_open(workshop, timezone.now())
    free = selectors.seats_free(workshop)
    sees_link = (
        registration is not None and registration.status == Registration.Status.CONFIRMED
    ) or permissions.is_facilitator_of(request.user, workshop)
    can_register = allowed and window_open and registration is None
    return {
        "workshop": workshop,
        "registration": registration,
        # Which group's seat registering would give, or the waiting-list number instead.
        "prospect": can_register
        and selectors.seat_prospect(workshop=workshop, member=request.user),
        "waiting_position": registration and services.waiting_position(registration),
        "can_register": can_register,
        "why_not": reason or window_reason,
        "form": form or RegistrationForm(),
        "free_seats": [
            {"label": StakeholderGroup(group).label, "free": count, "quota": workshop.quota(group)}
            for group, count in free.items()
        ],
        "starts_label": time_label(workshop.starts_at, workshop.zone),
        "ends_label": time_label(workshop.ends_at, workshop.zone),
        "sees_online_link": sees_link,
        "can_moderate": permissions.can_moderate(request.user, workshop),
        "registrants_url": reverse(
            "manage:registrants", args=[workshop.process.forum.slug, workshop.pk]
        )
        if permissions.can_manage_workshops(request.user, permissions.forum_of(workshop))
        else "",
        "tally": selectors.response_tally(workshop=workshop),
    }


@kept_page("workshop")
def workshop_detail(request, pk):
    try:
        workshop = selectors.workshop_detail(pk=pk, drafts=True)
    except Workshop.DoesNotExist:
        raise Http404 from None
    if workshop.status == Workshop.Status.DRAFT and not permissions.can_manage_workshops(
        request.user, permissions.forum_of(workshop)
    ):
        raise Http404  # a draft is seen only by its forum's secretariat
    return render(request, "cocreation/workshop_detail.html", _detail_context(request, workshop))


@login_required
@require_POST
def workshop_register(request, pk):
    workshop = get_object_or_404(Workshop.objects.exclude(status=Workshop.Status.DRAFT), pk=pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the answers below."))
        return render(
            request,
            "cocreation/workshop_detail.html",
            _detail_context(request, selectors.workshop_detail(pk=pk), form),
            status=400,
        )
    try:
        registration = services.workshop_register(
            workshop=workshop,
            member=request.user,
            answers=services.RegistrationAnswers(**form.cleaned_data),
        )
    except ForumError as error:
        messages.error(request, str(error))
        return render(
            request,
            "cocreation/workshop_detail.html",
            _detail_context(request, selectors.workshop_detail(pk=pk), form),
            status=409,
        )
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("Your seat is confirmed. We have sent you an e-mail."))
    else:
        messages.info(
            request,
            _(
                "The seats for your group are taken: you are number %(position)d on the "
                "waiting list."
            )
            % {"position": registration.position},
        )
    return redirect(workshop)


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("workshop"),
        workshop__pk=pk,  # not workshop_id: SQLite overflows on a huge number there
        member=request.user,
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
    )
    services.registration_cancel(registration=registration, by=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(registration.workshop)


def workshop_ics(request, pk):
    workshop = get_object_or_404(Workshop.objects.exclude(status=Workshop.Status.DRAFT), pk=pk)
    return ical_response(
        request,
        calendar.workshops_calendar([calendar.workshop_event(workshop)], name=workshop.title),
        f"workshop-{workshop.pk}.ics",
    )


def my_workshops_feed(request, token):
    """Subscribed to by calendar programs, which send no cookies: the secret token is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("member"), token=token)
    events = [
        calendar.workshop_event(
            workshop,
            with_online_link=bool(workshop.seated),
            seat_pass_url=seat_pass.seat_pass_url_of(
                workshop_id=workshop.pk, seat_code=workshop.seat_code
            )
            if workshop.seated
            and workshop.seat_code
            and workshop.status != Workshop.Status.CANCELLED
            else "",
        )
        for workshop in selectors.calendar_workshops_of(member=feed.member)
    ]
    return ical_response(
        request, calendar.workshops_calendar(events, name=_("My workshops")), "my-workshops.ics"
    )


@login_required
def calendar_subscribe(request):
    feed = services.calendar_feed_of(member=request.user)
    if request.method == "POST":  # a new address, for when the old one was shared by mistake
        services.calendar_feed_renew(member=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("cocreation:calendar_subscribe")
    url = request.build_absolute_uri(reverse("cocreation:my_workshops_feed", args=[feed.token]))
    return render(request, "cocreation/calendar_subscribe.html", {"feed_url": url})


def attachment(request, pk, attachment_pk):
    """Outreach kit files are public with their (published) workshop."""
    item = get_object_or_404(
        OutreachAttachment.objects.exclude(workshop__status=Workshop.Status.DRAFT),
        pk=attachment_pk,
        workshop__pk=pk,  # not workshop_id: SQLite overflows on a huge number there
    )
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


def past_meeting_minutes(request, pk):
    """The minutes of a meeting the forum held outside the portal: public, as the forum's
    history that its health report cites."""
    item = get_object_or_404(PastMeeting.objects.exclude(minutes_file=""), pk=pk)
    try:
        handle = item.minutes_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=item.minutes_file.name.rsplit("/", 1)[-1]
    )
