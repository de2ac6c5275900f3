"""Scarce places and their waiting lists, shared by workshops and events.

The rule, written once: with the parent row (the workshop, the event) locked, count the
confirmed places, then give the free ones to the people waiting, first come first served.
Places may be split into groups with a quota each (a workshop's two stakeholder groups);
one group holding the whole capacity is the simple case (an event). Callers lock the parent
with `locked` inside `transaction.atomic()` before calling `seats_fill`, so that concurrent
registrations are serialised per parent and no quota is ever exceeded.
"""

from collections.abc import Callable, Mapping
from datetime import datetime

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from core.audit.services import audit_record
from core.notifications.services import notification_send

EVERYONE = ""  # the one group when places are not split
CONFIRMED = "confirmed"
WAITING = "waiting"
CANCELLED = "cancelled"


def locked(instance):
    """The row of `instance` again, locked until the transaction ends (SELECT ... FOR UPDATE
    on PostgreSQL). Call it as late as possible, but before counting."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def places_count(
    registrations: QuerySet, *, group_field: str, seat_group_field: str
) -> tuple[dict[str, int], dict[str, int]]:
    """The places of one parent (its row locked), in one query: ({group: places taken from
    its quota}, {group: people waiting in it})."""
    taken: dict[str, int] = {}
    waiting: dict[str, int] = {}
    rows = (
        registrations.filter(status__in=[CONFIRMED, WAITING])
        .values_list("status", seat_group_field, group_field)
        .annotate(n=Count("id"))
        .values_list("status", seat_group_field, group_field, "n")
        .order_by()
    )
    for status, seat_group, group, n in rows:
        if status == CONFIRMED:
            taken[seat_group] = taken.get(seat_group, 0) + n
        else:
            waiting[group] = waiting.get(group, 0) + n
    return taken, waiting


def seats_fill(
    registrations: QuerySet,
    *,
    quotas: Mapping[str, int],
    now: datetime,
    group_field: str | None = None,
    seat_group_field: str | None = None,
    overflow: bool = False,
    reserved: Mapping[str, int] | None = None,
    reserved_field: str | None = None,
) -> list:
    """Confirm people waiting in `registrations` (one parent's, parent row locked) while
    places are free. Returns the registrations that got a place, saved.

    `quotas` gives the places of each group, in the order the groups are served (one entry,
    `{EVERYONE: capacity}`, when places are not split). A waiting person queues in the group
    named by their `group_field`; the group whose place they take is written to
    `seat_group_field`. With `overflow`, a group's places left free after its own queue go to
    the people waiting in the other groups, in the order they registered.

    `reserved` keeps places of each group for the people whose boolean `reserved_field` is
    set (first-time participants): the others take only the places beyond those still kept,
    and wait while only kept places are free. Not combined with `overflow` (callers stop
    keeping places when they release them).
    """
    confirmed = registrations.filter(status=CONFIRMED)
    taken: dict[str, int] = {}
    taken_reserved: dict[str, int] = {}
    if seat_group_field:
        by = [seat_group_field] + ([reserved_field] if reserved_field else [])
        for *key, n in confirmed.values_list(*by).annotate(n=Count("id")).values_list(*by, "n"):
            taken[key[0]] = taken.get(key[0], 0) + n
            if reserved_field and key[1]:
                taken_reserved[key[0]] = n
    else:
        taken = {EVERYONE: confirmed.count()}
    free = {group: max(quota - taken.get(group, 0), 0) for group, quota in quotas.items()}
    if not any(free.values()):
        return []
    waiting = registrations.filter(status=WAITING).order_by("id")
    if reserved and reserved_field and group_field and not overflow:
        kept = {
            group: max(reserved.get(group, 0) - taken_reserved.get(group, 0), 0) for group in quotas
        }
        return _fill_keeping(
            registrations, waiting, free, kept, now, group_field, seat_group_field, reserved_field
        )
    if not overflow:
        # Only the groups with a free place, and no more people than the places free: the
        # work stays the same however long the waiting lists grow.
        if group_field:
            waiting = [
                registration
                for group, n in free.items()
                if n
                for registration in waiting.filter(**{group_field: group})[:n]
            ]
        else:
            waiting = list(waiting[: free[EVERYONE]])
    else:
        waiting = list(waiting)

    def queue_of(registration) -> str:
        return getattr(registration, group_field) if group_field else EVERYONE

    queues = {group: [r for r in waiting if queue_of(r) == group] for group in quotas}
    promoted = []

    def give(registration, group):
        if seat_group_field:
            setattr(registration, seat_group_field, group)
        promoted.append(registration)
        free[group] -= 1

    for group in quotas:
        while free[group] and queues[group]:
            give(queues[group].pop(0), group)
    if overflow:
        for group in quotas:
            while free[group]:
                others = [queue for other, queue in queues.items() if other != group and queue]
                if not others:
                    break
                first = min(others, key=lambda queue: queue[0].id)  # who registered first
                give(first.pop(0), group)
    return _confirm(registrations, promoted, now, seat_group_field)


def _fill_keeping(
    registrations, waiting, free, kept, now, group_field, seat_group_field, reserved_field
) -> list:
    """seats_fill when places are kept for some: in each group, in the order they registered,
    a person the places are kept for takes any free place; anyone else only a place beyond
    those still kept. Reads at most twice as many waiting people as there are free places."""
    promoted = []
    for group, n in free.items():
        if not n:
            continue
        in_group = waiting.filter(**{group_field: group})
        candidates = list(in_group.filter(**{reserved_field: True})[:n])
        if n > kept[group]:
            candidates += list(in_group.filter(**{reserved_field: False})[: n - kept[group]])
        for registration in sorted(candidates, key=lambda r: r.id):
            if not free[group]:
                break
            if getattr(registration, reserved_field):
                kept[group] = max(kept[group] - 1, 0)
            elif free[group] <= kept[group]:
                continue
            free[group] -= 1
            if seat_group_field:
                setattr(registration, seat_group_field, group)
            promoted.append(registration)
    return _confirm(registrations, promoted, now, seat_group_field)


def _confirm(registrations, promoted: list, now, seat_group_field) -> list:
    for registration in promoted:
        registration.status = CONFIRMED
        registration.confirmed_at = now
    fields = ["status", "confirmed_at"] + ([seat_group_field] if seat_group_field else [])
    registrations.model.objects.bulk_update(promoted, fields)
    return promoted


def waiting_position(waiting: QuerySet, registration) -> int | None:
    """`registration`'s number on its waiting list, given the list (`waiting`: the same
    parent's waiting registrations, of the same group when places are split)."""
    if registration.status != WAITING:
        return None
    return waiting.filter(status=WAITING, id__lt=registration.id).count() + 1


# --- Cancelling a place and telling those promoted ------------------------------------------


def place_cancel(*, place, parent, by, action: str, fill: Callable, tell: Callable) -> list:
    """Cancel a place or a waiting place (audited as `<action>.cancelled`) and give the
    freed place at once: with `parent` locked, `fill(parent, now)` applies the app's rule
    and `tell(promoted)` records and tells those who got a place, in the same transaction.
    Returns them; nothing happens to a place already cancelled."""
    now = timezone.now()
    with transaction.atomic():
        parent = locked(parent)
        place = type(place)._default_manager.select_for_update().get(pk=place.pk)
        if place.status == CANCELLED:
            return []
        audit_record(
            actor=by,
            action=f"{action}.cancelled",
            about=place,
            before=place.status,
            after=CANCELLED,
        )
        place.status = CANCELLED
        place.cancelled_at = now
        place.save(update_fields=["status", "cancelled_at"])
        promoted = fill(parent, now)
        tell(promoted)
    return promoted


def promoted_tell(
    promoted: list,
    *,
    by,
    action: str,
    kind,
    about: Callable,
    context: Callable,
    dedup_prefix: str,
    audit_data: Callable = lambda place: {},
    except_place=None,
) -> None:
    """Each place given from the waiting list (but `except_place`, whose holder is being
    told otherwise) is audited as `<action>.promoted` and its holder told, once."""
    for place in promoted:
        if place == except_place:
            continue
        audit_record(
            actor=by,
            action=f"{action}.promoted",
            about=place,
            before=WAITING,
            after=CONFIRMED,
            **audit_data(place),
        )
        notification_send(
            kind=kind,
            recipient=place.member,
            about=about(place),
            context=context(place),
            dedup_key=f"{dedup_prefix}:{place.pk}",
        )
