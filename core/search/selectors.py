"""The search itself: what `user` may open among the entries matching a query, grouped by
kind, in a fixed number of queries however many results there are.

Visibility is part of the query: each kind's entries are kept only when anonymous visitors
may open their row (`public`, kept by the indexing with the kind's own rules) or, for a
member, when the row is in the kind's `visible(user)` queryset (a subquery of the app's own
rules, asked for each entry that is not public), never filtered after.

On PostgreSQL the query is read by `websearch_to_tsquery` (never raw `to_tsquery`: any text
is a valid query) in each language's configuration and in `simple` over unaccent, ORed, so
that "δεδομένα" finds a text written "δεδομένων" whatever the reader's language; results are
ranked by `ts_rank` (titles above bodies) and highlighted by `ts_headline`. When the words
find nothing, the titles most alike by trigrams (pg_trgm) are offered instead: a misspelt
word or name. On SQLite each word (folded: lower case, without accents, its last letters
trimmed when long) must appear in the title or the text; titles rank first.

Each kind is looked at no further than its CAP most recent matches (an index on kind and
date, each entry checked for visibility as it comes): a kind with more says "more than
1000", and what is listed of it are the best ranked of those. Without it, a common word's
search matched, checked and ranked every row of the index (at the 10x benchmark's size,
28,000 rows and about a quarter of a second of the database's time for each search;
benchmarks/search.py)."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import BooleanField, Case, Expression, F, FloatField, Func, Q, Value, When
from django.db.models.functions import Cast, Left
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.search.models import SearchEntry
from core.search.registry import Searchable, search_forums, searchable_get, searchable_kinds
from core.search.services import is_postgres
from core.search.text import CONFIGS, SIMPLE, START, STOP, fold, words

PER_KIND = 5  # results of each kind on the page of every kind
PAGE_SIZE = 20  # results on a page of one kind
# Matches of one kind looked at, the most recent first: a kind with more says "more than
# 1000", and its results are the best ranked of its 1,000 most recent matches. Without a cap
# a common word (every contribution of a large forum) was matched, checked for visibility
# and ranked in every row of the index on each search: 0.3 s at the 10x benchmark's size.
CAP = 1000
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
    count: int  # at most CAP
    hits: list = field(default_factory=list)
    more: bool = False  # more than `count` (CAP) were found

    @property
    def kind(self) -> str:
        return self.searchable.kind

    @property
    def count_label(self) -> str:
        return _count_label(self.count, more=self.more)

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
    def more(self) -> bool:
        """A kind had more than CAP results: `total` is then a lower bound."""
        return any(g.more for g in self.groups)

    @property
    def total_label(self) -> str:
        return _count_label(self.total, more=self.more)

    @property
    def shown(self) -> list:
        """The groups the page lists: every kind's, or the one asked for."""
        return [g for g in self.groups if not self.kind or g.kind == self.kind]


def _count_label(count: int, *, more: bool) -> str:
    return gettext("more than %(count)s") % {"count": count} if more else str(count)


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


class _Matches(Func):
    """`vector @@ query`."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _prepared(text: str) -> tuple[str, bool]:
    """Before the search, in its transaction: the query (`tsquery(text)`) computed once, as
    the text of a tsquery, which the search then repeats as a constant (in each kind's part,
    its rank and its highlights): computed in the search itself, unaccent (not IMMUTABLE) was
    called and the query parsed again for every row matched. Whether any entry at all
    matches (the index answers; a misspelt word then goes straight to the titles alike).
    And no JIT compilation for the search (a few milliseconds of work whose estimated cost,
    the sum of the kinds' parts, made PostgreSQL spend 100 ms and more compiling it)."""
    expression = tsquery(text)
    compiler = SearchEntry.objects.none().query.get_compiler(connection=connection)
    sql, params = expression.resolve_expression(compiler.query).as_sql(compiler, connection)
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT set_config('jit', 'off', true), ({sql})::text, "  # noqa: S608 -- compiled by Django
            f"EXISTS (SELECT 1 FROM {table} WHERE vector @@ ({sql}))",
            [*params, *params],
        )
        _jit, query, matched = cursor.fetchone()
    return query, matched


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


class _Visible(Expression):
    """The entry's row is among `rows` (a kind's `visible(user)`): `EXISTS (SELECT 1 FROM
    (<rows>) v WHERE v.pk = <entry>.object_id OFFSET 0)`, checked for each entry looked at
    (by the rows' primary key), never computed for every row of the kind. The OFFSET keeps
    PostgreSQL from turning it into a join, which builds the whole set first (20,000
    contributions at 10x) even when the search stops at its first CAP matches."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, rows):
        super().__init__()
        self.rows = rows.order_by().values("pk")  # no model's ordering to sort by

    def as_sql(self, compiler, connection):
        sql, params = self.rows.query.get_compiler(connection=connection).as_sql()
        alias = compiler.query.get_initial_alias()
        table = compiler.quote_name_unless_alias(alias)
        column = f"{table}.{connection.ops.quote_name('object_id')}"
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        # the rows' SQL as Django compiled it, its values in `params`
        return f"EXISTS (SELECT 1 FROM ({sql}) v WHERE v.pk = {column}{fence})", params  # noqa: S608


def _may_open(searchable: Searchable, user) -> Q:
    """The entries `user` may open: those anonymous visitors may (`public`, as indexed),
    and for a member the others their rules allow (checked one by one, _Visible). Whatever
    anonymous visitors may open, members may too."""
    if user is not None and user.is_authenticated:
        rows = searchable.visible(user)
        if not rows.query.where and not rows.query.distinct:  # every row: nothing to check
            return Q()
        return Q(public=True) | _Visible(rows)
    return Q(public=True)


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
    the counts of every kind (up to CAP), and the first PER_KIND of each, or, with
    `filters.kind`, a page of PAGE_SIZE of that kind. On PostgreSQL one query reads the
    words (_prepared); then one finds the counts and the entries (of the titles alike
    instead when no word matched; once more when the page asked for is past the last), one
    their highlights, one their forums' names, however many results there are."""
    filters = filters or Filters()
    kinds = searchable_kinds()
    postgres = is_postgres()
    stems = [] if postgres else _stems(text)
    number = _page_number(page) if filters.kind else 1
    with transaction.atomic():  # the settings of _prepared hold until its end
        matched = True
        if postgres:
            prepared, matched = _prepared(text)
            query = Cast(Value(prepared), SearchQueryField())
            match = _Matches(F("vector"), query)
            rank = SearchRank(F("vector"), query, weights=[0.1, 0.2, 0.4, 1.0])
        else:
            match, rank = _sqlite_match(text)
        found = _found(user, kinds, filters, match, rank, number) if matched else {}
        fuzzy = False
        if not found and postgres:  # nothing found: titles alike, for a misspelt word
            match = _WordSimilar(Value(text), F("title"))
            rank = TrigramWordSimilarity(Value(text), "title")
            _alike_by_index()
            found = _found(user, kinds, filters, match, rank, number, recent=False)
            fuzzy = bool(found)
        if filters.kind and filters.kind in found:
            paginator = Paginator(_Counted(None, min(found[filters.kind][0], CAP)), PAGE_SIZE)
            if number > paginator.num_pages:  # past the last page: the last, as get_page
                number = paginator.num_pages
                found = _found(user, kinds, filters, match, rank, number, recent=not fuzzy)
    by_kind = {s.kind: s for s in kinds}
    groups = [
        Group(searchable=by_kind[k], count=min(n, CAP), more=n > CAP)
        for k, (n, _pks) in found.items()
        if k in by_kind
    ]
    groups.sort(key=lambda g: (g.searchable.order, g.kind))
    results = Results(
        groups=groups, total=sum(g.count for g in groups), fuzzy=fuzzy, kind=filters.kind
    )
    if not groups:
        return results
    if filters.kind:
        count = min(found.get(filters.kind, (0, []))[0], CAP)
        paginator = Paginator(_Counted(None, count), PAGE_SIZE)
        results.page = Page([], min(number, paginator.num_pages), paginator)
        pks = found.get(filters.kind, (0, []))[1]
    else:
        pks = [pk for group in groups for pk in found[group.kind][1]]
    hits = _hits(pks, query=None if fuzzy or not postgres else query, stems=stems)
    for hit in hits:
        for group in groups:
            if group.kind == hit.kind:
                group.hits.append(hit)
    if results.page is not None:
        results.page.object_list = hits
    return results


def _page_number(page) -> int:
    """The page asked for, as Paginator.get_page reads it: 1 when it is not a number; no
    further than the last page CAP results can fill."""
    try:
        return min(max(int(page), 1), -(-CAP // PAGE_SIZE))
    except (TypeError, ValueError):
        return 1


_FOUND = (
    "SELECT r.e_id, r.e_kind, r.n, r.row_n FROM (SELECT c.e_id, c.e_kind, "
    "COUNT(*) OVER (PARTITION BY c.e_kind) AS n, ROW_NUMBER() OVER (PARTITION BY "
    "c.e_kind ORDER BY c.e_rank DESC, c.e_date DESC NULLS LAST, c.e_id DESC) AS row_n "
    "FROM ({arms}) c) r WHERE {shown} ORDER BY r.e_kind, r.row_n"
)


def _alike_by_index() -> None:
    """For the titles alike, in the search's transaction: each kind's matches are read
    through its own trigram index (core/search/migrations/0005), never by walking its
    entries in date order. PostgreSQL cannot tell how many titles a misspelt word is alike
    and walked every milestone and event (24 and 16 ms at 10x) looking for a first one."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")


def _found(user, kinds, filters: Filters, match, rank, number: int, recent=True) -> dict:
    """{kind: (matches, [the ids shown, in order])}, in one query: for each kind, its
    CAP + 1 most recent matching entries that `user` may open (an index on kind and date,
    checked for visibility one by one, stops there), ranked; the counts per kind and the
    ids of the first PER_KIND of each kind, or of page `number` of `filters.kind`, are
    taken from them with window functions. Not `recent`: the first CAP + 1 matches the
    index gives, whatever their dates (titles alike: their likeness ranks them)."""
    order = [F("date").desc(nulls_last=True), F("pk").desc()] if recent else []
    arms, params = [], []
    for searchable in kinds:
        arm = (
            _filtered(SearchEntry.objects.filter(match, kind=searchable.kind), filters)
            .filter(_may_open(searchable, user))
            .annotate(e_id=F("pk"), e_kind=F("kind"), e_date=F("date"), e_rank=rank)
            .order_by(*order)
            .values("e_id", "e_kind", "e_date", "e_rank")[: CAP + 1]
        )
        sql, arm_params = arm.query.sql_with_params()
        arms.append(f"SELECT * FROM ({sql}) a{len(arms)}")  # noqa: S608 -- compiled by Django
        params += arm_params
    low = (number - 1) * PAGE_SIZE
    if filters.kind:
        shown = "r.row_n = 1 OR (r.e_kind = %s AND r.row_n > %s AND r.row_n <= %s)"
        params += [filters.kind, low, min(low + PAGE_SIZE, CAP)]
    else:
        shown = "r.row_n <= %s"
        params.append(min(PER_KIND, CAP))
    # The arms compiled by Django, every value a parameter.
    sql = _FOUND.format(arms=" UNION ALL ".join(arms), shown=shown)
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, kind, n, row in cursor.fetchall():
            _n, pks = found.setdefault(kind, (n, []))
            # with a kind asked for, the other kinds' first rows (and its own, on a later
            # page) only carry their counts
            if not filters.kind or (kind == filters.kind and row > low):
                pks.append(pk)
    return found


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


class _Once(Func):
    """`(SELECT <expression>)`: an uncorrelated subquery, which PostgreSQL computes once for
    the whole statement (the query's unaccent, which is not IMMUTABLE, was otherwise called
    and the query parsed again for every row)."""

    template = "(SELECT %(expressions)s)"
    output_field = SearchQueryField()


def matching_entries(*, kind: str, text: str, user):
    """The entries of `kind` matching `text` that `user` may open, as `search` matches them
    (its words only: no titles alike), each with its `rank`, for a subquery, e.g. the API's
    `?search=` on a list of that kind (core.api_filters), which keeps the rows whose id is
    in `recent_matches(<these>)` and reads each one's rank here. None for a kind no app
    registered."""
    searchable = searchable_get(kind)
    if searchable is None:
        return SearchEntry.objects.none()
    base = SearchEntry.objects.filter(_may_open(searchable, user), kind=kind)
    if is_postgres():
        query = _Once(tsquery(text))
        found = base.filter(_Matches(F("vector"), query)).annotate(
            rank=SearchRank(F("vector"), query, weights=[0.1, 0.2, 0.4, 1.0])
        )
    else:
        match, rank = _sqlite_match(text)
        found = base.filter(match).annotate(rank=rank)
    return found


def recent_matches(entries):
    """The ids of the rows of the CAP most recent of `entries` (matching_entries), as the
    search page looks at no more of a kind: without the cap a common word ranked every
    matching row for each page of a list (1.3 s for the contributions of the 10x benchmark)."""
    return entries.order_by(F("date").desc(nulls_last=True), F("pk").desc()).values("object_id")[
        :CAP
    ]
