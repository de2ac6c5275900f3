"""The search itself: what `user` may open among the entries matching a query, grouped by
kind, in a fixed number of queries however many results there are.

Visibility is part of the query: each kind's entries are kept only when their row is in the
kind's `visible(user)` queryset (a subquery of the app's own rules), never filtered after.

On PostgreSQL the query is read by `websearch_to_tsquery` (never raw `to_tsquery`: any text
is a valid query) in each language's configuration and in `simple` over unaccent, ORed, so
that "δεδομένα" finds a text written "δεδομένων" whatever the reader's language; results are
ranked by `ts_rank` (titles above bodies) and highlighted by `ts_headline`. When the words
find nothing, the titles most alike by trigrams (pg_trgm) are offered instead: a misspelt
word or name. On SQLite each word (folded: lower case, without accents, its last letters
trimmed when long) must appear in the title or the text; titles rank first."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, F, FloatField, Func, Q, Value, When, Window
from django.db.models.functions import Left, RowNumber
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.search.models import SearchEntry
from core.search.registry import Searchable, search_forums, searchable_get, searchable_kinds
from core.search.services import is_postgres
from core.search.text import CONFIGS, SIMPLE, START, STOP, fold, words

PER_KIND = 5  # results of each kind on the page of every kind
PAGE_SIZE = 20  # results on a page of one kind
MAX_WORDS = 10  # words matched on SQLite (the rest are ignored)
SNIPPET = 240  # characters of a snippet on SQLite
# ts_headline parses the whole text it is given: a long PDF's snippet is looked for in its
# first characters only (its words are all searched; the snippet may then show the start).
HEADLINE_CHARS = 20_000


@dataclass
class Hit:
    kind: str
    title: str  # safe HTML: escaped, with <mark>
    snippet: str  # safe HTML: escaped, with <mark>
    url: str
    forum_id: int | None
    language: str
    date: date | None
    forum_name: str = ""


@dataclass
class Group:
    searchable: Searchable
    count: int
    hits: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.searchable.kind

    @property
    def label(self):
        return self.searchable.label


@dataclass
class Results:
    groups: list  # the kinds with results, in the registry's order, with their counts
    total: int
    page: object = None  # the Paginator page of the one kind asked for
    fuzzy: bool = False  # no word matched: these titles are alike
    kind: str = ""  # the one kind asked for

    @property
    def shown(self) -> list:
        """The groups the page lists: every kind's, or the one asked for."""
        return [g for g in self.groups if not self.kind or g.kind == self.kind]


@dataclass
class Filters:
    kind: str = ""
    forum_id: int | None = None
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None


# --- Matching ------------------------------------------------------------------------------


def _unaccent(value):
    return Func(value, function="unaccent")


def tsquery(text: str):
    """The query in every configuration the index uses, ORed (websearch syntax: quotes,
    `or`, `-word`; anything else is read as words, never an error)."""
    query = SearchQuery(_unaccent(Value(text)), config=SIMPLE, search_type="websearch")
    for config in sorted(set(CONFIGS.values())):
        query |= SearchQuery(text, config=config, search_type="websearch")
    return query


def _stem(word: str) -> str:
    """A long word without its last letters, so that a few of its forms find each other on
    SQLite ("contratação" finds "contratações")."""
    if len(word) >= 7:
        return word[:-2]
    if len(word) >= 5:
        return word[:-1]
    return word


def _stems(text: str) -> list[str]:
    return [_stem(word) for word in words(text)[:MAX_WORDS]]


def _sqlite_match(text: str) -> tuple[Q, Case]:
    stems = _stems(text)
    match = Q()
    in_title = Q()
    for stem in stems:
        match &= Q(title_folded__contains=stem) | Q(body_folded__contains=stem)
        in_title &= Q(title_folded__contains=stem)
    rank = Case(When(in_title, then=Value(2.0)), default=Value(1.0), output_field=FloatField())
    return match, rank


class _WordSimilar(Func):
    """`text <% title`: a word of the title is alike (pg_trgm's word_similarity above its
    threshold, 0.6 unless set), answered from the title's trigram index."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _visible(user, kinds: list[Searchable]) -> Q:
    visible = Q(pk__in=[])
    for searchable in kinds:
        visible |= Q(kind=searchable.kind, object_id__in=searchable.visible(user).values("pk"))
    return visible


def _filtered(queryset, filters: Filters):
    if filters.forum_id is not None:
        queryset = queryset.filter(forum_id=filters.forum_id)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.date_from:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    return queryset


# --- Highlighting --------------------------------------------------------------------------


def marked(text: str) -> str:
    """`text` (with the highlight's marks of ts_headline) as safe HTML: everything escaped,
    then the marks, which no indexed text contains, become <mark>."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):  # a fragment cut inside a mark
        html = escape(text.replace(START, "").replace(STOP, ""))
    return mark_safe(html)  # noqa: S308 -- escaped above; only our own <mark> added


def _python_marked(text: str, stems: list[str], *, around: bool, folded: str = "") -> str:
    """The embedded database's highlight: each place where a word starts with one of
    `stems` (folded) marked; for a body, a window of text around the first of them.
    `folded`: fold(text), when it is at hand (one character for each of `text`)."""
    if not stems:  # titles alike by trigrams (PostgreSQL): nothing to mark
        end = SNIPPET if around else len(text)
        return mark_safe(escape(text[:end]) + (" …" if len(text) > end else ""))  # noqa: S308
    folded = folded if len(folded) == len(text) else fold(text)
    spans = []
    for stem in stems:
        if not stem:
            continue
        start = folded.find(stem)
        while start != -1:
            stop = start + len(stem)
            while stop < len(folded) and folded[stop].isalnum():  # to the end of the word
                stop += 1
            spans.append((start, stop))
            start = folded.find(stem, stop)
    spans.sort()
    if around:
        first = spans[0][0] if spans else 0
        begin = max(0, first - SNIPPET // 3)
        end = min(len(text), begin + SNIPPET)
    else:
        begin, end = 0, len(text)
    pieces, cursor = [], begin
    for start, stop in spans:
        if start < cursor or stop > end:
            continue
        pieces.append(escape(text[cursor:start]))
        pieces.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    pieces.append(escape(text[cursor:end]))
    html = "".join(pieces)
    if around and begin > 0:
        html = "… " + html
    if around and end < len(text):
        html += " …"
    return mark_safe(html)  # noqa: S308 -- every piece escaped


_START_STOP = {"start_sel": START, "stop_sel": STOP}
_HEADLINE_OPTIONS = {
    **_START_STOP,
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}


# --- The search ----------------------------------------------------------------------------


class _Counted:
    """A queryset whose count is already known (from the counts per kind), for Paginator."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, item):
        return self.queryset[item]


def search(*, text: str, user, filters: Filters | None = None, page=1) -> Results:
    """The entries matching `text` that `user` may open, with `filters`, grouped by kind:
    the counts of every kind, and the first PER_KIND of each, or, with `filters.kind`, a
    page of PAGE_SIZE of that kind."""
    filters = filters or Filters()
    kinds = searchable_kinds()
    by_kind = {s.kind: s for s in kinds}
    base = _filtered(SearchEntry.objects.filter(_visible(user, kinds)), filters)
    postgres = is_postgres()
    stems = [] if postgres else _stems(text)
    if postgres:
        query = tsquery(text)
        matched = base.filter(vector=query).annotate(
            rank=SearchRank(F("vector"), query, weights=[0.1, 0.2, 0.4, 1.0])
        )
    else:
        match, rank = _sqlite_match(text)
        matched = base.filter(match).annotate(rank=rank)
    counts = _counts(matched)
    fuzzy = False
    if not counts and postgres:  # nothing found: titles alike, for a misspelt word
        matched = base.filter(_WordSimilar(Value(text), F("title"))).annotate(
            rank=TrigramWordSimilarity(Value(text), "title")
        )
        counts = _counts(matched)
        fuzzy = bool(counts)
    groups = [Group(searchable=by_kind[k], count=n) for k, n in counts.items() if k in by_kind]
    groups.sort(key=lambda g: (g.searchable.order, g.kind))
    results = Results(
        groups=groups, total=sum(g.count for g in groups), fuzzy=fuzzy, kind=filters.kind
    )
    if not groups:
        return results
    order = [F("rank").desc(), F("date").desc(nulls_last=True), F("pk").desc()]
    if filters.kind:
        chosen = matched.filter(kind=filters.kind).order_by(*order).values_list("pk", flat=True)
        paginator = Paginator(_Counted(chosen, counts.get(filters.kind, 0)), PAGE_SIZE)
        results.page = paginator.get_page(page)
        pks = list(results.page.object_list)
    else:
        pks = list(
            matched.annotate(
                row=Window(RowNumber(), partition_by=F("kind"), order_by=order),
            )
            .filter(row__lte=PER_KIND)
            .values_list("pk", flat=True)
        )
    hits = _hits(pks, query=None if fuzzy or not postgres else query, stems=stems)
    for hit in hits:
        for group in groups:
            if group.kind == hit.kind:
                group.hits.append(hit)
    if results.page is not None:
        results.page.object_list = hits
    return results


def _counts(matched) -> dict[str, int]:
    return dict(
        matched.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )


def _hits(pks: list[int], *, query, stems: list[str]) -> list[Hit]:
    """The entries `pks`, in that order, with their highlights and their forums' names (two
    queries)."""
    if not pks:
        return []
    rows = SearchEntry.objects.filter(pk__in=pks)
    fields = ["pk", "kind", "title", "url", "forum_id", "language", "date"]
    if query is not None:
        rows = rows.annotate(
            title_marked=SearchHeadline(
                "title", query, config=F("config"), highlight_all=True, **_START_STOP
            ),
            body_marked=SearchHeadline(
                Left("body", HEADLINE_CHARS), query, config=F("config"), **_HEADLINE_OPTIONS
            ),
        )
        fields += ["title_marked", "body_marked"]
    else:
        rows = rows.annotate(
            body_start=Left("body", HEADLINE_CHARS),
            folded_start=Left("body_folded", HEADLINE_CHARS),
        )
        fields += ["body_start", "folded_start"]
    found = {row["pk"]: row for row in rows.values(*fields)}
    hits = []
    for pk in pks:
        row = found.get(pk)
        if row is None:
            continue
        if query is not None:
            title, snippet = marked(row["title_marked"]), marked(row["body_marked"])
        else:
            title = _python_marked(row["title"], stems, around=False)
            snippet = _python_marked(
                row["body_start"], stems, around=True, folded=row["folded_start"]
            )
        hits.append(
            Hit(
                kind=row["kind"],
                title=title,
                snippet=snippet,
                url=row["url"],
                forum_id=row["forum_id"],
                language=row["language"],
                date=row["date"],
            )
        )
    forums = search_forums()
    ids = {hit.forum_id for hit in hits if hit.forum_id is not None}
    if forums is not None and ids:
        names = dict(forums.filter(pk__in=ids).values_list("pk", "name"))
        for hit in hits:
            hit.forum_name = names.get(hit.forum_id, "")
    return hits


def matching_entries(*, kind: str, text: str, user):
    """The entries of `kind` matching `text` that `user` may open, as `search` matches them
    (its words only: no titles alike), each with its `rank`: for a subquery, e.g. the API's
    `?search=` on a list of that kind (core.api_filters), which keeps the rows whose id is
    in `.values("object_id")`. None for a kind no app registered."""
    searchable = searchable_get(kind)
    if searchable is None:
        return SearchEntry.objects.none()
    base = SearchEntry.objects.filter(_visible(user, [searchable]))
    if is_postgres():
        query = tsquery(text)
        return base.filter(vector=query).annotate(
            rank=SearchRank(F("vector"), query, weights=[0.1, 0.2, 0.4, 1.0])
        )
    match, rank = _sqlite_match(text)
    return base.filter(match).annotate(rank=rank)
