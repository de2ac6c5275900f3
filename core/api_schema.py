"""The OpenAPI schema as generated clients read it, with the rules written once for every
endpoint: each operation has a summary and documents the errors it can answer with their
body, and every value that can be null says so in a way OpenAPI 3.0 honours. Loaded by DRF
and drf-spectacular from settings (DEFAULT_SCHEMA_CLASS, POSTPROCESSING_HOOKS)."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from core.api_base import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": _(
        "The request was not accepted: `detail` says why, or each field that was not "
        "accepted lists its problems."
    ),
    "401": _("The token or the session is missing or no longer valid."),
    "403": _("You may not do this; `detail` says why."),
    "404": _("No such object, or no such page of the list."),
    "429": _("Too many requests; wait the seconds the Retry-After header gives."),
}

# A schema that allows only null: OpenAPI 3.0 has no null type, and its `nullable` only
# adds null to a `type` given beside it.
NULL_SCHEMA = {"type": "object", "nullable": True, "enum": [None]}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema of an operation, plus a summary where none was written and
    the error responses the operation can give."""

    def get_summary(self):
        summary = super().get_summary()
        if summary or self.method != "GET":
            return summary
        model = getattr(getattr(self._get_serializer(), "Meta", None), "model", None)
        if model is None:
            return None
        if self._is_list_view():
            return _("%(name)s: list") % {"name": capfirst(model._meta.verbose_name_plural)}
        return _("%(name)s: by id") % {"name": capfirst(model._meta.verbose_name)}

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            body = self._request_error_ref() if code == "400" else ErrorSerializer
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(body, description=str(ERROR_DESCRIPTIONS[code])), code
                ),
            )
        return responses

    def _error_codes(self) -> list[str]:
        """Any request may carry a token that is no longer valid (401), ask for an id or a
        page that does not exist (404) or come too often (429); one that changes something
        or filters a list (or takes query parameters of its own) may be refused (400: an
        unknown ordering field is only ignored),
        and only one that changes something is forbidden (403): reading needs no account."""
        changes = self.method not in SAFE_METHODS
        filters = [p for p in self._get_filter_parameters() if p["name"] != "ordering"]
        # Query parameters an endpoint declares itself (the search's) are validated too.
        filters += [
            p
            for p in self.get_override_parameters()
            if getattr(p, "location", None) == OpenApiParameter.QUERY
        ]
        codes = ["400"] if changes or filters else []
        codes.append("401")
        if changes:
            codes.append("403")
        return [*codes, "404", "429"]

    def _request_error_ref(self) -> dict:
        component = ResolvedComponent(
            name="RequestError",
            type=ResolvedComponent.SCHEMA,
            object="RequestError",
            schema={
                "type": "object",
                "description": str(ERROR_DESCRIPTIONS["400"]),
                "properties": {
                    "detail": {
                        "type": "string",
                        "description": str(ErrorSerializer().fields["detail"].help_text),
                    }
                },
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        )
        self.registry.register_on_missing(component)
        return component.ref


def postprocess_nullable(result, generator, request, public):
    """drf-spectacular marks a nullable reference to a component `allOf: [ref]` with
    `nullable: true` beside it, which OpenAPI 3.0 ignores without a `type`: strict clients
    then refuse the null the API sends. Such a schema becomes `oneOf: [ref, null]`."""
    _make_null_explicit(result)
    return result


def _make_null_explicit(node):
    if isinstance(node, list):
        for item in node:
            _make_null_explicit(item)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _make_null_explicit(value)
    if not node.get("nullable") or "type" in node:
        return
    del node["nullable"]
    if "oneOf" in node or "anyOf" in node:
        node["oneOf" if "oneOf" in node else "anyOf"].append(dict(NULL_SCHEMA))
        return
    parts = node.pop("allOf", None)
    if parts:  # Without a type or parts, the schema already allows any value, null too.
        node["oneOf"] = [parts[0] if len(parts) == 1 else {"allOf": parts}, dict(NULL_SCHEMA)]
