"""The portal's search in the API: GET /api/v1/search/?q=... answers what /search/ shows,
grouped by kind, with the page's filters and their validation (core/search/forms.py), and
only what the one who asks may open (core/search/selectors.py). `?search=` on the lists of
each kind is core.api_filters.SearchFilter."""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.search import selectors
from core.search.forms import MAX_QUERY, MIN_QUERY, SearchForm, query_read, query_refusal
from core.search.registry import searchable_kinds


def _with(text, **values):
    """`text` (translated lazily) with `values` put in when it is read, in the language of
    that moment, not at import."""
    return lazy(lambda: str(text) % values, str)()


# --- Serializers -------------------------------------------------------------------------


class SearchForumSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text=_("The forum's short name, as ?forum= takes it."))
    name = serializers.CharField(help_text=_("The forum's name."))


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("What was found: its kind, as ?kind= takes it."))
    title = serializers.CharField(
        help_text=_(
            "Its title as HTML: escaped, the words found between `<mark>` and `</mark>`; "
            "no other tag."
        )
    )
    snippet = serializers.CharField(
        help_text=_(
            "A passage of its text around the words found, as HTML: escaped, the words "
            "between `<mark>` and `</mark>`, no other tag; '…' where text was left out. May be "
            "empty."
        )
    )
    url = serializers.URLField(help_text=_("Its page on the portal."))
    forum = SearchForumSerializer(
        allow_null=True, help_text=_("The forum it belongs to; null for none.")
    )
    language = serializers.CharField(
        help_text=_("The language of its text (a code, as ?language= takes it); empty if unknown.")
    )
    date = serializers.DateField(
        allow_null=True, help_text=_("Its date (held, published or updated); null for none.")
    )


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("The kind, as ?kind= takes it."))
    label = serializers.CharField(help_text=_("The kind's name, in the language asked for."))
    count = serializers.IntegerField(
        help_text=_("Number of results of this kind, on every page (at most 1,000: see more).")
    )
    more = serializers.BooleanField(
        help_text=_(
            "More than `count` were found: the results are the most relevant of the 1,000 "
            "most recent. Add words or a filter to find the others."
        )
    )
    hits = SearchHitSerializer(
        many=True,
        help_text=_(
            "The most relevant results of this kind: the first five; with ?kind=, a page of "
            "twenty of that kind, none of the others."
        ),
    )


class SearchPageSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("This page's number, from 1."))
    count = serializers.IntegerField(help_text=_("Number of results of the kind asked for."))
    next = serializers.URLField(
        allow_null=True, help_text=_("Link to the next page; null on the last one.")
    )
    previous = serializers.URLField(
        allow_null=True, help_text=_("Link to the previous page; null on the first one.")
    )


@extend_schema_serializer(many=False)
class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField(
        help_text=_with(
            _("The words searched for: without NUL bytes, at most %(max)s characters."),
            max=MAX_QUERY,
        )
    )
    truncated = serializers.BooleanField(
        help_text=_with(
            _("The query was longer: only its first %(max)s characters were searched."),
            max=MAX_QUERY,
        )
    )
    fuzzy = serializers.BooleanField(
        help_text=_(
            "The words found nothing: these are the titles most alike, for a misspelt word "
            "(on PostgreSQL)."
        )
    )
    total = serializers.IntegerField(
        help_text=_("Number of results of every kind (with the filters but ?kind=).")
    )
    more = serializers.BooleanField(
        help_text=_("A kind had more results than its count: the total is a lower bound.")
    )
    groups = SearchGroupSerializer(
        many=True,
        help_text=_(
            "The kinds with results, in the portal's order, each with its count and its "
            "first results; with ?kind=, every kind still has its count, and only that "
            "kind its results."
        ),
    )
    page = SearchPageSerializer(
        allow_null=True,
        help_text=_("With ?kind=: this page of that kind's results; null without."),
    )


# --- The endpoint ------------------------------------------------------------------------


def _parameters() -> list[OpenApiParameter]:
    kinds = lazy(lambda: ", ".join(f"`{s.kind}` ({s.label})" for s in searchable_kinds()), str)()
    return [
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            required=True,
            description=_with(
                _(
                    "The words to find. On PostgreSQL each text is searched in its own language "
                    "(a word's other forms are found; quotes, `or` and `-word` work; Serbian in "
                    "either script); on SQLite each word's start must appear. At most %(max)s "
                    "characters are read; empty, no letter or digit, or fewer than %(min)s "
                    "characters is refused (400)."
                ),
                max=MAX_QUERY,
                min=MIN_QUERY,
            ),
        ),
        OpenApiParameter(
            "kind",
            OpenApiTypes.STR,
            enum=[s.kind for s in searchable_kinds()],
            description=_with(_("One kind only, paged with ?page=: %(kinds)s."), kinds=kinds),
        ),
        OpenApiParameter(
            "forum",
            OpenApiTypes.STR,
            description=_("One forum's results: its short name (slug) or its number."),
        ),
        OpenApiParameter(
            "language",
            OpenApiTypes.STR,
            enum=[code for code, _name in settings.LANGUAGES],
            description=_("Texts in this language only."),
        ),
        OpenApiParameter(
            "from",
            OpenApiTypes.DATE,
            description=_("Results dated on or after this day."),
        ),
        OpenApiParameter(
            "to",
            OpenApiTypes.DATE,
            description=_("Results dated on or before this day."),
        ),
        OpenApiParameter(
            "page",
            OpenApiTypes.INT,
            description=_("With ?kind=: the page of that kind's results, from 1."),
        ),
    ]


def _page_number(request) -> int:
    asked = request.query_params.get("page") or "1"
    if not (asked.isascii() and asked.isdigit() and int(asked[:20]) > 0):
        raise exceptions.ValidationError({"page": [_("Enter a whole number, at least 1.")]})
    if len(asked) > 18:  # beyond any page there is (and beyond what int() reads at once)
        raise exceptions.NotFound(_("No such page of the results."))
    return int(asked)


class SearchViewSet(viewsets.ViewSet):
    """The portal's search: what the one who asks may open, grouped by kind."""

    @extend_schema(
        operation_id="v1_search",
        summary=_("Search: everything, grouped by kind"),
        description=_(
            "The portal's search, as its page /search/ shows it: forums, workshops, "
            "contributions, reasoned responses, action plans, commitments, milestones, "
            "documents (their text too), events and organisations, grouped by kind in the "
            "portal's order with the number of results of each and the first five; ?kind= "
            "pages through one kind, twenty results a page. Only what the one who asks may "
            "open is found: anonymously, what is public; with a token, also what that member "
            "may see (a draft for its forum's secretariat). Titles and snippets are HTML "
            "with the words found in `<mark>`. A filter not accepted is refused (400) with "
            "the reason beside its name."
        ),
        parameters=_parameters(),
        responses=SearchResultsSerializer,
    )
    def list(self, request, format=None):
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(error) for error in errors] for name, errors in form.errors.items()}
            )
        text, cut = query_read(request.query_params.get("q", ""))
        refusal = query_refusal(text)
        if refusal:
            raise exceptions.ValidationError({"q": [refusal]})
        kind = form.cleaned_data["kind"]
        number = _page_number(request)  # read without `kind` too: a number, as documented
        results = selectors.search(
            text=text,
            user=request.user,
            filters=selectors.Filters(
                kind=kind,
                forum_id=form.forum_id(),
                language=form.cleaned_data["language"],
                date_from=form.cleaned_data["from"],
                date_to=form.cleaned_data["to"],
            ),
            page=number if kind else 1,
        )
        page = None
        if kind:
            page = self._page(request, results, number)
        slugs = {pk: slug for slug, pk in form.forum_ids.items()}
        data = {
            "query": text,
            "truncated": cut,
            "fuzzy": results.fuzzy,
            "total": results.total,
            "more": results.more,
            "groups": [
                {
                    "kind": group.kind,
                    "label": str(group.label),
                    "count": group.count,
                    "more": group.more,
                    "hits": [self._hit(request, hit, slugs) for hit in group.hits],
                }
                for group in results.groups
            ],
            "page": page,
        }
        return Response(SearchResultsSerializer(data).data)

    def _page(self, request, results, number: int) -> dict:
        count = next((g.count for g in results.shown), 0)
        shown = results.page
        if shown is None:  # nothing of any kind: one empty page
            if number != 1:
                raise exceptions.NotFound(_("No such page of the results."))
            return {"number": 1, "count": 0, "next": None, "previous": None}
        if shown.number != number:  # Paginator.get_page gave the last page instead
            raise exceptions.NotFound(_("No such page of the results."))
        url = request.build_absolute_uri()
        previous = None
        if shown.has_previous():
            previous = shown.previous_page_number()
            previous = (
                remove_query_param(url, "page")
                if previous == 1
                else replace_query_param(url, "page", previous)
            )
        return {
            "number": shown.number,
            "count": count,
            "next": replace_query_param(url, "page", shown.next_page_number())
            if shown.has_next()
            else None,
            "previous": previous,
        }

    def _hit(self, request, hit, slugs: dict) -> dict:
        forum = None
        if hit.forum_id is not None and hit.forum_id in slugs:
            forum = {"slug": slugs[hit.forum_id], "name": hit.forum_name}
        return {
            "kind": hit.kind,
            "title": str(hit.title),
            "snippet": str(hit.snippet),
            "url": request.build_absolute_uri(hit.url),
            "forum": forum,
            "language": hit.language,
            "date": hit.date,
        }
