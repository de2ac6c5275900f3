"""Reminders: the timings each app declares, and the reminder job they share.

An app declares its timings in its `notices.py` (`reminder_hours_register` for "so many
hours before the start", `reminder_days_register` for "so many days before"); the
secretariat sets them, stored one row each (`ReminderSetting`), the default until then.
`reminders_send` is the periodic job of anything that starts at a time and has people
holding a place (workshops, events): each gets the latest reminder that has come, once.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit.services import audit_record
from core.errors import ForumError, require
from core.notifications.models import ReminderSetting
from core.notifications.services import NotificationItem, notifications_send_bulk
from core.notifications.timings import (
    ReminderTimingDeclared,
    reminder_timings,
    reminder_value_parse,
)

REMINDER_HORIZON_DAYS = 30  # reminders are set at most this long before the start


def reminder_timing(timing: ReminderTimingDeclared):
    """The timing as the secretariat set it (its default until then): hours, or days."""
    stored = ReminderSetting.objects.filter(key=timing.key).values_list("value", flat=True).first()
    try:
        return reminder_value_parse(timing, stored if stored is not None else timing.default)
    except ValidationError:
        return reminder_value_parse(timing, timing.default)


def reminder_timing_set(*, timing: ReminderTimingDeclared, value: str, by) -> None:
    """Set a timing (audited). Those whose role may change reminder timing may (the
    secretariat: members.roles grants it)."""
    require(by is not None and by.has_perm("notifications.change_remindersetting"))
    try:
        reminder_value_parse(timing, value)
    except ValidationError as error:
        raise ForumError(" ".join(error.messages)) from None
    with transaction.atomic():
        setting, _created = ReminderSetting.objects.get_or_create(
            key=timing.key, defaults={"value": timing.default}
        )
        audit_record(
            actor=by,
            action="reminder_timing.changed",
            about=setting,
            before=setting.value,
            after=value,
        )
        setting.value = value.strip()
        setting.save(update_fields=["value"])


def reminder_settings_ensure(*, apps=None, using="default", **kwargs) -> None:
    """A row for every declared timing, with its default (after migrate), so that the
    secretariat finds them all to edit. Nothing while the table does not exist yet (a
    migration back to before it)."""
    try:
        model = apps.get_model("notifications", "ReminderSetting") if apps else ReminderSetting
    except LookupError:
        return
    existing = set(model.objects.using(using).values_list("key", flat=True))
    model.objects.using(using).bulk_create(
        [
            model(key=timing.key, value=timing.default)
            for timing in reminder_timings()
            if timing.key not in existing
        ],
        ignore_conflicts=True,
    )


def reminder_hours_reached(starts_at: datetime, hours: Iterable[int], now: datetime) -> int | None:
    """The latest reminder that has come (nobody gets the 48-hour one 2 hours before), or
    None when none has."""
    reached = [hour for hour in hours if now >= starts_at - timedelta(hours=hour)]
    return min(reached) if reached else None


def reminders_send(
    *,
    kind,
    occasions: Iterable,
    hours_of: Callable,
    places_of: Callable,
    context: Callable,
    now: datetime,
) -> int:
    """Remind everyone holding a place in `occasions` (things with `starts_at` and a
    calendar `sequence`) whose reminder time has come, once per reminder.

    `hours_of(occasion)` gives its reminder hours, `places_of(ids)` the places held in those
    occasions as (occasion id, member) pairs, `context(occasion, member)` the text's
    variables (read once per occasion and language). A reschedule (a new sequence) starts
    the reminders anew. Returns how many are new."""
    occasions = {occasion.pk: occasion for occasion in occasions}
    due = {}
    for occasion in occasions.values():
        hours = reminder_hours_reached(occasion.starts_at, hours_of(occasion), now)
        if hours is not None:
            due[occasion.pk] = hours
    if not due:
        return 0
    labels: dict[tuple[int, str], dict] = {}
    items = []
    for occasion_id, member in places_of(list(due)):
        occasion = occasions[occasion_id]
        key = (occasion.pk, member.preferred_language)
        if key not in labels:
            labels[key] = context(occasion, member)
        items.append(
            NotificationItem(
                member,
                occasion,
                labels[key],
                dedup_key=f"{kind}:{occasion.pk}:{occasion.sequence}:{due[occasion.pk]}:{member.pk}",
            )
        )
    return notifications_send_bulk(kind=kind, items=items)
