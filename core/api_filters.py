"""Filters shared by the API's viewsets."""

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from core.forms import BoundedDateField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, with any offset Python accepts, turned into UTC before it
    reaches the database: PostgreSQL refuses offsets beyond ±15:59, and a date at the edge
    of the calendar that an offset pushes out of it is a 400 with a reason, not a 500."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError(
                _("Enter a date and time between the years 1 and 9999."), code="invalid"
            ) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class DateFilter(django_filters.DateFilter):
    """A day within the years forms accept (core.forms.FIRST_YEAR..LAST_YEAR): the day after
    9999-12-31, which a filter "until that day" reads up to, does not exist."""

    field_class = BoundedDateField
