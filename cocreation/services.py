"""Workshop seats: registration, cancellation, waiting lists, quota release, reschedules.

Every change of seats goes through `_seats_fill` while the workshop row is locked
(SELECT ... FOR UPDATE on PostgreSQL), so concurrent registrations are serialised per
workshop and no quota is ever exceeded: lock, then count, then write.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import markdown
import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cocreation import notices, permissions, seat_pass
from cocreation.models import (
    AbuseReport,
    CalendarFeed,
    CoCreationProcess,
    Comment,
    Contribution,
    ContributionTag,
    Minutes,
    OutreachAttachment,
    ReasonedResponse,
    Registration,
    Support,
    Theme,
    WalkIn,
    Workshop,
)
from cocreation.selectors import announcement_pending, registration_facts
from core import seats
from core.audit.services import audit_record
from core.calendar import private_feed_of, private_feed_renew
from core.errors import ForumError, require
from core.notifications.reminders import REMINDER_HORIZON_DAYS, reminder_timing, reminders_send
from core.notifications.selectors import notifications_since_count
from core.notifications.services import (
    NotificationItem,
    notification_send,
    notification_texts,
    notifications_send_bulk,
)
from core.notifications.timings import hours_parse
from core.queue import task_enqueue_on_commit
from core.timezones import time_label
from core.translation.services import translations_request_for
from members.models import StakeholderGroup
from members.selectors import stakeholder_group_of

GROUPS = [StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT]
UNCHANGED = object()  # an optional argument not given (where None means something)


def _require_workshops_run(by, workshop: Workshop) -> None:
    """Raise NotAllowed unless `by` runs the workshops of `workshop`'s forum."""
    require(
        permissions.can_manage_workshops(by, permissions.forum_of(workshop)),
        _("Only the forum's secretariat runs its workshops."),
    )


class RegistrationError(ForumError):
    """A registration that cannot be made; the message is for the member."""


class ContributionError(ForumError):
    """A contribution action that cannot be done; the message is for the person acting."""


@dataclass(frozen=True)
class RegistrationAnswers:
    accessibility_needs: str = ""
    agrees_to_be_named: bool = False


def _locked(workshop: Workshop) -> Workshop:
    return seats.locked(workshop)


def _seats_fill(workshop: Workshop, now: datetime) -> list[Registration]:
    """Give free seats to the people waiting, first come first served within each group,
    keeping the seats reserved for first-time participants for them; after the quota release
    time, a group's free seats (kept ones too) go to the other group's waiting list.
    Call with the workshop row locked. Returns the registrations that got a seat."""
    release_at = workshop.quota_release_at()
    released = release_at is not None and now >= release_at
    return seats.seats_fill(
        workshop.registrations.all(),
        quotas={group: workshop.quota(group) for group in GROUPS},
        now=now,
        group_field="stakeholder_group",
        seat_group_field="seat_group",
        overflow=released,
        reserved=None
        if released or not workshop.first_time_seats
        else {group: workshop.first_time_seats_of(group) for group in GROUPS},
        reserved_field="first_time",
    )


def _seats_plain(workshop: Workshop, now: datetime) -> bool:
    """Whether `workshop`'s seats are simply each group's quota at `now`: none kept for
    first-time participants, no quota released to the other group."""
    release_at = workshop.quota_release_at()
    return not workshop.first_time_seats and (release_at is None or now < release_at)


def is_first_time(member, before: datetime) -> bool:
    """Whether `member` has attended no workshop that started before `before`."""
    return not Registration.objects.filter(
        member=member,
        attendance=Registration.Attendance.ATTENDED,
        workshop__starts_at__lt=before,
    ).exists()


def _promoted_tell(promoted, *, by, except_registration=None, reason="seat freed") -> None:
    seats.promoted_tell(
        promoted,
        by=by,
        action="registration",
        kind=notices.WAITING_LIST_PROMOTED,
        about=lambda registration: registration.workshop,
        context=lambda registration: {
            **_time_context(registration.workshop, registration.member),
            "seat_code": registration.seat_code,
        },
        dedup_prefix="promoted",
        audit_data=lambda registration: {"seat_group": registration.seat_group, "reason": reason},
        except_place=except_registration,
    )


def _time_context(workshop: Workshop, member) -> dict:
    return {"starts_at": time_label(workshop.starts_at, workshop.zone, member.preferred_language)}


def waiting_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    return (
        Registration.objects.filter(
            workshop_id=registration.workshop_id,
            status=Registration.Status.WAITING,
            stakeholder_group=registration.stakeholder_group,
            id__lt=registration.id,
        ).count()
        + 1
    )


def workshop_register(
    *, workshop: Workshop, member, answers: RegistrationAnswers | None = None
) -> Registration:
    """Give `member` a seat from their group's quota, or a numbered place on its waiting
    list. Raises NotAllowed (the member may not take seats here) or RegistrationError (not
    possible now), each with a message for the member."""
    answers = answers or RegistrationAnswers()
    # Everything that can be read before the lock is read here, in one query, so that
    # registrations for the same workshop wait for each other as briefly as possible.
    language = member.preferred_language or settings.LANGUAGE_CODE
    facts = registration_facts(workshop=workshop, member=member, language=language)
    require(permissions.can_register(member, workshop, facilitates=facts.facilitates))
    already = _("You are already registered for this workshop.")
    # Asked before the lock, which is held only for the seat itself: the unique constraint
    # on workshop + member refuses a second place that a concurrent request might slip in.
    if facts.registered:
        raise RegistrationError(already)
    texts = notification_texts(
        kinds=notices.REGISTRATION_KINDS, language=language, custom=facts.custom_texts
    )
    clashes = 0
    while True:
        try:
            with transaction.atomic():
                return _register_locked(
                    workshop=workshop,
                    member=member,
                    group=facts.group,
                    answers=answers,
                    first_time=facts.first_time,
                    texts=texts,
                )
        except IntegrityError:
            if (
                workshop.registrations.filter(member=member)
                .exclude(status=Registration.Status.CANCELLED)
                .exists()
            ):
                raise RegistrationError(already) from None
            # Otherwise the new seat code clashed with one of the workshop's (about one
            # registration in a million): the next try draws another.
            clashes += 1
            if clashes == 3:
                raise


def _place_take(*, workshop, member, group: str, first_time: bool, answers, now):
    """A new place for `member` in `workshop` (locked), in `group`'s waiting list, then the
    seats filled: (the place, with the seat it got if any; everyone promoted)."""
    place = {
        "workshop": workshop,
        "member": member,
        "organisation_id": member.organisation_id,
        "stakeholder_group": group,
        "first_time": first_time,
        "accessibility_needs": answers.accessibility_needs,
        "agrees_to_be_named": answers.agrees_to_be_named,
        "created_at": now,
    }
    if _seats_plain(workshop, now):
        # The usual case, in one count instead of a fill: with no seats kept for first-time
        # participants and no quota released, a seat is free for the newcomer exactly when
        # their group's quota is not taken, and nobody waits in a group with a free seat
        # (every change of seats fills them at once; if the counts say otherwise, the full
        # rule below runs). The newcomer is the last place made under the lock, so their
        # number on the waiting list is the people waiting in their group, plus one.
        taken, waiting = seats.places_count(
            workshop.registrations.all(),
            group_field="stakeholder_group",
            seat_group_field="seat_group",
        )
        free = {g: workshop.quota(g) - taken.get(g, 0) for g in GROUPS}
        if not any(free[g] > 0 and waiting.get(g, 0) for g in GROUPS):
            if free.get(group, 0) > 0:
                registration = Registration.objects.create(
                    **place,
                    status=Registration.Status.CONFIRMED,
                    seat_group=group,
                    confirmed_at=now,
                )
                return registration, [registration]
            registration = Registration.objects.create(**place, status=Registration.Status.WAITING)
            registration.position = waiting.get(group, 0) + 1
            return registration, []
    registration = Registration.objects.create(**place, status=Registration.Status.WAITING)
    promoted = _seats_fill(workshop, now)
    for seat in promoted:  # the same row, saved by _seats_fill: no need to read it again
        if seat.pk == registration.pk:
            registration.status, registration.seat_group = seat.status, seat.seat_group
            registration.confirmed_at = seat.confirmed_at
    return registration, promoted


def _place_tell(registration: Registration, texts=None) -> None:
    """Tell the member of a place just made whether it is a seat or on the waiting list
    (with their number); `texts` read before the lock, by a caller holding it."""
    workshop, member = registration.workshop, registration.member
    context = _time_context(workshop, member)
    if registration.status == Registration.Status.CONFIRMED:
        kind = notices.REGISTRATION_CONFIRMED
        context["seat_code"] = registration.seat_code  # under the QR code attached
    else:
        kind = notices.REGISTRATION_WAITING
        if getattr(registration, "position", None) is None:  # not counted under the lock
            registration.position = waiting_position(registration)
        context["position"] = registration.position
    notification_send(
        kind=kind,
        recipient=member,
        about=workshop,
        context=context,
        dedup_key=f"registration:{registration.pk}",
        texts=texts,
        new_key=True,  # the place was created just now
    )


def _register_locked(
    *, workshop: Workshop, member, group: str, answers: RegistrationAnswers, first_time: bool, texts
) -> Registration:
    """The part of workshop_register that holds the workshop's lock: kept to the queries it
    needs, since registrations for one workshop wait for each other here."""
    workshop = _locked(workshop)
    now = timezone.now()  # after the lock: the times follow the waiting-list order
    allowed, reason = permissions.registration_window_open(workshop, now)
    if not allowed:
        raise RegistrationError(reason)
    registration, promoted = _place_take(
        workshop=workshop,
        member=member,
        group=group,
        first_time=first_time,
        answers=answers,
        now=now,
    )
    audit_record(
        actor=member,
        action="registration.created",
        about=registration,
        after=registration.status,
        seat_group=registration.seat_group,
    )
    _promoted_tell(promoted, by=member, except_registration=registration)
    _place_tell(registration, texts=texts)
    return registration


def registration_cancel(*, registration: Registration, by) -> list[Registration]:
    """Cancel a seat or a waiting place; the first person waiting gets the seat at once.
    Returns the registrations promoted."""
    return seats.place_cancel(
        place=registration,
        parent=registration.workshop,
        by=by,
        action="registration",
        fill=_seats_fill,
        tell=lambda promoted: _promoted_tell(promoted, by=by),
    )


def workshop_capacity_change(
    *,
    workshop: Workshop,
    government_quota: int,
    non_government_quota: int,
    by,
    first_time_seats: int | None = None,
    quota_release_hours: int | None | object = UNCHANGED,
) -> list[Registration]:
    """Change the quotas (and so the capacity) and, if given, the seats kept for first-time
    participants. Raising the quotas or keeping fewer seats promotes people waiting; lowering
    the quotas below the seats already confirmed is refused. Keeping more seats takes no
    confirmed seat away: it holds back the seats freed from now on. `quota_release_hours`,
    if given, is when the free seats of one group go to the other group (None: never)."""
    _require_workshops_run(by, workshop)
    if first_time_seats is None:
        first_time_seats = workshop.first_time_seats
    if quota_release_hours is UNCHANGED:
        quota_release_hours = workshop.quota_release_hours
    if first_time_seats > government_quota + non_government_quota:
        raise RegistrationError(
            _("No more seats can be kept for first-time participants than the capacity.")
        )
    now = timezone.now()
    with transaction.atomic():
        workshop = _locked(workshop)
        taken = dict(
            workshop.registrations.filter(status=Registration.Status.CONFIRMED)
            .values_list("seat_group")
            .annotate(n=Count("id"))
            .values_list("seat_group", "n")
        )
        wanted = {
            StakeholderGroup.GOVERNMENT: government_quota,
            StakeholderGroup.NON_GOVERNMENT: non_government_quota,
        }
        for group, quota in wanted.items():
            if quota < taken.get(group, 0):
                raise RegistrationError(
                    _(
                        "%(group)s already holds %(taken)d confirmed seats; cancel "
                        "registrations before lowering its quota to %(quota)d."
                    )
                    % {
                        "group": StakeholderGroup(group).label,
                        "taken": taken[group],
                        "quota": quota,
                    }
                )
        audit_record(
            actor=by,
            action="workshop.capacity_changed",
            about=workshop,
            before=f"{workshop.government_quota}+{workshop.non_government_quota}",
            after=f"{government_quota}+{non_government_quota}",
            first_time_seats_before=workshop.first_time_seats,
            first_time_seats=first_time_seats,
            quota_release_hours_before=workshop.quota_release_hours,
            quota_release_hours=quota_release_hours,
        )
        workshop.government_quota = government_quota
        workshop.non_government_quota = non_government_quota
        workshop.capacity = government_quota + non_government_quota
        workshop.first_time_seats = first_time_seats
        workshop.quota_release_hours = quota_release_hours
        workshop.save(
            update_fields=[
                "government_quota",
                "non_government_quota",
                "capacity",
                "first_time_seats",
                "quota_release_hours",
            ]
        )
        promoted = _seats_fill(workshop, now)
        _promoted_tell(promoted, by=by)
    return promoted


def workshops_release_quotas(*, now: datetime | None = None) -> int:
    """The periodic job: after a workshop's quota release time, free seats go to the other
    group's waiting list. Returns how many people got a seat."""
    now = now or timezone.now()
    candidates = Workshop.objects.filter(
        status=Workshop.Status.PUBLISHED,
        quota_release_hours__isnull=False,
        starts_at__gt=now,
        registrations__status=Registration.Status.WAITING,
    ).distinct()
    total = 0
    for workshop in candidates:
        if workshop.quota_release_at() > now:
            continue
        with transaction.atomic():
            promoted = _seats_fill(_locked(workshop), now)
            _promoted_tell(promoted, by=None, reason="quota release")
        total += len(promoted)
    return total


def _people_to_tell(workshop: Workshop) -> list[Registration]:
    return list(
        workshop.registrations.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING]
        ).select_related("member")
    )


def workshop_reschedule(
    *,
    workshop: Workshop,
    starts_at: datetime,
    ends_at: datetime,
    venue: str | None = None,
    online_link: str | None = None,
    by,
) -> Workshop:
    """Move a workshop; everyone registered or waiting is told what changed, with the old
    and new times in the workshop's time zone. The calendar event keeps its UID and its
    SEQUENCE goes up."""
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        workshop = _locked(workshop)
        unchanged = (
            workshop.starts_at == starts_at
            and workshop.ends_at == ends_at
            and venue in (None, workshop.venue)
            and online_link in (None, workshop.online_link)
        )
        if unchanged:
            return workshop  # the same move sent twice (a double click): told once
        old_starts_at = workshop.starts_at
        workshop.starts_at, workshop.ends_at = starts_at, ends_at
        if venue is not None:
            workshop.venue = venue
        if online_link is not None:
            workshop.online_link = online_link
        workshop.full_clean()
        audit_record(
            actor=by,
            action="workshop.rescheduled",
            about=workshop,
            before=old_starts_at,
            after=starts_at,
            venue=workshop.venue,
        )
        workshop.sequence += 1
        workshop.rescheduled_at = timezone.now()
        workshop.save()
        people = _people_to_tell(workshop)
        positions = waiting_positions(people)
        for registration in people:
            language = registration.member.preferred_language
            notification_send(
                kind=notices.WORKSHOP_RESCHEDULED,
                recipient=registration.member,
                about=workshop,
                context={
                    "starts_at": time_label(starts_at, workshop.zone, language),
                    "ends_at": time_label(ends_at, workshop.zone, language),
                    "previous_starts_at": time_label(old_starts_at, workshop.zone, language),
                    "venue": workshop.venue,
                    "position": positions.get(registration.pk),
                },
                dedup_key=f"rescheduled:{workshop.pk}:{workshop.sequence}:{registration.member_id}",
            )
    return workshop


def waiting_positions(registrations: list[Registration]) -> dict[int, int]:
    """{registration id: number on its group's waiting list} for the waiting ones among
    `registrations` (every place of one workshop not cancelled), counted in one pass."""
    positions, counts = {}, {}
    for registration in sorted(registrations, key=lambda r: r.pk):
        if registration.status == Registration.Status.WAITING:
            group = registration.stakeholder_group
            counts[group] = counts.get(group, 0) + 1
            positions[registration.pk] = counts[group]
    return positions


# What `workshop_create` takes in `fields`: the form's fields, a new process's title apart.
WORKSHOP_FIELDS = [
    "process",
    "title",
    "kind",
    "description",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue",
    "online_link",
    "language",
    "capacity",
    "government_quota",
    "non_government_quota",
    "check_in_opens_hours_before",
    "status",
]
CREATABLE_STATUSES = (Workshop.Status.DRAFT, Workshop.Status.PUBLISHED)


def _process_slug(title: str) -> str:
    base = (slugify(title) or "process")[:180]
    slug, n = base, 1
    while CoCreationProcess.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def process_create(*, forum, title: str, by, description: str = "") -> CoCreationProcess:
    """A new co-creation process of `forum`, for its secretariat."""
    require(
        permissions.can_manage_workshops(by, forum),
        _("Only the forum's secretariat runs its co-creation processes."),
    )
    title = title.strip()
    if not title:
        raise ValidationError({"new_process_title": _("Give the new process a title.")})
    with transaction.atomic():
        process = CoCreationProcess(
            forum=forum, title=title, slug=_process_slug(title), description=description.strip()
        )
        process.full_clean()
        process.save()
        audit_record(actor=by, action="process.created", about=process, forum=forum.slug)
    return process


def workshop_create(*, forum, fields: dict, by, announce: bool = False) -> Workshop:
    """A new workshop of `forum`, by its secretariat: in one of the forum's processes (never
    another forum's), or in a new one when `fields` name it (`new_process_title`). Times are
    aware datetimes (the form reads them in the workshop's time zone). Created published
    with `announce`, it is announced to the forum's members (`workshop_announce`). Raises
    NotAllowed, or ValidationError with the fields' errors."""
    require(
        permissions.can_manage_workshops(by, forum),
        _("Only the forum's secretariat creates its workshops."),
    )
    fields = dict(fields)
    new_process_title = (fields.pop("new_process_title", None) or "").strip()
    unknown = set(fields) - set(WORKSHOP_FIELDS)
    if unknown:
        raise ValueError(f"not fields of a new workshop: {', '.join(sorted(unknown))}")
    process = fields.pop("process", None)
    if process is not None and process.forum_id != forum.pk:
        raise ValidationError({"process": _("This process belongs to another forum.")})
    if process is None and not new_process_title:
        raise ValidationError({"process": _("Choose a process, or name a new one.")})
    if process is not None and new_process_title:
        raise ValidationError(
            {"new_process_title": _("Choose a process or name a new one, not both.")}
        )
    status = fields.setdefault("status", Workshop.Status.DRAFT)
    if status not in CREATABLE_STATUSES:
        raise ValidationError({"status": _("A new workshop is a draft or published.")})
    with transaction.atomic():
        if process is None:
            process = process_create(forum=forum, title=new_process_title, by=by)
        workshop = Workshop(process=process, **fields)
        if status == Workshop.Status.PUBLISHED:
            workshop.announced_at = timezone.now()
        workshop.full_clean()
        workshop.save()
        audit_record(
            actor=by,
            action="workshop.created",
            about=workshop,
            forum=forum.slug,
            process=process.slug,
            after=status,
            starts_at=workshop.starts_at,
        )
        if announce and status == Workshop.Status.PUBLISHED:
            _announcement_queue(workshop, by)
    return workshop


def workshop_status_change(*, workshop: Workshop, status: str, by) -> Workshop:
    """Publish, hold back or mark as held (cancelling is `workshop_cancel`). The first
    publication is the workshop's announcement: its time is kept, for the notice check."""
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        workshop = _locked(workshop)
        before = workshop.status
        if before == status:
            return workshop
        workshop.status = status
        if status == Workshop.Status.PUBLISHED and workshop.announced_at is None:
            workshop.announced_at = timezone.now()
        workshop.save(update_fields=["status", "announced_at"])
        audit_record(
            actor=by, action="workshop.status_changed", about=workshop, before=before, after=status
        )
    return workshop


def workshop_publish(*, workshop: Workshop, by, announce: bool = True) -> int:
    """Publish a draft: members can register from now on. With `announce`, the forum's
    members (see `selectors.forum_audience`) are told by the worker once the publication is
    committed (`workshop_announce`). Returns how many members it goes to (those told before
    are not told again)."""
    workshop = workshop_status_change(workshop=workshop, status=Workshop.Status.PUBLISHED, by=by)
    return _announcement_queue(workshop, by) if announce else 0


def _announcement_queue(workshop: Workshop, by) -> int:
    """Queue the announcement of `workshop` (a big forum's is thousands of notices: not in the
    request); run it here if the broker is down. Returns how many it is still to tell."""

    def announce_here():
        workshop_announce(workshop=workshop, by=by)

    pending = announcement_pending(workshop=workshop).count()
    task_enqueue_on_commit(
        "cocreation.announce_workshop", workshop.pk, by.pk, on_broker_down=announce_here
    )
    return pending


def workshop_announce(*, workshop: Workshop, by) -> int:
    """Tell the forum's members that `workshop` is open for registration (it must be
    published), each in their language with its times in the workshop's zone. Those told
    before are skipped, so a workshop is announced once however often it is published.
    Audited; returns how many were told now."""
    _require_workshops_run(by, workshop)
    if workshop.status != Workshop.Status.PUBLISHED:
        raise ForumError(_("Only a published workshop can be announced."))
    forum = workshop.process.forum
    items = []
    for member in announcement_pending(workshop=workshop).iterator(chunk_size=500):
        language = member.preferred_language
        items.append(
            NotificationItem(
                recipient=member,
                about=workshop,
                context={
                    "forum": forum.name,
                    "starts_at": time_label(workshop.starts_at, workshop.zone, language),
                    "ends_at": time_label(workshop.ends_at, workshop.zone, language),
                    "venue": workshop.venue,
                    "online": bool(workshop.online_link),
                },
                dedup_key=f"workshop-announced:{workshop.pk}:{member.pk}",
            )
        )
    with transaction.atomic():
        told = notifications_send_bulk(kind=notices.WORKSHOP_ANNOUNCED, items=items)
        audit_record(actor=by, action="workshop.announced", about=workshop, recipients=told)
    return told


def workshop_cancel(*, workshop: Workshop, reason: str, by) -> Workshop:
    """Cancel `workshop`; everyone registered or waiting is told, with the reason."""
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        workshop = _locked(workshop)
        if workshop.status == Workshop.Status.CANCELLED:
            return workshop
        audit_record(
            actor=by,
            action="workshop.cancelled",
            about=workshop,
            before=workshop.status,
            after=Workshop.Status.CANCELLED,
            reason=reason,
        )
        workshop.status = Workshop.Status.CANCELLED
        workshop.sequence += 1
        workshop.save(update_fields=["status", "sequence"])
        for registration in _people_to_tell(workshop):
            notification_send(
                kind=notices.WORKSHOP_CANCELLED,
                recipient=registration.member,
                about=workshop,
                context={"reason": reason},
                dedup_key=f"cancelled:{workshop.pk}:{registration.member_id}",
            )
    return workshop


# --- The back office: processes, themes and workshops of a forum -----------------------


def _require_processes_run(by, process: CoCreationProcess) -> None:
    require(
        permissions.can_manage_workshops(by, process.forum),
        _("Only the forum's secretariat runs its co-creation processes."),
    )


def process_update(*, process: CoCreationProcess, title: str, description: str, by):
    """Rename a process or change its description (its address stays)."""
    _require_processes_run(by, process)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the process a title.")})
    with transaction.atomic():
        before = process.title
        process.title, process.description = title, description.strip()
        process.full_clean()
        process.save(update_fields=["title", "description"])
        audit_record(actor=by, action="process.updated", about=process, before=before, after=title)
    return process


def theme_add(*, process: CoCreationProcess, name: str, by) -> Theme:
    _require_processes_run(by, process)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    if process.themes.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("This process already has this theme.")})
    with transaction.atomic():
        theme = Theme.objects.create(process=process, name=name)
        audit_record(actor=by, action="theme.added", about=process, after=name)
    return theme


def theme_rename(*, theme: Theme, name: str, by) -> Theme:
    _require_processes_run(by, theme.process)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    if theme.process.themes.filter(name__iexact=name).exclude(pk=theme.pk).exists():
        raise ValidationError({"name": _("This process already has this theme.")})
    with transaction.atomic():
        before, theme.name = theme.name, name
        theme.save(update_fields=["name"])
        audit_record(
            actor=by, action="theme.renamed", about=theme.process, before=before, after=name
        )
    return theme


def theme_remove(*, theme: Theme, by) -> None:
    """Remove a theme that no workshop uses (one that is used stays: its workshops name it)."""
    _require_processes_run(by, theme.process)
    with transaction.atomic():
        if theme.workshops.exists():
            raise ForumError(
                _("The theme “%(name)s” is used by workshops: it cannot be removed.")
                % {"name": theme.name}
            )
        audit_record(actor=by, action="theme.removed", about=theme.process, before=theme.name)
        theme.delete()


# What `workshop_update` changes: the rest goes through the services that tell people.
WORKSHOP_EDITABLE_FIELDS = [
    "title",
    "kind",
    "theme",
    "description",
    "agenda",
    "venue",
    "online_link",
    "language",
    "accessibility",
    "registration_opens_at",
    "registration_closes_at",
]


def workshop_update(*, workshop: Workshop, fields: dict, by) -> Workshop:
    """Change what a workshop says about itself (not its times, seats or status: those have
    their own services). A new venue or online link of a published workshop is a move:
    `workshop_reschedule` tells everyone registered. Raises ValidationError with the fields'
    errors."""
    _require_workshops_run(by, workshop)
    unknown = set(fields) - set(WORKSHOP_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable fields of a workshop: {', '.join(sorted(unknown))}")
    opens, closes = fields.get("registration_opens_at"), fields.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise ValidationError(
            {"registration_closes_at": _("Registration must close after it opens.")}
        )
    fields = dict(fields)
    place = {name: fields.pop(name) for name in ("venue", "online_link") if name in fields}
    with transaction.atomic():
        workshop = _locked(workshop)
        moved = {name: value for name, value in place.items() if getattr(workshop, name) != value}
        if workshop.status != Workshop.Status.PUBLISHED:
            fields.update(moved)
            moved = {}
        changed = [name for name, value in fields.items() if getattr(workshop, name) != value]
        for name, value in fields.items():
            setattr(workshop, name, value)
        workshop.full_clean()
        workshop.save()
        audit_record(actor=by, action="workshop.updated", about=workshop, fields=changed)
        if moved:
            workshop = workshop_reschedule(
                workshop=workshop,
                starts_at=workshop.starts_at,
                ends_at=workshop.ends_at,
                venue=moved.get("venue"),
                online_link=moved.get("online_link"),
                by=by,
            )
    return workshop


def workshop_duplicate(*, workshop: Workshop, by) -> Workshop:
    """A draft copy of `workshop` in the same process, at the same times, with the same
    seats, facilitators and partners; nobody registered, nothing announced."""
    _require_workshops_run(by, workshop)
    copied = [
        field.name
        for field in Workshop._meta.concrete_fields
        if field.name
        not in {"id", "status", "sequence", "rescheduled_at", "announced_at", "created_at"}
    ]
    with transaction.atomic():
        copy = Workshop(**{name: getattr(workshop, name) for name in copied})
        copy.title = _("Copy of %(title)s") % {"title": workshop.title}
        copy.title = copy.title[: Workshop._meta.get_field("title").max_length]
        copy.status = Workshop.Status.DRAFT
        copy.full_clean()
        copy.save()
        copy.facilitators.set(workshop.facilitators.all())
        copy.facilitating_organisations.set(workshop.facilitating_organisations.all())
        audit_record(actor=by, action="workshop.duplicated", about=copy, source=workshop.pk)
    return copy


def workshop_delete(*, workshop: Workshop, by) -> None:
    """Delete a draft nobody registered for; anything else is cancelled, not deleted."""
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        workshop = _locked(workshop)
        if workshop.status != Workshop.Status.DRAFT:
            raise ForumError(_("Only a draft can be deleted; cancel a published workshop."))
        if workshop.registrations.exists():
            raise ForumError(_("People registered for this workshop: it cannot be deleted."))
        audit_record(
            actor=by,
            action="workshop.deleted",
            about=workshop.process,
            workshop=workshop.pk,
            title=workshop.title,
        )
        workshop.delete()


def workshop_mark_held(*, workshop: Workshop, by) -> Workshop:
    """Say that a published workshop took place: only once it has started."""
    _require_workshops_run(by, workshop)
    if workshop.status != Workshop.Status.PUBLISHED:
        raise ForumError(_("Only a published workshop can be marked as held."))
    if workshop.starts_at > timezone.now():
        raise ForumError(_("A workshop can be marked as held only once it has started."))
    return workshop_status_change(workshop=workshop, status=Workshop.Status.HELD, by=by)


def facilitator_add(*, workshop: Workshop, email: str, by):
    """Make the member with this e-mail address a facilitator of `workshop`."""
    _require_workshops_run(by, workshop)
    member = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if member is None:
        raise ValidationError({"email": _("No active member has this e-mail address.")})
    if (
        workshop.registrations.filter(member=member)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    ):
        raise ValidationError(
            {"email": _("This member holds a place in the workshop: facilitators take none.")}
        )
    with transaction.atomic():
        workshop.facilitators.add(member)
        audit_record(
            actor=by, action="workshop.facilitator_added", about=workshop, member=member.pk
        )
    return member


def facilitator_remove(*, workshop: Workshop, member, by) -> None:
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        workshop.facilitators.remove(member)
        audit_record(
            actor=by, action="workshop.facilitator_removed", about=workshop, member=member.pk
        )


def facilitating_organisation_add(*, workshop: Workshop, organisation, by) -> None:
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        workshop.facilitating_organisations.add(organisation)
        audit_record(
            actor=by,
            action="workshop.organisation_added",
            about=workshop,
            organisation=organisation.pk,
        )


def facilitating_organisation_remove(*, workshop: Workshop, organisation, by) -> None:
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        workshop.facilitating_organisations.remove(organisation)
        audit_record(
            actor=by,
            action="workshop.organisation_removed",
            about=workshop,
            organisation=organisation.pk,
        )


def attachment_add(*, workshop: Workshop, title: str, file, by) -> OutreachAttachment:
    """A file of the workshop's outreach kit (invitation, agenda, background paper)."""
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        attachment = OutreachAttachment(workshop=workshop, title=title.strip(), file=file)
        attachment.full_clean()
        attachment.save()
        audit_record(actor=by, action="workshop.attachment_added", about=workshop, title=title)
    return attachment


def attachment_remove(*, attachment: OutreachAttachment, by) -> None:
    workshop = attachment.workshop
    _require_workshops_run(by, workshop)
    with transaction.atomic():
        audit_record(
            actor=by, action="workshop.attachment_removed", about=workshop, title=attachment.title
        )
        file = attachment.file
        attachment.delete()
        transaction.on_commit(lambda: file.storage.delete(file.name) if file.name else None)


def workshop_reminders_send(*, now: datetime | None = None) -> int:
    """The periodic reminder job: for every published workshop whose reminder time has come
    (its own hours before the start, else the forum's default), remind each confirmed
    participant once. A reschedule starts the reminders anew. Returns how many are new."""
    now = now or timezone.now()
    default_hours = reminder_timing(notices.WORKSHOP_REMINDER_HOURS)
    return reminders_send(
        kind=notices.WORKSHOP_REMINDER,
        occasions=Workshop.objects.filter(
            status=Workshop.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=REMINDER_HORIZON_DAYS),
        ),
        hours_of=lambda workshop: (
            hours_parse(workshop.reminder_hours) if workshop.reminder_hours else default_hours
        ),
        places_of=lambda ids: (
            (registration.workshop_id, registration.member)
            for registration in Registration.objects.filter(
                workshop_id__in=ids, status=Registration.Status.CONFIRMED
            ).select_related("member")
        ),
        context=_time_context,
        now=now,
    )


def calendar_feed_of(*, member) -> CalendarFeed:
    """`member`'s workshop feed, made on first use."""
    return private_feed_of(CalendarFeed, member=member)


def calendar_feed_renew(*, member) -> CalendarFeed:
    """Give `member`'s workshop feed a new secret address; the old one stops working."""
    return private_feed_renew(CalendarFeed, member=member)


# --- The session: check-in, contributions, moderation, reasoned responses ---------------


def _check_in_open(workshop: Workshop) -> None:
    if not workshop.check_in_open():
        raise RegistrationError(
            _("Check-in opens %(when)s.")
            % {"when": time_label(workshop.check_in_opens_at(), workshop.zone)}
        )


def registration_check_in(*, registration: Registration, attendance: str, by) -> Registration:
    require(permissions.can_moderate(by, registration.workshop))
    _check_in_open(registration.workshop)
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(_("Only people holding a seat can be checked in."))
    registration.attendance = attendance
    if attendance == Registration.Attendance.ATTENDED:
        registration.checked_in_at = registration.checked_in_at or timezone.now()
    else:
        registration.checked_in_at = None
    registration.save(update_fields=["attendance", "checked_in_at"])
    return registration


class SeatPassError(ForumError):
    """A seat's code or QR code that checks nobody in: the message says why, for the
    facilitator at the door."""


def checked_in_label(registration: Registration) -> str:
    """E.g. "10:02 EET": when `registration` was checked in, in its workshop's zone; the
    date too when it was not today there."""
    moment = registration.checked_in_at
    if moment is None:
        return ""
    zone = registration.workshop.zone
    local = moment.astimezone(zone)
    if local.date() != timezone.now().astimezone(zone).date():
        return time_label(moment, zone)
    return f"{local:%H:%M} {local.tzname()}"


def seat_pass_problem(registration: Registration) -> str:
    """Why the holder of `registration`'s code cannot be checked in now, or "" when they
    can: a cancelled seat, a waiting place, already checked in (and when)."""
    name = registration.member.get_full_name()
    if registration.status == Registration.Status.CANCELLED:
        return _(
            "This seat was cancelled: %(name)s holds no seat with this code. If they "
            "registered again, find them by name."
        ) % {"name": name}
    if registration.status == Registration.Status.WAITING:
        return _("%(name)s is on the waiting list and holds no seat.") % {"name": name}
    if registration.attendance == Registration.Attendance.ATTENDED:
        if registration.checked_in_at is None:
            return _("%(name)s is already checked in.") % {"name": name}
        return _("%(name)s is already checked in at %(time)s.") % {
            "name": name,
            "time": checked_in_label(registration),
        }
    return ""


def seat_pass_find(*, workshop: Workshop, text: str, by) -> Registration:
    """The place in `workshop` named by `text`: a seat's QR code (its token, or the address
    a camera reads) or its 6-character seat code. Raises NotAllowed for someone not running
    the workshop, SeatPassError for a forged or damaged code, another workshop's code or a
    code nobody holds here."""
    require(permissions.can_moderate(by, workshop))
    text = str(text or "").strip()
    places = Registration.objects.select_related("member", "organisation", "workshop").filter(
        workshop=workshop
    )
    if seat_pass.is_seat_code(text):
        found = places.filter(seat_code=seat_pass.seat_code_normalise(text)).first()
        if found is None:
            raise SeatPassError(
                _("No seat of this workshop has the code %(code)s.")
                % {"code": seat_pass.seat_code_normalise(text)}
            )
        return found
    try:
        workshop_id, code = seat_pass.seat_token_read(text)
    except seat_pass.BadSeatToken:
        raise SeatPassError(
            _(
                "This is not a seat code of this portal: it may be forged or damaged. "
                "Find the person by name instead."
            )
        ) from None
    if workshop_id != workshop.pk:
        other = Workshop.objects.filter(pk=workshop_id).first()
        if other is None:
            raise SeatPassError(_("This code is for a workshop that no longer exists."))
        raise SeatPassError(
            _("This code is for another workshop: %(title)s, %(when)s.")
            % {"title": other.title, "when": time_label(other.starts_at, other.zone)}
        )
    found = places.filter(seat_code=code).first()
    if found is None:  # signed by the portal, so the seat was deleted with its workshop's data
        raise SeatPassError(_("This code's seat no longer exists."))
    return found


def seat_check_in(*, registration: Registration, by) -> Registration:
    """Check in the holder of a seat found by its code (a scan or a search): refused, with
    the reason, for a cancelled seat, a waiting place or someone already checked in."""
    workshop = registration.workshop
    require(permissions.can_moderate(by, workshop))
    _check_in_open(workshop)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("member", "organisation", "workshop")
            .get(pk=registration.pk)
        )
        if problem := seat_pass_problem(registration):
            raise SeatPassError(problem)
        registration.attendance = Registration.Attendance.ATTENDED
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["attendance", "checked_in_at"])
        audit_record(
            actor=by,
            action="registration.checked_in",
            about=registration,
            after=registration.attendance,
        )
    return registration


def walk_in_add(*, workshop: Workshop, member, by) -> Registration:
    """Someone who came without a seat: recorded as attended, outside the quotas."""
    require(permissions.can_moderate(by, workshop))
    _check_in_open(workshop)
    if member.organisation_id is None:
        raise RegistrationError(_("A walk-in needs an organisation, for the attendance figures."))
    with transaction.atomic():
        workshop = _locked(workshop)
        existing = (
            workshop.registrations.filter(member=member)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        group = stakeholder_group_of(member)
        if existing is not None:
            existing.status = Registration.Status.CONFIRMED
            existing.seat_group = existing.seat_group or group
            existing.attendance = Registration.Attendance.ATTENDED
            existing.checked_in_at = existing.checked_in_at or timezone.now()
            existing.save(update_fields=["status", "seat_group", "attendance", "checked_in_at"])
            return existing
        return Registration.objects.create(
            workshop=workshop,
            member=member,
            organisation_id=member.organisation_id,
            stakeholder_group=group,
            seat_group=group,
            status=Registration.Status.CONFIRMED,
            attendance=Registration.Attendance.ATTENDED,
            checked_in_at=timezone.now(),
            walk_in=True,
            first_time=is_first_time(member, workshop.starts_at),
            confirmed_at=timezone.now(),
        )


def walk_in_record(*, workshop: Workshop, name: str, stakeholder_group: str, by) -> WalkIn:
    """Someone without an account who came: counted in the attendance by their group."""
    require(permissions.can_moderate(by, workshop))
    _check_in_open(workshop)
    if not name.strip():
        raise RegistrationError(_("Write the name of the person who walked in."))
    if stakeholder_group not in StakeholderGroup.values:
        raise RegistrationError(_("Choose the stakeholder group of the person who walked in."))
    with transaction.atomic():
        walk_in = WalkIn.objects.create(
            workshop=workshop,
            name=name.strip(),
            stakeholder_group=stakeholder_group,
            recorded_by=by if getattr(by, "pk", None) else None,
        )
        audit_record(
            actor=by,
            action="workshop.walk_in_recorded",
            about=workshop,
            walk_in=walk_in.pk,
            stakeholder_group=stakeholder_group,
        )
    return walk_in


def contribution_post(*, workshop: Workshop, author, kind: str, title: str, text: str):
    require(permissions.can_post(author, workshop))
    # The contribution keeps the organisation and group its author had when posting it.
    contribution = Contribution.objects.create(
        workshop=workshop,
        author=author,
        organisation_id=author.organisation_id,
        stakeholder_group=stakeholder_group_of(author) or "",
        kind=kind,
        title=title.strip(),
        text=text.strip(),
    )
    # Translated by the worker into the languages members read, before anyone opens it.
    translations_request_for(instance=contribution)
    return contribution


def contribution_publish(*, contribution, by):
    require(permissions.can_moderate(by, contribution.workshop))
    with transaction.atomic():
        audit_record(
            actor=by,
            action="contribution.published",
            about=contribution,
            before=contribution.status,
            after="published",
        )
        contribution.status = contribution.Status.PUBLISHED
        contribution.hidden_reason = ""
        contribution.save(update_fields=["status", "hidden_reason"])
    return contribution


def contribution_hide(*, contribution, reason: str, by):
    require(permissions.can_moderate(by, contribution.workshop))
    if not reason.strip():
        raise ContributionError(_("Say why the contribution is hidden: the author will see it."))
    with transaction.atomic():
        current = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if (current.status, current.hidden_reason) == (contribution.Status.HIDDEN, reason.strip()):
            return current  # hidden already, for this reason (a double click): told once
        audit_record(
            actor=by,
            action="contribution.hidden",
            about=contribution,
            before=contribution.status,
            after="hidden",
            reason=reason.strip(),
        )
        contribution.status = contribution.Status.HIDDEN
        contribution.hidden_reason = reason.strip()
        contribution.save(update_fields=["status", "hidden_reason"])
        contribution.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        if contribution.author is not None:  # told why, in their own language
            notification_send(
                kind=notices.CONTRIBUTION_HIDDEN,
                recipient=contribution.author,
                about=contribution,
                context={"reason": contribution.hidden_reason, "workshop": contribution.workshop},
                dedup_key=f"hidden:{contribution.pk}:{timezone.now().isoformat()}",
            )
    return contribution


def contribution_merge(*, duplicate, into, by):
    """`duplicate` says the same as `into`: it points there, and its reasoned response says so."""
    require(permissions.can_moderate(by, duplicate.workshop))
    if duplicate.pk == into.pk or duplicate.workshop_id != into.workshop_id:
        raise ContributionError(_("Choose another contribution of the same workshop."))
    with transaction.atomic():
        duplicate.merged_into = into
        duplicate.save(update_fields=["merged_into"])
        contribution_respond(
            contribution=duplicate,
            disposition="merged",
            explanation=_("Merged into “%(title)s”, which says the same.") % {"title": into.title},
            by=by,
        )
    return duplicate


def contribution_tag(*, contribution, names: list[str], by):
    require(permissions.can_moderate(by, contribution.workshop))
    tags = [
        ContributionTag.objects.get_or_create(name=name.strip().lower()[:50])[0]
        for name in names
        if name.strip()
    ]
    contribution.tags.set(tags)
    return contribution


def contribution_support(*, contribution, member) -> bool:
    """Support, or withdraw one's support. True when the member now supports it."""
    require(permissions.can_react(member))
    deleted, _detail = Support.objects.filter(contribution=contribution, member=member).delete()
    if deleted:
        return False
    Support.objects.get_or_create(
        contribution=contribution,
        member=member,
        defaults={"organisation_id": member.organisation_id},  # as it is now, kept
    )
    return True


def contribution_comment(*, contribution, author, text: str):
    require(permissions.can_react(author))
    comment = Comment.objects.create(
        contribution=contribution,
        author=author,
        organisation_id=author.organisation_id,  # as it is now, kept
        text=text.strip(),
    )
    translations_request_for(instance=comment)
    return comment


def contribution_report(*, contribution, reporter, reason: str):
    require(permissions.can_react(reporter))
    report, _created = AbuseReport.objects.get_or_create(
        contribution=contribution,
        reporter=reporter,
        resolved_at=None,
        defaults={"reason": reason.strip()},
    )
    return report


def contribution_respond(
    *, contribution, disposition: str, explanation: str, commitment_reference: str = "", by
):
    """Give (or revise) the public reasoned response; the author is told each time."""
    require(permissions.can_moderate(by, contribution.workshop))
    return _respond(
        contribution=contribution,
        disposition=disposition,
        explanation=explanation,
        commitment_reference=commitment_reference,
        by=by,
    )


def contribution_taken_into_commitment(*, contribution, explanation: str, by):
    """Say in `contribution`'s reasoned response that it was taken into a commitment (the
    `explanation` names it), unless it was already answered otherwise; its author is told.
    For those who turn contributions into commitments."""
    require(
        permissions.can_take_into_commitment(by, contribution.workshop),
        _(
            "Only the forum's secretariat and facilitators say in a contribution's reasoned "
            "response that it was taken into a commitment."
        ),
    )
    response = ReasonedResponse.objects.filter(contribution=contribution).first()
    taken = ReasonedResponse.Disposition.TAKEN_INTO_COMMITMENT
    if response is not None and response.disposition not in (
        ReasonedResponse.Disposition.UNDER_CONSIDERATION,
        taken,
    ):
        return response
    if response is not None and response.disposition == taken:
        return response  # already said so; the author was told then
    return _respond(
        contribution=contribution,
        disposition=taken,
        explanation=explanation,
        commitment_reference="",
        by=by,
    )


def _respond(*, contribution, disposition: str, explanation: str, commitment_reference: str, by):
    if not explanation.strip():
        raise ContributionError(_("A reasoned response needs its explanation."))
    now = timezone.now()
    with transaction.atomic():
        # Locked, then compared: the same response sent twice (a double click, a form sent
        # again) changes nothing and tells the author once.
        Contribution.objects.select_for_update().filter(pk=contribution.pk).first()
        previous = ReasonedResponse.objects.filter(contribution=contribution).first()
        if previous is not None and (
            previous.disposition,
            previous.explanation,
            previous.commitment_reference,
        ) == (disposition, explanation.strip(), commitment_reference.strip()):
            return previous
        audit_record(
            actor=by,
            action="contribution.responded",
            about=contribution,
            before=previous.disposition if previous else None,
            after=disposition,
        )
        response, _created = ReasonedResponse.objects.update_or_create(
            contribution=contribution,
            defaults={
                "disposition": disposition,
                "explanation": explanation.strip(),
                "commitment_reference": commitment_reference.strip(),
                "responded_by": by if getattr(by, "pk", None) else None,
                "responded_at": now,
            },
        )
        if contribution.author is not None:
            notification_send(
                kind=notices.CONTRIBUTION_RESPONDED,
                recipient=contribution.author,
                about=contribution,
                context={
                    # The lazy label, translated when the notice is rendered in the
                    # author's language (not in the language of the facilitator's page).
                    "disposition": dict(ReasonedResponse.Disposition.choices).get(
                        disposition, disposition
                    ),
                    "response": response.explanation,
                },
                dedup_key=f"response:{contribution.pk}:{now.isoformat()}",
            )
        translations_request_for(instance=response)
    return response


MINUTES_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "a",
    "blockquote",
}


def minutes_render(text: str) -> str:
    """Minutes written in Markdown (or, as before, in simple HTML, which Markdown keeps) as
    the HTML shown: anything but simple formatting removed. Plain paragraphs stay paragraphs."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(html, tags=MINUTES_TAGS, link_rel="nofollow noopener")


def minutes_save(*, workshop: Workshop, text: str, publish: bool, by):
    """Save the minutes (cleaned of anything but simple formatting); publish them or keep
    them as a draft. Unpublishing is allowed: the page then hides them again."""
    require(permissions.can_moderate(by, workshop))
    minutes, _created = Minutes.objects.get_or_create(workshop=workshop, defaults={"text": ""})
    minutes.text = minutes_render(text)
    minutes.source = text
    minutes.updated_by = by
    if publish and minutes.published_at is None:
        minutes.published_at = timezone.now()
    elif not publish:
        minutes.published_at = None
    minutes.save()
    return minutes


def member_data_erase(*, member) -> None:
    """co-creation's part of deleting an account: seats and waiting places in workshops to
    come are cancelled (the first person waiting moves up and is told), accessibility needs
    are erased everywhere, the private calendar feed goes. Contributions and comments stay
    in public, signed "former member"."""
    for registration in Registration.objects.filter(
        member=member,
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
        workshop__starts_at__gt=timezone.now(),
    ).select_related("workshop"):
        registration_cancel(registration=registration, by=member)
    Registration.objects.filter(member=member).update(accessibility_needs="")
    CalendarFeed.objects.filter(member=member).delete()


def registrations_regroup(*, member, before, after, by) -> list[Registration]:
    """co-creation's part of an approved change of organisation (registered with
    members.organisation_changes). The member's places in workshops still to come are for
    their new organisation; when it is in the other stakeholder group, each place in the old
    group's quota or waiting list is cancelled (the first person waiting in that group takes
    a seat freed, and is told) and the member queues in the new group's list, or takes a
    seat free there, and is told. Runs inside the approval's transaction; returns the
    member's new places."""
    now = timezone.now()
    places = list(
        Registration.objects.filter(
            member=member,
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
            workshop__status=Workshop.Status.PUBLISHED,
            workshop__starts_at__gt=now,
        )
        .select_related("workshop")
        .order_by("workshop__starts_at", "id")
    )
    group = after.sector.stakeholder_group
    moved = []
    for place in places:
        workshop = _locked(place.workshop)
        place = Registration.objects.select_for_update().get(pk=place.pk)
        if place.status == Registration.Status.CANCELLED:
            continue
        if place.stakeholder_group == group:
            audit_record(
                actor=by,
                action="registration.organisation",
                about=place,
                before=place.organisation.name if place.organisation else "",
                after=after.name,
            )
            place.organisation = after
            place.save(update_fields=["organisation"])
            continue
        audit_record(
            actor=by,
            action="registration.cancelled",
            about=place,
            before=place.status,
            after=Registration.Status.CANCELLED,
            reason="organisation change",
        )
        place.status, place.cancelled_at = Registration.Status.CANCELLED, now
        place.save(update_fields=["status", "cancelled_at"])
        moved.append(
            _register_moved(workshop=workshop, member=member, old=place, group=group, by=by)
        )
    return moved


def _register_moved(*, workshop: Workshop, member, old: Registration, group: str, by):
    """The member's place in `workshop` (locked) again, in `group`, after a change of
    organisation: at the end of its waiting list, or in a seat free there. Whoever takes
    the seat freed by `old` is told."""
    registration, promoted = _place_take(
        workshop=workshop,
        member=member,
        group=group,
        first_time=old.first_time,
        answers=RegistrationAnswers(
            accessibility_needs=old.accessibility_needs,
            agrees_to_be_named=old.agrees_to_be_named,
        ),
        now=timezone.now(),
    )
    _promoted_tell(promoted, by=by, except_registration=registration, reason="organisation change")
    audit_record(
        actor=by,
        action="registration.created",
        about=registration,
        after=registration.status,
        seat_group=registration.seat_group,
        reason="organisation change",
        previous=old.pk,
    )
    _place_tell(registration)
    return registration


# --- The back office: a workshop's registrants ------------------------------------------

# Who a message to the registrants goes to: everyone holding a seat or waiting, one
# stakeholder group (seated or waiting), or only the waiting lists.
AUDIENCE_ALL = "all"
AUDIENCE_WAITING = "waiting"
AUDIENCES = [AUDIENCE_ALL, *GROUPS, AUDIENCE_WAITING]
# The same message to a workshop's registrants within this time is taken for a double click.
REPEATED_MESSAGE_WINDOW = timedelta(minutes=10)


class SeatsTaken(RegistrationError):
    """Moving someone to a seat by hand when their group's seats are all taken: refused
    unless the secretariat confirms a seat over the quota."""


def _managed(workshop: Workshop, by) -> None:
    require(permissions.can_manage_workshops(by, permissions.forum_of(workshop)))


def registrants_message(*, workshop: Workshop, audience: str, subject: str, text: str, by) -> int:
    """Send the secretariat's message to the workshop's registrants (`audience`: one of
    AUDIENCES), each in their own language: the subject and text go as typed, the words
    around them are translated. Audited; returns how many people it went to."""
    _managed(workshop, by)
    subject, text = " ".join(subject.split()), text.strip()
    if audience not in AUDIENCES:
        raise RegistrationError(_("Choose who receives the message."))
    if not subject or not text:
        raise RegistrationError(_("A message needs a subject and a text."))
    people = _people_to_tell(workshop)
    positions = waiting_positions(people)
    if audience == AUDIENCE_WAITING:
        people = [r for r in people if r.status == Registration.Status.WAITING]
    elif audience != AUDIENCE_ALL:
        people = [r for r in people if r.stakeholder_group == audience]
    if not people:
        raise RegistrationError(_("Nobody registered for this workshop would receive it."))
    forum = workshop.process.forum
    # The same message to the same people a moment ago was a double click: sent once. Later,
    # the same words go again (a reminder repeated on purpose).
    digest = hashlib.sha256(f"{audience}\n{subject}\n{text}".encode()).hexdigest()[:16]
    prefix = f"registrants-message:{workshop.pk}:{digest}:"
    with transaction.atomic():
        Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
        just_sent = notifications_since_count(
            kind=notices.REGISTRANTS_MESSAGE,
            dedup_prefix=prefix,
            since=timezone.now() - REPEATED_MESSAGE_WINDOW,
        )
        if just_sent:
            return just_sent
        key = f"{prefix}{uuid.uuid4().hex}"
        sent = notifications_send_bulk(
            kind=notices.REGISTRANTS_MESSAGE,
            items=[
                NotificationItem(
                    recipient=registration.member,
                    about=workshop,
                    context={
                        "subject": subject,
                        "message": text,
                        "forum": forum.name,
                        "position": positions.get(registration.pk),
                        "seated": registration.status == Registration.Status.CONFIRMED,
                    },
                    dedup_key=f"{key}:{registration.member_id}",
                )
                for registration in people
            ],
        )
        audit_record(
            actor=by,
            action="workshop.registrants_messaged",
            about=workshop,
            audience=audience,
            subject=subject,
            recipients=sent,
        )
    return sent


def registration_seat_give(*, registration: Registration, by, over_quota: bool = False):
    """Move a person from the waiting list to a seat of their group's quota by hand, ahead
    of anyone waiting before them. Refused (SeatsTaken) when their group's seats are all
    taken, unless `over_quota`: the secretariat then confirms one seat more than the quota.
    The quota itself stays as it is, so the group gets no seat from the waiting list again
    until a cancellation brings it back under its quota. Audited; the person is told."""
    _managed(registration.workshop, by)
    with transaction.atomic():
        workshop = _locked(registration.workshop)
        registration = (
            Registration.objects.select_for_update()
            .select_related("member")
            .get(pk=registration.pk)
        )
        if registration.status != Registration.Status.WAITING:
            raise RegistrationError(_("Only someone on the waiting list can be given a seat."))
        if workshop.status == Workshop.Status.CANCELLED:
            raise RegistrationError(_("This workshop is cancelled."))
        group = registration.stakeholder_group
        taken = workshop.registrations.filter(
            status=Registration.Status.CONFIRMED, seat_group=group
        ).count()
        free = workshop.quota(group) > taken
        if not free and not over_quota:
            raise SeatsTaken(
                _(
                    "All %(quota)d seats of %(group)s are taken. Confirm a seat over the quota "
                    "to give one anyway."
                )
                % {"quota": workshop.quota(group), "group": StakeholderGroup(group).label}
            )
        registration.status = Registration.Status.CONFIRMED
        registration.seat_group = group
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "seat_group", "confirmed_at"])
        _promoted_tell(
            [registration], by=by, reason="by hand" if free else "by hand, over the quota"
        )
    return registration
