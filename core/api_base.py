"""What every endpoint of the API shares: pagination with stable links, ordering that
always ends on the id, throttling, the error body. No app imports here, nor DRF's views:
DRF loads these classes from settings while its views module is still being imported (the
answer to a service's refusal is in core/api_errors.py)."""

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, filters, pagination, serializers, throttling
from rest_framework.settings import api_settings

from core.fingerprints import fingerprint, loaded_state
from core.kept_pages import kept_answer, kept_answer_keep


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination; `next` and `previous` are full links, stable because every
    list is ordered down to the id."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """DRF ignores a page size that is not a number; the schema says it is one, so a
        client that sends something else learns it (400) rather than getting 50 rows."""
        asked = request.query_params.get(self.page_size_query_param)
        if asked is not None and not (asked.isascii() and asked.isdigit() and int(asked) > 0):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number, at least 1.")]}
            )
        return super().get_page_size(request)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": _("Number of rows matching the filters, on every page."),
            "next": _("Link to the next page; null on the last one."),
            "previous": _("Link to the previous page; null on the first one."),
            "results": _("The rows of this page."),
        }
        for name, description in descriptions.items():
            response["properties"][name]["description"] = description
        return response


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` on the fields a viewset allows, always followed by the id, so that
    pages never skip or repeat a row."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not ordering:
            ordering = list(queryset.query.order_by)
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("id")
        return ordering


class _CacheFromSettings:
    """DRF binds the throttle cache and rates when it is imported; reading them at each
    request lets settings (and tests) change them."""

    @property
    def cache(self):
        return caches[getattr(settings, "API_THROTTLE_CACHE", "default")]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_CacheFromSettings, throttling.AnonRateThrottle):
    """Visitors without an account, counted by IP address (API_THROTTLE_ANON)."""


class UserThrottle(_CacheFromSettings, throttling.UserRateThrottle):
    """Members, counted by account (API_THROTTLE_USER)."""


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Why the request was refused, for the member."))


class KeptRowsListSerializer(serializers.ListSerializer):
    """A list endpoint's rows, each kept in the cache under a fingerprint of everything that
    was loaded with it and of what else its representation depends on (the serializer, the
    language, the time zone, the address the links are built on, who asks). Serializing was
    two thirds of a list's time; a row whose data did not change is read back instead, and
    one whose data changed has another fingerprint, so nothing needs forgetting. A
    representation must come from what the query loaded (the query-count tests keep it so):
    a field that queried on its own would not be in the fingerprint. Nested lists, and
    Redis down, are serialized as before."""

    TTL = 60 * 60  # seconds: a row no list shows any more leaves the cache

    def to_representation(self, data):
        request = self.context.get("request")
        if self.parent is not None or request is None:
            return super().to_representation(data)
        items = list(data.all() if hasattr(data, "all") else data)
        shared = (
            type(self.child).__qualname__,
            type(self.child).__module__,
            get_language(),
            get_current_timezone_name(),
            request.build_absolute_uri("/"),
            request.user.pk,
        )
        keys = [f"api-row:{fingerprint(shared, loaded_state(item))}" for item in items]
        kept = cache.get_many(keys)
        made, rows = {}, []
        for key, item in zip(keys, items, strict=True):
            if key not in kept:
                made[key] = self.child.to_representation(item)
            rows.append(kept.get(key, made.get(key)))
        if made:
            cache.set_many(made, self.TTL)
        return rows


class DescribedModelSerializer(serializers.ModelSerializer):
    """Every field the model gives keeps its description in the schema: the model field's
    help text, or else its (translated) name. A list of them keeps its rows in the cache
    (KeptRowsListSerializer)."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "list_serializer_class"):
            meta.list_serializer_class = KeptRowsListSerializer

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            if field.help_text:
                continue
            source = field.source if field.source not in (None, "*") else name
            try:
                model_field = model._meta.get_field(source.split(".")[0])
            except FieldDoesNotExist:
                continue
            field.help_text = getattr(model_field, "help_text", "") or capfirst(
                getattr(model_field, "verbose_name", source)
            )
        return fields


class KeptAnswers:
    """A read-only viewset whose list and detail answers are kept for the member who asked
    until anything is written (core.kept_pages); authentication, permissions and the
    throttle run first, as for every answer."""

    def _kept(self, request, compute, *args, **kwargs):
        kept = kept_answer(request, f"api:{self.basename}:{self.action}", header=False)
        return kept if kept is not None else compute(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return self._kept(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._kept(request, super().retrieve, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return kept_answer_keep(request, response)
