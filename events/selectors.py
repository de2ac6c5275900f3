"""Reads of the events app, with the joins and counts each page needs."""

from datetime import timedelta

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.counts import related_count
from core.personal_data import rows
from core.timezones import time_label
from events.filters import EventFilter
from events.models import Campaign, Event, EventCalendarFeed, EventRegistration
from members.permissions import forums_run

CONFIRMED = EventRegistration.Status.CONFIRMED
WAITING = EventRegistration.Status.WAITING
MAP_LIMIT = 1000  # markers on one map, events in one feed
FEED_PAST = timedelta(days=90)  # past events a feed keeps listing, unless it asks for "when"


def _with_counts(queryset):
    return queryset.annotate(
        confirmed_count=related_count(EventRegistration, "event", status=CONFIRMED),
        waiting_count=related_count(EventRegistration, "event", status=WAITING),
    )


def places_left(event) -> int | None:
    """Free places, from the annotations of the selectors; None when there is no limit."""
    if not event.registration_required or event.capacity is None:
        return None
    return max(event.capacity - event.confirmed_count, 0)


def events_visible_to(user):
    """The events whose page `user` may open (permissions.can_view): the published ones,
    their own submissions, and every event of the forums whose secretariat they are."""
    run = forums_run(user)
    if run is None:
        return Event.objects.all()
    query = Q(status=Event.Status.APPROVED) | Q(forum_id__in=run)
    if user is not None and user.is_authenticated:
        query |= Q(organiser=user)
    return Event.objects.filter(query)


def event_list(*, filters, viewer=None) -> EventFilter:
    """The public calendar: approved events, filtered by the query string."""
    queryset = _with_counts(
        Event.objects.filter(status=Event.Status.APPROVED)
        .select_related("campaign", "organisation")
        .order_by("starts_at", "id")  # aggregation drops Meta.ordering
    )
    return EventFilter(filters, queryset=queryset)


def upcoming_events_by_forum(*, forums, per_forum: int = 3) -> dict[int, list]:
    """The next `per_forum` published events of each of `forums`, as {forum id: [event]}:
    one query however many forums (a window ranks each forum's events)."""
    ranked = (
        Event.objects.filter(
            forum__in=forums, status=Event.Status.APPROVED, ends_at__gte=timezone.now()
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("forum_id"),
                order_by=[F("starts_at").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=per_forum)
        .order_by("starts_at", "id")
    )
    by_forum: dict[int, list] = {}
    for event in ranked:
        by_forum.setdefault(event.forum_id, []).append(event)
    return by_forum


def map_points(events) -> list[dict]:
    """What the map script needs of each event that has coordinates."""
    return [
        {
            "id": event.pk,
            "title": event.title,
            "url": event.get_absolute_url(),
            "lat": float(event.latitude),
            "lng": float(event.longitude),
            "place": ", ".join(part for part in [event.city, event.country.name] if part),
            "when": time_label(event.starts_at, event.zone),
        }
        for event in events
        if event.has_coordinates
    ]


def event_detail(*, pk: int) -> Event:
    return _with_counts(
        Event.objects.select_related("campaign", "organisation", "organiser", "reviewed_by")
    ).get(pk=pk)


def registration_of(*, event, member) -> EventRegistration | None:
    if not member.is_authenticated:
        return None
    return (
        EventRegistration.objects.filter(event=event, member=member)
        .exclude(status=EventRegistration.Status.CANCELLED)
        .first()
    )


def review_queue(*, viewer):
    """Events waiting for review in the forums `viewer` is the secretariat of, oldest
    submission first."""
    events = Event.objects.filter(status=Event.Status.SUBMITTED)
    run = forums_run(viewer)
    if run is not None:
        events = events.filter(forum_id__in=run)
    return events.select_related(
        "forum", "campaign", "organisation", "organiser__organisation"
    ).order_by("submitted_at", "id")


def forum_campaigns(*, forum, query: str = ""):
    """`forum`'s campaigns, the latest first, with their number of events (one query)."""
    campaigns = Campaign.objects.filter(forum=forum).annotate(events_n=Count("events"))
    query = query.strip()
    if query:
        campaigns = campaigns.filter(name__icontains=query)
    return campaigns.order_by(F("starts_on").desc(nulls_last=True), "name", "id")


def forum_review_queue(*, forum):
    """`forum`'s events waiting for review, oldest submission first."""
    return (
        Event.objects.filter(forum=forum, status=Event.Status.SUBMITTED)
        .select_related("forum", "campaign", "organisation", "organiser__organisation")
        .order_by("submitted_at", "id")
    )


def forum_events_by_organiser(*, forum, query: str):
    """`forum`'s events, whatever their status, whose organiser's name or e-mail contains
    `query`, newest first (none without a query)."""
    query = query.strip()
    if not query:
        return Event.objects.none()
    return (
        Event.objects.filter(forum=forum)
        .filter(Q(organiser__full_name__icontains=query) | Q(organiser__email__icontains=query))
        .select_related("forum", "campaign", "organiser")
        .order_by("-starts_at", "-id")
    )


def events_of(*, organiser):
    """An organiser's own events, whatever their status, newest first."""
    return _with_counts(
        Event.objects.filter(organiser=organiser).select_related("campaign", "organisation")
    ).order_by("-starts_at", "-id")


def registrations_of(*, event):
    """Everyone who registered, in the order they did, with their organisation."""
    return (
        EventRegistration.objects.filter(event=event)
        .select_related("member__organisation")
        .order_by("id")
    )


def personal_data_of(*, member) -> dict:
    """What the events calendar holds on `member`, for "download my data"."""
    return {
        "event_registrations": rows(
            EventRegistration.objects.filter(member=member),
            "event__title",
            "event__starts_at",
            "status",
            "accessibility_needs",
            "created_at",
            "cancelled_at",
        ),
        # Places taken without an account, with the member's address (confirmed both ways).
        "event_guest_registrations": rows(
            EventRegistration.objects.filter(
                member__isnull=True, guest_email__iexact=member.email
            ).exclude(guest_email=""),
            "event__title",
            "event__starts_at",
            "guest_name",
            "guest_email",
            "status",
            "accessibility_needs",
            "created_at",
            "cancelled_at",
        ),
        "has_event_calendar_feed": EventCalendarFeed.objects.filter(member=member).exists(),
        "events_submitted": rows(
            Event.objects.filter(organiser=member), "title", "starts_at", "status", "submitted_at"
        ),
    }


def my_places(*, member):
    """The places and waiting places `member` holds at events, soonest first."""
    return (
        EventRegistration.objects.filter(member=member, status__in=[CONFIRMED, WAITING])
        .select_related("event")
        .order_by("event__starts_at", "id")
    )


def calendar_events_of(*, member):
    """The events in a member's feed: where they hold a place or wait."""
    return (
        Event.objects.filter(
            status=Event.Status.APPROVED,
            registrations__member=member,
            registrations__status__in=[CONFIRMED, WAITING],
        )
        .distinct()
        .order_by("starts_at", "id")
    )
