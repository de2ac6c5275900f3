"""Events: submission, review, edits and resubmission, registration with a waiting list,
reminders.

Places are given under a row lock on the event with the shared rule of `core.seats`
(the same as workshop seats, with one group: everyone): lock, then count, then write.
"""

import hashlib
import sys
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import seats
from core.audit.services import audit_record
from core.calendar import private_feed_of, private_feed_renew
from core.errors import ForumError, require
from core.notifications.reminders import REMINDER_HORIZON_DAYS, reminder_timing, reminders_send
from core.notifications.services import notification_send
from core.timezones import time_label
from core.translation.services import translations_request_for
from events import guest_mail, notices, permissions
from events.models import Campaign, Event, EventCalendarFeed, EventRegistration, GuestRequest
from members.models import Forum

# What an organiser fills in; the rest (status, review, sequence) only the services set.
EDITABLE_FIELDS = [
    "campaign",
    "title",
    "description",
    "format",
    "attendance",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "online_link",
    "starts_at",
    "ends_at",
    "time_zone",
    "language",
    "organisation",
    "partners",
    "link",
    "accessible_venue",
    "vulnerable_groups",
    "gender_balanced",
    "civil_society_partners",
    "inclusion_notes",
    "registration_required",
    "capacity",
    "open_to_guests",
]
# A change of these moves the event in people's calendars (the iCalendar SEQUENCE goes up).
CALENDAR_FIELDS = {"starts_at", "ends_at", "time_zone", "address", "city", "country", "title"}


class EventError(ForumError):
    """An action on an event that cannot be done; the message is for the person acting."""


class RegistrationError(EventError):
    """A registration that cannot be made; the message is for the member."""


# --- Submission and review ---------------------------------------------------------------


def _apply(event: Event, fields: dict) -> set[str]:
    """Set the editable fields given; returns the names of those that changed."""
    changed = set()
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not an editable field of an event")
        if getattr(event, name) != value:
            setattr(event, name, value)
            changed.add(name)
    return changed


def event_submit(*, by, fields: dict, forum: Forum | None = None) -> Event:
    """A member submits an event; it waits for the review of its forum's secretariat. An
    event of a campaign belongs to the campaign's forum; any other to `forum`, the portal's
    default forum when none is given."""
    allowed, reason = permissions.can_submit(by)
    if not allowed:
        raise EventError(reason)
    event = Event(organiser=by, status=Event.Status.SUBMITTED)
    _apply(event, fields)
    if "organisation" not in fields:
        event.organisation = by.organisation
    if event.campaign is not None:
        event.forum = event.campaign.forum
    else:
        event.forum = forum or Forum.objects.default()
    event.full_clean()
    with transaction.atomic():
        event.save()
        audit_record(actor=by, action="event.submitted", about=event, after=event.status)
        translations_request_for(instance=event)
    return event


def event_edit(*, event: Event, fields: dict, by) -> Event:
    """Change an event. When its organiser edits an event that was not approved, it goes back
    to the secretariat (resubmission). An approved event stays published; a change of time or
    place raises its calendar sequence. More places give the people waiting a place at once;
    fewer than those already confirmed are refused."""
    if not permissions.can_edit(by, event):
        raise EventError(_("You cannot edit this event."))
    now = timezone.now()
    with transaction.atomic():
        event = seats.locked(event)
        before_status = event.status
        changed = _apply(event, fields)
        if event.campaign is not None and event.campaign.forum_id != event.forum_id:
            raise ValidationError(
                {
                    "campaign": _(
                        "This campaign belongs to another forum; the event stays in %(forum)s."
                    )
                    % {"forum": event.forum.name}
                }
            )
        event.full_clean()
        confirmed = event.registrations.filter(status=EventRegistration.Status.CONFIRMED)
        active = event.registrations.exclude(status=EventRegistration.Status.CANCELLED)
        if not event.registration_required and active.exists():
            raise ValidationError(
                {
                    "registration_required": _(
                        "People have registered: cancel their registrations before turning "
                        "registration off."
                    )
                }
            )
        if event.capacity is not None and "capacity" in changed:
            taken = confirmed.count()
            if event.capacity < taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "%(taken)d places are already confirmed; the event cannot have fewer."
                        )
                        % {"taken": taken}
                    }
                )
        resubmitted = before_status == Event.Status.REJECTED and permissions.is_organiser(by, event)
        if resubmitted:
            event.status = Event.Status.SUBMITTED
            event.submitted_at = now
        if changed & CALENDAR_FIELDS:
            event.sequence += 1
        event.save()
        audit_record(
            actor=by,
            action="event.resubmitted" if resubmitted else "event.edited",
            about=event,
            before=before_status,
            after=event.status,
            changed=", ".join(sorted(changed)),
        )
        if "capacity" in changed or "registration_required" in changed:
            promoted = _places_fill(event, now)
            _after_promotion(promoted, by=by)
    return event


def event_approve(*, event: Event, by) -> Event:
    """Publish a submitted event; its organiser is told."""
    if not permissions.can_review(by, event.forum_id):
        raise EventError(_("Only the forum's secretariat reviews its events."))
    with transaction.atomic():
        event = seats.locked(event)
        if event.status != Event.Status.SUBMITTED:
            raise EventError(_("Only events waiting for review can be approved."))
        now = timezone.now()
        audit_record(
            actor=by,
            action="event.approved",
            about=event,
            before=event.status,
            after=Event.Status.APPROVED,
        )
        event.status = Event.Status.APPROVED
        event.reviewed_at, event.reviewed_by = now, by
        event.rejection_reason = ""
        event.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason"])
        if event.organiser is not None:
            notification_send(
                kind=notices.EVENT_APPROVED,
                recipient=event.organiser,
                about=event,
                dedup_key=f"event_approved:{event.pk}:{now.isoformat()}",
            )
    return event


def event_reject(*, event: Event, reason: str, by) -> Event:
    """Turn down a submitted event, or take a published one out of the calendar, with a
    reason the organiser reads; they can edit it and submit it again."""
    if not permissions.can_review(by, event.forum_id):
        raise EventError(_("Only the forum's secretariat reviews its events."))
    reason = reason.strip()
    if not reason:
        raise EventError(_("Say why the event is not approved: the organiser will read it."))
    with transaction.atomic():
        event = seats.locked(event)
        if event.status == Event.Status.REJECTED:
            raise EventError(_("This event was already turned down."))
        now = timezone.now()
        audit_record(
            actor=by,
            action="event.rejected",
            about=event,
            before=event.status,
            after=Event.Status.REJECTED,
            reason=reason,
        )
        event.status = Event.Status.REJECTED
        event.reviewed_at, event.reviewed_by = now, by
        event.rejection_reason = reason
        event.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason"])
        if event.organiser is not None:
            notification_send(
                kind=notices.EVENT_REJECTED,
                recipient=event.organiser,
                about=event,
                context={"reason": reason, "url": _edit_url(event)},
                dedup_key=f"event_rejected:{event.pk}:{now.isoformat()}",
            )
    return event


def _edit_url(event: Event) -> str:
    return reverse("events:edit", args=[event.pk])


# --- Registration and the waiting list ---------------------------------------------------


def _places_fill(event: Event, now: datetime) -> list[EventRegistration]:
    """Call with the event row locked."""
    capacity = event.capacity if event.capacity is not None else sys.maxsize
    return seats.seats_fill(event.registrations.all(), quotas={seats.EVERYONE: capacity}, now=now)


def waiting_position(registration: EventRegistration) -> int | None:
    return seats.waiting_position(
        EventRegistration.objects.filter(event_id=registration.event_id), registration
    )


def _context(event: Event, member, *, confirmed: bool) -> dict:
    context = {"starts_at": time_label(event.starts_at, event.zone, member.preferred_language)}
    if confirmed and event.online_link:
        context["online_link"] = event.online_link
    return context


def _after_promotion(promoted, *, by, except_registration=None) -> None:
    """Record and tell each person who got a place from the waiting list: members by a
    notification, guests by an e-mail of their own."""
    guests = [r for r in promoted if r.member_id is None and r != except_registration]
    for registration in guests:
        audit_record(
            actor=by,
            action="event_registration.promoted",
            about=registration,
            before=EventRegistration.Status.WAITING,
            after=EventRegistration.Status.CONFIRMED,
            guest=True,
        )
        guest_mail.guest_mail_queue(kind=guest_mail.PROMOTED, pk=registration.pk)
    seats.promoted_tell(
        [r for r in promoted if r.member_id is not None],
        by=by,
        action="event_registration",
        kind=notices.EVENT_PLACE_PROMOTED,
        about=lambda registration: registration.event,
        context=lambda registration: _context(
            registration.event, registration.member, confirmed=True
        ),
        dedup_prefix="event_promoted",
        except_place=except_registration,
    )


def event_register(*, event: Event, member, accessibility_needs: str = "") -> EventRegistration:
    """Give `member` a place at `event`, or a numbered place on its waiting list when the
    places are taken. Raises RegistrationError with a message for the member."""
    allowed, reason = permissions.can_register(member, event, timezone.now())
    if not allowed:
        raise RegistrationError(reason or _("This event does not take registrations."))
    with transaction.atomic():
        event = seats.locked(event)
        now = timezone.now()  # after the lock: the times follow the waiting-list order
        allowed, reason = permissions.can_register(member, event, now)
        if not allowed:
            raise RegistrationError(reason or _("This event does not take registrations."))
        if (
            event.registrations.filter(member=member)
            .exclude(status=EventRegistration.Status.CANCELLED)
            .exists()
        ):
            raise RegistrationError(_("You are already registered for this event."))
        registration = EventRegistration.objects.create(
            event=event,
            member=member,
            status=EventRegistration.Status.WAITING,
            accessibility_needs=accessibility_needs.strip(),
            created_at=now,
        )
        promoted = _places_fill(event, now)
        registration.refresh_from_db()
        audit_record(
            actor=member,
            action="event_registration.created",
            about=registration,
            after=registration.status,
        )
        _after_promotion(promoted, by=member, except_registration=registration)
        confirmed = registration.status == EventRegistration.Status.CONFIRMED
        context = _context(event, member, confirmed=confirmed)
        if not confirmed:
            context["position"] = waiting_position(registration)
        notification_send(
            kind=notices.EVENT_REGISTRATION_CONFIRMED
            if confirmed
            else notices.EVENT_REGISTRATION_WAITING,
            recipient=member,
            about=event,
            context=context,
            dedup_key=f"event_registration:{registration.pk}",
        )
    return registration


def event_registration_cancel(*, registration: EventRegistration, by) -> list[EventRegistration]:
    """Cancel a place or a waiting place; the first person waiting gets the place at once.
    Returns the registrations promoted."""
    return seats.place_cancel(
        place=registration,
        parent=registration.event,
        by=by,
        action="event_registration",
        fill=_places_fill,
        tell=lambda promoted: _after_promotion(promoted, by=by),
    )


# --- Guests: people without an account ------------------------------------------------------


class GuestLinkError(EventError):
    """A guest's link that leads nowhere: `gone` when it worked once (the registration was
    cancelled, the request expired), else it never did."""

    def __init__(self, message: str, *, gone: bool = False, event: Event | None = None):
        super().__init__(message)
        self.gone = gone
        self.event = event


def guest_email_normalise(email: str) -> str:
    """One spelling of an address, so that "Olena@Example.org" registers once."""
    return email.strip().lower()


GUEST_MAIL_AGAIN_AFTER = 600  # seconds: the same e-mail to the same address, at most this often


def _guest_mail_again(*, event: Event, email: str, kind: str, pk: int) -> None:
    """Send an address's e-mail again when it asks again, but not more than once in
    GUEST_MAIL_AGAIN_AFTER, whoever asks: a form cannot be used to flood someone's inbox."""
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    if cache.add(f"events:guest-mail:{event.pk}:{kind}:{digest}", 1, GUEST_MAIL_AGAIN_AFTER):
        guest_mail.guest_mail_queue(kind=kind, pk=pk)


def _request_expired(request: GuestRequest, now: datetime) -> bool:
    return request.created_at <= now - timedelta(hours=settings.EVENTS_GUEST_REQUEST_HOURS)


def guest_register(
    *, event: Event, name: str, email: str, language: str, accessibility_needs: str = ""
) -> None:
    """Someone without an account asks for a place at `event` (open to guests): they are
    e-mailed a link, in `language`, that confirms their address; only then do they count for
    a place. Nothing tells the visitor whether the address was known: asked again while a
    request waits, the link is sent again; asked again while the address holds a place, its
    e-mail (with the link to cancel) is sent again. Raises RegistrationError with a message
    when the event takes no guests."""
    now = timezone.now()
    allowed, reason = permissions.guests_welcome(event, now)
    if not allowed:
        raise RegistrationError(reason)
    email = guest_email_normalise(email)
    name = " ".join(name.split())
    accessibility_needs = accessibility_needs.strip()
    with transaction.atomic():
        held = (
            EventRegistration.objects.filter(event=event, member__isnull=True, guest_email=email)
            .exclude(status=EventRegistration.Status.CANCELLED)
            .first()
        )
        if held is not None:
            _guest_mail_again(
                event=event,
                email=email,
                kind=guest_mail.CONFIRMED
                if held.status == EventRegistration.Status.CONFIRMED
                else guest_mail.WAITING,
                pk=held.pk,
            )
            return
        request = GuestRequest.objects.select_for_update().filter(event=event, email=email).first()
        if request is not None and _request_expired(request, now):
            request.delete()
            request = None
        if request is None:
            try:
                with transaction.atomic():
                    request = GuestRequest.objects.create(
                        event=event,
                        name=name,
                        email=email,
                        language=language,
                        accessibility_needs=accessibility_needs,
                        created_at=now,
                    )
            except IntegrityError:  # the same address, asked at the same moment
                return
        else:
            # The latest answers count; the link stays the one already sent.
            request.name, request.language = name, language
            request.accessibility_needs = accessibility_needs
            request.save(update_fields=["name", "language", "accessibility_needs"])
        _guest_mail_again(event=event, email=email, kind=guest_mail.CONFIRM, pk=request.pk)


def guest_registration_of(*, token: str) -> EventRegistration:
    """The guest's registration whose link holds `token`. Raises GuestLinkError."""
    registration = (
        EventRegistration.objects.select_related("event")
        .filter(guest_token=token, member__isnull=True)
        .first()
    )
    if registration is None:
        raise GuestLinkError(_("This link is not valid: it may be mistyped or out of date."))
    if registration.status == EventRegistration.Status.CANCELLED:
        raise GuestLinkError(
            _("This registration was cancelled."), gone=True, event=registration.event
        )
    return registration


def guest_request_of(*, token: str) -> GuestRequest | None:
    """The request waiting for confirmation whose link holds `token`, None when the token is
    already a registration's (the link was opened before). Raises GuestLinkError when it
    leads nowhere or expired."""
    request = GuestRequest.objects.select_related("event").filter(token=token).first()
    if request is None:
        if EventRegistration.objects.filter(guest_token=token, member__isnull=True).exists():
            return None
        raise GuestLinkError(
            _(
                "This link is not valid: it may be mistyped, or it expired. Register again "
                "on the event's page."
            )
        )
    if _request_expired(request, timezone.now()):
        raise GuestLinkError(
            _("This link expired. Register again on the event's page."),
            gone=True,
            event=request.event,
        )
    return request


def guest_confirm(*, token: str) -> EventRegistration:
    """The guest opened the link e-mailed to them: their address is confirmed and they get a
    place, or a numbered place on the waiting list, in the order of confirmation, and an
    e-mail saying which, with the link to cancel. Opened again, the registration as it is.
    Raises GuestLinkError, or RegistrationError when the event no longer takes guests."""
    request = guest_request_of(token=token)
    if request is None:
        return guest_registration_of(token=token)
    event = request.event
    allowed, reason = permissions.guests_welcome(event, timezone.now())
    if not allowed:
        raise RegistrationError(reason)
    with transaction.atomic():
        event = seats.locked(event)
        now = timezone.now()
        request = GuestRequest.objects.select_for_update().filter(pk=request.pk).first()
        if request is None:  # confirmed at the same moment (a double click)
            return guest_registration_of(token=token)
        held = (
            EventRegistration.objects.filter(
                event=event, member__isnull=True, guest_email=request.email
            )
            .exclude(status=EventRegistration.Status.CANCELLED)
            .first()
        )
        if held is not None:  # registered and confirmed, then asked again: keep the place
            request.delete()
            return held
        registration = EventRegistration.objects.create(
            event=event,
            member=None,
            guest_name=request.name,
            guest_email=request.email,
            guest_language=request.language,
            guest_token=request.token,
            verified_at=now,
            status=EventRegistration.Status.WAITING,
            accessibility_needs=request.accessibility_needs,
            created_at=now,
        )
        request.delete()
        promoted = _places_fill(event, now)
        registration.refresh_from_db()
        audit_record(
            actor=None,
            action="event_registration.created",
            about=registration,
            after=registration.status,
            guest=True,
        )
        _after_promotion(promoted, by=None, except_registration=registration)
        guest_mail.guest_mail_queue(
            kind=guest_mail.CONFIRMED
            if registration.status == EventRegistration.Status.CONFIRMED
            else guest_mail.WAITING,
            pk=registration.pk,
        )
    return registration


def guest_cancel(*, token: str) -> EventRegistration:
    """The guest cancels with the link e-mailed to them; the first person waiting gets the
    place at once. Raises GuestLinkError (gone when it was cancelled already)."""
    registration = guest_registration_of(token=token)
    event_registration_cancel(registration=registration, by=None)
    registration.refresh_from_db()
    return registration


def guest_data_expire(*, now: datetime) -> int:
    """The events' part of the periodic personal-data job: requests never confirmed are
    deleted after EVENTS_GUEST_REQUEST_HOURS (and once their event started); guests' names,
    addresses, needs and links are erased EVENTS_GUEST_DATA_DAYS after their event ended.
    The registrations stay, without them, so the event's figures hold. Returns how many rows
    it touched."""
    requests, _by_kind = GuestRequest.objects.filter(
        Q(created_at__lte=now - timedelta(hours=settings.EVENTS_GUEST_REQUEST_HOURS))
        | Q(event__starts_at__lte=now)
    ).delete()
    erased = (
        EventRegistration.objects.filter(
            member__isnull=True,
            event__ends_at__lte=now - timedelta(days=settings.EVENTS_GUEST_DATA_DAYS),
        )
        .exclude(guest_name="", guest_email="", guest_token__isnull=True, accessibility_needs="")
        .update(
            guest_name="",
            guest_email="",
            guest_token=None,
            accessibility_needs="",
        )
    )
    return requests + erased


# --- Reminders ---------------------------------------------------------------------------


def event_reminders_send(*, now: datetime | None = None) -> int:
    """The periodic reminder job: for every published event whose reminder time has come
    (the forum's event reminder hours before the start), remind each person holding a place
    once. A change of time starts the reminders anew. Returns how many are new."""
    now = now or timezone.now()
    hours = reminder_timing(notices.EVENT_REMINDER_HOURS)
    return reminders_send(
        kind=notices.EVENT_REMINDER,
        occasions=Event.objects.filter(
            status=Event.Status.APPROVED,
            registration_required=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=REMINDER_HORIZON_DAYS),
        ),
        hours_of=lambda event: hours,
        places_of=lambda ids: (
            (registration.event_id, registration.member)
            for registration in EventRegistration.objects.filter(
                event_id__in=ids, status=EventRegistration.Status.CONFIRMED, member__isnull=False
            ).select_related("member")
        ),
        context=lambda event, member: _context(event, member, confirmed=True),
        now=now,
    )


def member_data_erase(*, member) -> None:
    """The events' part of deleting an account: places and waiting places at events to come
    are cancelled (the first person waiting gets the place and is told), accessibility needs
    are erased everywhere. Events the member submitted stay, without an organiser."""
    for registration in EventRegistration.objects.filter(
        member=member,
        status__in=[EventRegistration.Status.CONFIRMED, EventRegistration.Status.WAITING],
        event__starts_at__gt=timezone.now(),
    ).select_related("event"):
        event_registration_cancel(registration=registration, by=member)
    EventRegistration.objects.filter(member=member).update(accessibility_needs="")
    EventCalendarFeed.objects.filter(member=member).delete()


# --- The member's private calendar feed ------------------------------------------------------


def event_calendar_feed_of(*, member) -> EventCalendarFeed:
    """`member`'s "my events" feed, made on first use."""
    return private_feed_of(EventCalendarFeed, member=member)


def event_calendar_feed_renew(*, member) -> EventCalendarFeed:
    """Give `member`'s events feed a new secret address; the old one stops working."""
    return private_feed_renew(EventCalendarFeed, member=member)


# --- Campaigns ---------------------------------------------------------------------------

# What the forum's secretariat sets on a campaign; the forum and the slug are the service's.
CAMPAIGN_FIELDS = ["name", "description", "starts_on", "ends_on", "accepts_submissions"]


def _campaign_slug(name: str) -> str:
    base = slugify(name)[:180] or "campaign"
    slug, n = base, 1
    while Campaign.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _campaign_check(fields: dict) -> None:
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"not fields of a campaign: {', '.join(sorted(unknown))}")
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError({"name": _("A campaign needs a name.")})


def campaign_create(*, forum: Forum, fields: dict, by) -> Campaign:
    """A new campaign of `forum` (e.g. "Open Gov Week 2027"), by its secretariat. Raises
    NotAllowed, or ValidationError with the fields' errors (a last day before the first)."""
    require(
        permissions.can_manage_campaigns(by, forum),
        _("Only the forum's secretariat creates its campaigns."),
    )
    _campaign_check(fields)
    with transaction.atomic():
        campaign = Campaign(forum=forum, **fields)
        campaign.name = campaign.name.strip()
        campaign.slug = _campaign_slug(campaign.name)
        campaign.full_clean()
        campaign.save()
        audit_record(actor=by, action="campaign.created", about=campaign, forum=forum.slug)
    return campaign


def campaign_edit(*, campaign: Campaign, fields: dict, by) -> Campaign:
    """Change a campaign's name, description, days and whether it accepts submissions (its
    address stays). Raises NotAllowed, or ValidationError with the fields' errors."""
    require(
        permissions.can_manage_campaigns(by, campaign.forum_id),
        _("Only the forum's secretariat edits its campaigns."),
    )
    _campaign_check(fields)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = {name: getattr(campaign, name) for name in fields}
        for name, value in fields.items():
            setattr(campaign, name, value.strip() if name == "name" else value)
        changed = [name for name in fields if before[name] != getattr(campaign, name)]
        if not changed:
            return campaign
        campaign.full_clean()
        campaign.save()
        audit_record(
            actor=by,
            action="campaign.edited",
            about=campaign,
            fields=",".join(changed),
            before={name: _plain(before[name]) for name in changed},
            after={name: _plain(getattr(campaign, name)) for name in changed},
        )
    return campaign


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
