"""Filters shared by the API's viewsets."""

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from rest_framework import exceptions

from core.forms import BoundedDateField
from core.search.forms import MAX_QUERY, MIN_QUERY, query_read, query_refusal
from core.search.registry import searchable_of
from core.search.selectors import CAP, matching_entries, recent_matches


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


class SearchFilter:
    """`?search=` on a list whose rows are a kind the search knows (core/search/registry.py,
    found from the serializer's model): only the rows the portal's search finds for the
    words, matched as /search/ and /api/v1/search/ match them (full text in each text's
    language on PostgreSQL, the folded words on SQLite) among the rows the visitor may open,
    by relevance unless `ordering` is given (the list's own order breaks ties). An empty
    value is ignored; a query with no letter or digit, or of one character, is refused
    (400 with the reason); past MAX_QUERY characters the rest is left out. As the search
    page, it looks at no more than the CAP (1,000) most recent matching rows. The rows are
    found in a subquery: the list makes as many queries as without it. Listed in
    DEFAULT_FILTER_BACKENDS before the ordering filter, which keeps this order unless asked
    for another."""

    param = "search"

    def kind(self, view) -> str | None:
        serializer = view.get_serializer_class() if hasattr(view, "get_serializer_class") else None
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        kinds = searchable_of(model) if model is not None else []
        return kinds[0].kind if len(kinds) == 1 else None

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(self.param, "")
        if not raw.strip() or (kind := self.kind(view)) is None:
            return queryset
        text, _cut = query_read(raw)
        if not text:  # only NUL bytes: as empty
            return queryset
        refusal = query_refusal(text)
        if refusal:
            raise exceptions.ValidationError({self.param: [refusal]})
        found = matching_entries(kind=kind, text=text, user=request.user)
        rank = Subquery(found.filter(object_id=OuterRef("pk")).values("rank")[:1])
        return (
            queryset.filter(pk__in=recent_matches(found))
            .annotate(search_rank=rank)
            .order_by("-search_rank", *queryset.query.order_by)
        )

    def get_schema_operation_parameters(self, view):
        if self.kind(view) is None:
            return []
        description = str(
            _(
                "Words to find, as the portal's search finds them (/api/v1/search/): only the "
                "rows found, the most relevant first unless `ordering` is given. In each text's "
                "language on PostgreSQL (a word's other forms are found; quotes, `or` and "
                "`-word` work), the words' starts on SQLite. At most %(max)s characters are "
                "read; an empty value is ignored; no letter or digit, or fewer than %(min)s "
                "characters, is refused (400)."
            )
        ) % {"max": MAX_QUERY, "min": MIN_QUERY}
        description += " " + str(
            _(
                "As on the search page, no more than the %(cap)s most recent matching rows "
                "are looked at."
            )
            % {"cap": CAP}
        )
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "string"},
            }
        ]
