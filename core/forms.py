"""Form pieces every app uses: times typed as wall-clock time in a chosen time zone.

A workshop or an event happens somewhere: its organisers type "10:00" meaning ten o'clock in
the zone they chose (Europe/Belgrade, say), whatever the server's or the browser's zone is.
Django's DateTimeField reads the typed time in the active time zone; `LocalTimesInZone` reads
it again in the chosen one."""

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

# The years a date typed in a form or a filter may fall in. Python's calendar ends on
# 9999-12-31: a later day (the day after a filter's last day, or a time that its zone's
# offset moves into the year 10000 in UTC) is a server error or, in PostgreSQL, a row that
# no page can read any more. Nothing the forum plans is that far away or that old.
FIRST_YEAR, LAST_YEAR = 1900, 9000


def year_check(value) -> None:
    """The validator of every date and time typed: its year in FIRST_YEAR..LAST_YEAR."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="year_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class BoundedDateField(forms.DateField):
    """A date in FIRST_YEAR..LAST_YEAR (for filters: django-filter's `field_class`)."""

    default_validators = [year_check]


class DatesWithinYears:
    """A form mixin: every date and time field of the form (a model form's too) is refused
    beside the field, with the input kept, outside FIRST_YEAR..LAST_YEAR."""

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, forms.DateField | forms.DateTimeField):
                continue
            try:
                year_check(data.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def as_local(value: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The wall-clock time `value` was typed as, in `zone` (an aware datetime)."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return naive.replace(tzinfo=zone)


def exists_in(moment: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """False for a wall-clock time the clocks skip in `zone` (02:30 on the night they go
    forward): read there it would name another time."""
    back = moment.astimezone(UTC).astimezone(zone)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


class LocalTimesInZone(DatesWithinYears):
    """A form mixin: the datetime fields named in `local_time_fields` were typed as
    wall-clock time in the zone chosen in the `time_zone` field (and, as every date, within
    FIRST_YEAR..LAST_YEAR)."""

    local_time_fields = ("starts_at", "ends_at")

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if not zone_name:  # a zone not in the field's choices is refused beside it
            return data
        zone = zoneinfo.ZoneInfo(zone_name)
        for name in self.local_time_fields:
            value = data.get(name)
            if value is None:
                continue
            local = as_local(value, zone)
            if not exists_in(local, zone):
                self.add_error(
                    name,
                    _("This time does not exist in %(zone)s: the clocks go forward then.")
                    % {"zone": zone_name},
                )
                continue
            data[name] = local
        return data


def form_errors_add(form, error) -> None:
    """Put a service's ValidationError beside the form's fields (on the form as a whole for
    a field the form does not show)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def forum_error_add(form, error) -> None:
    """Put a service's refusal (a core.errors.ForumError) beside the fields it names in its
    `fields` ({field: [messages]}, as PastMeetingError gives), on the form as a whole for a
    field the form does not show, or when it names none."""
    fields = getattr(error, "fields", None) or {}
    if not fields:
        form.add_error(None, str(error))
    for field, field_messages in fields.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
