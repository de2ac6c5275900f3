from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.calendar import ical_response
from core.errors import ForumError
from core.fingerprints import kept_fragments
from core.i18n import language_supported
from core.kept_pages import kept_page
from core.responses import csv_download
from core.timezones import time_label
from core.translation.selectors import translations_attach
from core.translation.services import translations_request
from events import calendar, exports, permissions, selectors, services
from events.forms import EventForm, GuestRegistrationForm, RegistrationForm, ReviewForm
from events.models import Event, EventCalendarFeed, EventRegistration

PAGE_SIZE = 20


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _calendar_context(request, filterset) -> dict:
    query = _query_without_page(request)
    suffix = f"?{query}" if query else ""
    # A subscription to "upcoming" keeps the last weeks too (the feed's default), so that
    # calendars do not drop an event the moment it ends.
    feed_query = request.GET.copy()
    feed_query.pop("page", None)
    if feed_query.get("when") == "upcoming":
        feed_query.pop("when")
    feed_suffix = f"?{feed_query.urlencode()}" if feed_query else ""
    return {
        "filter": filterset,
        "query": query,
        "list_url": reverse("events:index") + suffix,
        "map_url": reverse("events:map") + suffix,
        "ics_url": reverse("events:calendar") + feed_suffix,
        "can_submit": permissions.can_submit(request.user)[0],
        "can_review": permissions.can_review(request.user),
    }


@kept_page("events")
def index(request):
    """The public calendar as a list."""
    filterset = selectors.event_list(filters=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = kept_fragments(
        "event-card",
        page,
        lambda event: render_to_string(
            "events/includes/event_card.html",
            {"event": event, "left": selectors.places_left(event)},
        ),
    )
    context = _calendar_context(request, filterset)
    context.update(page=page, cards=cards)
    return render(request, "events/index.html", context)


def event_map(request):
    """The same events on a map, with the list of them as the accessible alternative."""
    filterset = selectors.event_list(filters=request.GET)
    events = list(filterset.qs[: selectors.MAP_LIMIT])
    points = selectors.map_points(events)
    context = _calendar_context(request, filterset)
    context.update(
        events=events,
        mapped=len(points),
        map_data={
            "tiles": settings.EVENTS_MAP_TILE_URL,
            "attribution": settings.EVENTS_MAP_ATTRIBUTION,
            "label": _("Map of the events"),
            "events": points,
        },
    )
    return render(request, "events/map.html", context)


def calendar_feed(request):
    """The filtered calendar as iCalendar: the query string of the list page works here."""
    data = request.GET.copy()
    # Calendars drop what a subscribed feed no longer lists: unless the query says when, the
    # feed keeps the events of the last weeks, so they stay in people's calendars.
    recent = not any(data.get(name) for name in ("when", "start", "end"))
    if recent:
        data["when"] = "all"
    queryset = selectors.event_list(filters=data).qs
    if recent:
        queryset = queryset.filter(ends_at__gte=timezone.now() - selectors.FEED_PAST)
    events = [calendar.event_ical(event) for event in queryset[: selectors.MAP_LIMIT]]
    return ical_response(
        request, calendar.events_calendar(events, name=_("Events")), "events.ics", inline=True
    )


def _detail_context(request, event, form=None, guest_form=None) -> dict:
    registration = selectors.registration_of(event=event, member=request.user)
    now = timezone.now()
    allowed, why_not = permissions.can_register(request.user, event, now)
    confirmed = (
        registration is not None and registration.status == EventRegistration.Status.CONFIRMED
    )
    # The description in the reader's language when machine-translated: one query.
    language = get_language()
    missing = translations_attach(objects=[event], language=language)
    translations_request(missing=missing, language=language)
    return {
        "event": event,
        "registration": registration,
        "waiting_position": registration and services.waiting_position(registration),
        "can_register": allowed and registration is None,
        "why_not": why_not,
        "places_left": selectors.places_left(event),
        "form": form or RegistrationForm(),
        "can_register_as_guest": permissions.can_register_as_guest(request.user, event, now)[0],
        "guest_form": guest_form or GuestRegistrationForm(),
        "guest_data_days": settings.EVENTS_GUEST_DATA_DAYS,
        "starts_label": time_label(event.starts_at, event.zone),
        "ends_label": time_label(event.ends_at, event.zone),
        "sees_online_link": (
            not event.registration_required
            or confirmed
            or permissions.can_see_registrations(request.user, event)
        ),
        "can_edit": permissions.can_edit(request.user, event),
        "can_review": permissions.can_review(request.user, event.forum_id),
        "sees_registrations": permissions.can_see_registrations(request.user, event),
        "review_form": ReviewForm(),
        "map_data": {
            "tiles": settings.EVENTS_MAP_TILE_URL,
            "attribution": settings.EVENTS_MAP_ATTRIBUTION,
            "label": _("Map of the event's place"),
            "events": selectors.map_points([event]),
        },
    }


def _visible_event(request, pk) -> Event:
    try:
        event = selectors.event_detail(pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view(request.user, event):
        raise Http404
    return event


@kept_page("event")
def detail(request, pk):
    event = _visible_event(request, pk)
    return render(request, "events/detail.html", _detail_context(request, event))


def event_ics(request, pk):
    event = get_object_or_404(Event, pk=pk, status=Event.Status.APPROVED)
    return ical_response(
        request,
        calendar.events_calendar([calendar.event_ical(event)], name=event.title),
        f"event-{event.pk}.ics",
    )


def _form_errors_from(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def submit(request):
    allowed, reason = permissions.can_submit(request.user)
    if not allowed:
        messages.error(request, reason)
        return redirect("events:index")
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                event = services.event_submit(
                    by=request.user,
                    fields=form.service_fields(),
                    forum=form.cleaned_data.get("forum"),
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your event is submitted. The secretariat reviews it and "
                        "we will e-mail you the decision."
                    ),
                )
                return redirect(event)
        messages.error(request, _("Please correct the answers below."))
    return render(
        request,
        "events/form.html",
        {"form": form, "event": None},
        status=400 if form.errors else 200,
    )


@login_required
def edit(request, pk):
    event = get_object_or_404(Event.objects.select_related("campaign"), pk=pk)
    if not permissions.can_edit(request.user, event):
        raise PermissionDenied
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                updated = services.event_edit(
                    event=Event.objects.get(pk=pk), fields=form.service_fields(), by=request.user
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                if (
                    event.status == Event.Status.REJECTED
                    and updated.status == Event.Status.SUBMITTED
                ):
                    messages.success(
                        request,
                        _("Your event is submitted again; the secretariat will review it."),
                    )
                else:
                    messages.success(request, _("The event is saved."))
                return redirect(updated)
        messages.error(request, _("Please correct the answers below."))
    return render(
        request,
        "events/form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@login_required
def mine(request):
    """The organiser's page: their events in every status, with their registrations."""
    events = list(selectors.events_of(organiser=request.user))
    return render(
        request,
        "events/mine.html",
        {
            "events": events,
            "can_submit": permissions.can_submit(request.user)[0],
        },
    )


def _managed_event(request, pk) -> Event:
    try:
        event = selectors.event_detail(pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None
    if not permissions.can_see_registrations(request.user, event):
        raise PermissionDenied
    return event


@login_required
def registrations(request, pk):
    event = _managed_event(request, pk)
    rows = list(selectors.registrations_of(event=event))
    waiting = [r for r in rows if r.status == EventRegistration.Status.WAITING]
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "confirmed": [r for r in rows if r.status == EventRegistration.Status.CONFIRMED],
            "waiting": waiting,
            "cancelled": [r for r in rows if r.status == EventRegistration.Status.CANCELLED],
            "guests": sum(
                1
                for r in rows
                if r.member_id is None and r.status != EventRegistration.Status.CANCELLED
            ),
        },
    )


@login_required
def registrations_csv(request, pk):
    event = _managed_event(request, pk)
    return csv_download(
        exports.COLUMNS,
        exports.registration_records(
            event=event, registrations=selectors.registrations_of(event=event)
        ),
        f"event-{event.pk}-registrations.csv",
        header=exports.registration_header(),
    )


@login_required
@require_POST
def register(request, pk):
    event = get_object_or_404(Event, pk=pk, status=Event.Status.APPROVED)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.event_register(
                event=event,
                member=request.user,
                accessibility_needs=form.cleaned_data["accessibility_needs"],
            )
        except ForumError as error:
            messages.error(request, str(error))
            status = 409
        else:
            if registration.status == EventRegistration.Status.CONFIRMED:
                messages.success(request, _("Your place is confirmed. We have sent you an e-mail."))
            else:
                messages.info(
                    request,
                    _("The event is full: you are number %(position)d on the waiting list.")
                    % {"position": services.waiting_position(registration)},
                )
            return redirect(event)
    else:
        messages.error(request, _("Please correct the answers below."))
        status = 400
    return render(
        request,
        "events/detail.html",
        _detail_context(request, selectors.event_detail(pk=pk), form),
        status=status,
    )


RATE_WINDOW = 3600  # seconds


def _rate_allows(request) -> bool:
    """At most EVENTS_GUEST_REQUESTS_PER_HOUR guest registrations from one address an hour
    (each may send an e-mail to anyone's address)."""
    key = f"events:guest-requests:{get_adapter(request).get_client_ip(request)}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired in between, or the cache is down (it fails open)
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count <= settings.EVENTS_GUEST_REQUESTS_PER_HOUR


def _guest_language() -> str:
    """The language the visitor reads the site in: their e-mails are written in it."""
    language = translation.get_language()
    return language if language_supported(language) else settings.LANGUAGE_CODE


@require_POST
def guest_register(request, pk):
    """A visitor without an account asks for a place; the same neutral answer whether the
    address was new, waiting for its link, or already holding a place."""
    event = get_object_or_404(Event, pk=pk, status=Event.Status.APPROVED)
    form = GuestRegistrationForm(request.POST)
    allowed, reason = permissions.can_register_as_guest(request.user, event, timezone.now())
    status = 400
    if not allowed:
        messages.error(request, reason)
        status = 409
    elif not form.is_valid():
        messages.error(request, _("Please correct the answers below."))
    elif not _rate_allows(request):
        messages.error(
            request, _("Too many registrations from your connection. Try again in an hour.")
        )
        status = 429
    else:
        try:
            services.guest_register(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                language=_guest_language(),
                accessibility_needs=form.cleaned_data["accessibility_needs"],
            )
        except services.RegistrationError as error:
            messages.error(request, str(error))
            status = 409
        else:
            messages.success(
                request,
                _(
                    "Thank you. We have sent an e-mail to %(email)s: open the link in it to "
                    "confirm your registration. Your place counts from then."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(event)
    return render(
        request,
        "events/detail.html",
        _detail_context(request, selectors.event_detail(pk=event.pk), guest_form=form),
        status=status,
    )


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = get_object_or_404(
        EventRegistration.objects.select_related("event"),
        event__pk=pk,  # not event_id: SQLite overflows on a huge number there
        member=request.user,
        status__in=[EventRegistration.Status.CONFIRMED, EventRegistration.Status.WAITING],
    )
    services.event_registration_cancel(registration=registration, by=request.user)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(registration.event)


@login_required
def queue(request):
    """The secretariat's queue of submitted events."""
    if not permissions.can_review(request.user):
        raise PermissionDenied
    page = Paginator(selectors.review_queue(viewer=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "events/queue.html", {"page": page, "form": ReviewForm()})


@login_required
@require_POST
def decide(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if not permissions.can_review(request.user, event.forum_id):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    form.is_valid()
    decision = request.POST.get("decision")
    back = request.POST.get("next")
    if back != reverse("events:queue"):
        back = event.get_absolute_url()
    try:
        if decision == "approve":
            services.event_approve(event=event, by=request.user)
            messages.success(
                request,
                _("“%(title)s” is published; the organiser is told.") % {"title": event.title},
            )
        elif decision == "reject":
            services.event_reject(
                event=event, reason=form.cleaned_data.get("reason", ""), by=request.user
            )
            messages.success(
                request,
                _("“%(title)s” is not approved; the organiser is told why.")
                % {"title": event.title},
            )
        else:
            messages.error(request, _("Choose to approve or to reject the event."))
    except ForumError as error:
        messages.error(request, str(error))
    return redirect(back)


@login_required
def calendar_subscribe(request):
    """The address of the member's private "my events" feed, and a way to change it."""
    feed = services.event_calendar_feed_of(member=request.user)
    if request.method == "POST":  # a new address, for when the old one was shared by mistake
        services.event_calendar_feed_renew(member=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("events:calendar_subscribe")
    url = request.build_absolute_uri(reverse("events:my_events_feed", args=[feed.token]))
    return render(request, "events/calendar_subscribe.html", {"feed_url": url})


def my_events_feed(request, token):
    """Subscribed to by calendar programs, which send no cookies: the secret token is the key."""
    feed = get_object_or_404(EventCalendarFeed.objects.select_related("member"), token=token)
    entries = [
        calendar.event_ical(event) for event in selectors.calendar_events_of(member=feed.member)
    ]
    return ical_response(
        request,
        calendar.events_calendar(entries, name=_("My events")),
        "my-events.ics",
        inline=True,
    )
