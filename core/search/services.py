"""Keeping the index (SearchEntry) current: one row at a time after each commit
(core/search/signals.py), all of them with `manage.py search_rebuild`."""

import logging

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.search.models import SearchEntry
from core.search.registry import Document, Searchable, searchable_get, searchable_kinds
from core.search.text import clean, config_of, fold, one_line

logger = logging.getLogger(__name__)

TITLE_MAX = 300
BODY_MAX = 200_000  # characters of a body kept (a long PDF's text); PostgreSQL's tsvector
# holds at most 1 MB, and a snippet is found in the first of it

# title weight A, body weight B, each in its text's configuration; `simple` (Ukrainian,
# Polish, no language) over unaccent(...), as the query reads them.
_VECTOR_SQL = """
UPDATE search_searchentry SET vector =
  setweight(to_tsvector(config::regconfig,
    CASE WHEN config = 'simple' THEN unaccent(title) ELSE title END), 'A')
  || setweight(to_tsvector(config::regconfig,
    CASE WHEN config = 'simple' THEN unaccent(body) ELSE body END), 'B')
WHERE kind = %s AND object_id = ANY(%s)
"""


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _values(document: Document) -> dict:
    title = one_line(document.title)[:TITLE_MAX]
    body = clean(document.body)[:BODY_MAX]
    values = {
        "forum_id": document.forum_id,
        "language": document.language or "",
        "title": title,
        "body": body,
        "url": document.url[:500],
        "date": document.date,
        "config": config_of(document.language, f"{title}\n{body}"),
        "title_folded": "",
        "body_folded": "",
    }
    if not is_postgres():  # the embedded database matches the folded texts
        values["title_folded"] = fold(title)
        values["body_folded"] = fold(body)
    return values


def _vectors_update(kind: str, object_ids: list[int]) -> None:
    if object_ids and is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(_VECTOR_SQL, [kind, object_ids])


_FIELDS = [
    "public",
    "forum_id",
    "language",
    "title",
    "body",
    "url",
    "date",
    "config",
    "title_folded",
    "body_folded",
    "indexed_at",
]


def objects_index(*, searchable: Searchable, objects) -> int:
    """Index `objects` (rows of `searchable`'s model), in one statement: each row's
    document replaces its entry; a row whose document is None loses its entry. Returns how
    many were indexed."""
    kind = searchable.kind
    entries, dropped = [], []
    now = timezone.now()
    for obj in objects:
        document = searchable.document(obj)
        if document is None:
            dropped.append(obj.pk)
        else:
            entries.append(
                SearchEntry(kind=kind, object_id=obj.pk, indexed_at=now, **_values(document))
            )
    if entries:  # what anonymous visitors may open, by the kind's own rules (one query)
        public = set(
            searchable.visible(AnonymousUser())
            .filter(pk__in=[entry.object_id for entry in entries])
            .values_list("pk", flat=True)
        )
        for entry in entries:
            entry.public = entry.object_id in public
    with transaction.atomic():
        if dropped:
            SearchEntry.objects.filter(kind=kind, object_id__in=dropped).delete()
        if entries:
            SearchEntry.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=_FIELDS,
            )
            _vectors_update(kind, [entry.object_id for entry in entries])
    return len(entries)


def change_index(*, kind: str, pk=None, deleted: bool = False, parent=None) -> None:
    """After a commit: a row of `kind` saved or deleted, or a parent of its rows saved."""
    searchable = searchable_get(kind)
    if searchable is None:
        return
    if deleted:
        SearchEntry.objects.filter(kind=kind, object_id=pk).delete()
        return
    rows = searchable.all_rows()
    if parent is not None:
        lookup, parent_pk = parent
        rows = rows.filter(**{lookup: parent_pk})
    else:
        rows = rows.filter(pk=pk)
    try:
        objects_index(searchable=searchable, objects=rows)
    except Exception:  # the index must never fail the change that was made
        logger.exception("Could not index %s %s for search", kind, pk or parent)


def search_public_refresh() -> int:
    """Ask each kind's rules again whether anonymous visitors may open each entry's row (one
    UPDATE a kind): for what changed without a signal (a bulk update). Returns how many
    entries changed."""
    changed = 0
    anonymous = AnonymousUser()
    for searchable in searchable_kinds():
        public = Exists(searchable.visible(anonymous).order_by().filter(pk=OuterRef("object_id")))
        entries = SearchEntry.objects.filter(kind=searchable.kind)
        changed += entries.exclude(public=public).update(public=public)
        changed += entries.filter(public__isnull=True).update(public=public)
    return changed


def search_rebuild(*, kinds: list[str] | None = None, batch: int = 500) -> dict[str, int]:
    """Index every row of every registered kind (or of `kinds`) again and drop the entries
    whose rows are gone. Returns the number of entries per kind."""
    counts = {}
    for searchable in searchable_kinds():
        if kinds and searchable.kind not in kinds:
            continue
        seen = 0
        rows = searchable.all_rows().order_by("pk")
        last = 0
        while True:
            chunk = list(rows.filter(pk__gt=last)[:batch])
            if not chunk:
                break
            seen += objects_index(searchable=searchable, objects=chunk)
            last = chunk[-1].pk
        SearchEntry.objects.filter(kind=searchable.kind).exclude(
            object_id__in=searchable.model._default_manager.values("pk")
        ).delete()
        counts[searchable.kind] = seen
    if not kinds:  # kinds no app registers any more
        SearchEntry.objects.exclude(kind__in=[s.kind for s in searchable_kinds()]).delete()
    _pending_lists_clean()
    return counts


def _pending_lists_clean() -> None:
    """On PostgreSQL, the GIN indexes' pending lists merged into the indexes: the rows a
    rebuild wrote wait in a list that every search reads through until (auto)vacuum merges
    them (at the 10x benchmark's size, 8 ms more for each kind of each search)."""
    if not is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c JOIN pg_index i "
            "ON i.indexrelid = c.oid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = %s::regclass AND a.amname = 'gin'",
            [SearchEntry._meta.db_table],
        )
