"""The reminder timings the apps declare in their `notices.py`: what each is, its unit and
its default. The values the secretariat sets are read in core.notifications.reminders."""

import sys
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ReminderTimingDeclared:
    key: str
    label: str
    default: str
    unit: str  # "hours": a list of hours before; "days": a number of days
    help_text: str
    module: str


_timings: dict[str, ReminderTimingDeclared] = {}


def _declare(key, label, default, unit, help_text) -> ReminderTimingDeclared:
    timing = ReminderTimingDeclared(
        key, label, str(default), unit, help_text, sys._getframe(2).f_globals.get("__name__", "")
    )
    _timings[key] = timing
    return timing


def reminder_hours_register(
    key: str, label, *, default: str, help_text=""
) -> ReminderTimingDeclared:
    """Declare a timing in hours before the start, e.g. "48,2": two reminders."""
    return _declare(key, label, default, "hours", help_text)


def reminder_days_register(
    key: str, label, *, default: int, help_text=""
) -> ReminderTimingDeclared:
    """Declare a timing in days, e.g. 14."""
    return _declare(key, label, default, "days", help_text)


def reminder_timings() -> list[ReminderTimingDeclared]:
    """Every timing declared, in the order of INSTALLED_APPS, then of declaration."""
    apps.check_apps_ready()
    order = [config.name for config in apps.get_app_configs()]

    def position(timing: ReminderTimingDeclared) -> int:
        config = apps.get_containing_app_config(timing.module)
        return order.index(config.name) if config is not None else len(order)

    return sorted(_timings.values(), key=position)


def hours_parse(value: str) -> list[int]:
    """ "48, 2" -> [48, 2]: the hours, latest reminder last. ValidationError when unreadable."""
    try:
        hours = {int(part) for part in value.split(",") if part.strip()}
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of hours separated by commas, e.g. 48,2.")
        ) from None
    if not hours or any(hour <= 0 for hour in hours):
        raise ValidationError(_("Give at least one number of hours, each above zero."))
    return sorted(hours, reverse=True)


def _days_parse(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise ValidationError(_("Write a whole number of days.")) from None
    if days < 0 or days > 365:
        raise ValidationError(_("Write a number of days from 0 to 365."))
    return days


def reminder_value_parse(timing: ReminderTimingDeclared, value: str):
    return hours_parse(value) if timing.unit == "hours" else _days_parse(value)


def reminder_timing_label(key: str) -> str:
    timing = _timings.get(key)
    return str(timing.label) if timing is not None else key


def reminder_timing_of(key: str) -> ReminderTimingDeclared | None:
    return _timings.get(key)
