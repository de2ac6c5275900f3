"""Pages kept in the cache for the visitor who asked for them, until anything they may show
is written to the database (issue 22: a page computed again for each request was slow even
with flat queries).

A kept page is the whole answer of a GET view for one visitor (a member, or every
anonymous visitor alike), one address with its query, one language, one time zone, one
state of the page header (core.member_header's facts, which have their own cache) and
one *content generation*. Any INSERT, UPDATE or DELETE through Django's database
connection starts a new content generation (`writes_note`, installed on every connection),
bulk updates and raw SQL included, so a kept page is never behind a write: only the
session, the audit log and the notices, which no kept page shows (the header's notice count
is in its facts), leave the generation alone. A write in a transaction starts the new
generation when the transaction commits; until then the connection that wrote is served
only pages it computed itself after its latest write. What a page takes from the clock
alone ("registration closes in an hour") may be up to `TTL` seconds behind.

Not kept: an answer other than a 200 HTML or JSON page, a page with messages to show (the
messages are consumed when shown), a page that set a cookie, a long query string. The
CSRF token in kept forms is a placeholder (core.fingerprints.csrf_placeholder) replaced
with the visitor's own on every answer. With Redis down nothing is kept and every page is
computed, as before. `KEPT_PAGES = False` in the settings computes every page.

A page built only from what a worker stored (a forum's health report) may follow a
generation of its own instead (`kept_page(..., follows=...)`): it is then kept until that
generation changes, whatever else is written meanwhile, and its app starts a new one when
it stores a new version of what the page shows.
"""

import functools
import itertools
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from core.fingerprints import csrf_placeholder, fingerprint
from core.generations import generation_key

CONTENT = "page-content"
TTL = 60  # seconds: what a page takes from the clock alone is at most this late
LONGEST_QUERY = 512  # characters of query string: longer ones are computed, not kept

# What else a page varies with, registered by higher apps (the forum shell registers the
# header's facts): each is called with the request and returns something hashable by repr.
_variants: list[Callable] = []


def kept_page_variant_register(variant: Callable) -> None:
    if variant not in _variants:
        _variants.append(variant)


# --- The content generation: every write starts a new one ----------------------------------

# Tables whose rows no kept page shows: writing them leaves kept pages alone. The session,
# the audit log, the notices (the header's count of unread ones is in the header's facts).
_WRITES = ("INSERT", "UPDATE", "DELETE")


@functools.cache
def _unshown_tables() -> tuple[str, ...]:
    from django.apps import apps  # noqa: PLC0415 -- read once the models are loaded

    models = ("sessions.Session", "audit.AuditEntry", "notifications.Notification")
    return tuple(f'"{apps.get_model(model)._meta.db_table}"' for model in models)


def _writes_content(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    if head not in _WRITES:
        return False
    # The table a statement writes is named at its start (INSERT INTO "t", UPDATE "t",
    # DELETE FROM "t"); a subquery reading an unshown table does not make it unshown.
    first = sql[:120]
    return not any(table in first for table in _unshown_tables())


def _content_changed() -> None:
    cache.set(generation_key(CONTENT), time.time_ns(), None)


class _CommitBump:
    """A transaction's writes: when it commits, a new generation starts (what other
    connections kept meanwhile was read before the change). Until then its own connection
    reads kept pages only as it kept them itself since its last write (`_transaction_tag`):
    nothing else saw its uncommitted writes. One per transaction; no cache call per write."""

    _sequence = itertools.count()

    def __init__(self):
        self.transaction = next(self._sequence)
        self.writes = 0

    def __call__(self):
        _content_changed()


def _pending(connection) -> _CommitBump | None:
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _CommitBump):
            return entry[1]
    return None


def _transaction_tag(connection=None) -> tuple | None:
    """What a kept page depends on besides the generation: this connection's writes not yet
    committed (None when there are none, as for every GET in production)."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return None
    bump = _pending(connection)
    return None if bump is None else (bump.transaction, bump.writes)


def writes_note(execute, sql, params, many, context):
    """A database execute wrapper (installed by CoreConfig on every connection)."""
    result = execute(sql, params, many, context)
    if settings.KEPT_PAGES and _writes_content(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:  # committed as it ran
            _content_changed()
        else:
            bump = _pending(connection)
            if bump is None:
                bump = _CommitBump()
                transaction.on_commit(bump, using=connection.alias)
            bump.writes += 1
    return result


def writes_note_install(sender, connection, **kwargs) -> None:
    if writes_note not in connection.execute_wrappers:
        connection.execute_wrappers.append(writes_note)


def writes_note_install_all() -> None:
    for connection in connections.all(initialized_only=True):
        writes_note_install(None, connection)


# --- Keeping pages ---------------------------------------------------------------------------


def keeping(request) -> bool:
    """Whether `request`'s page is being computed to be kept: its CSRF token must then be
    the placeholder (core.fingerprints.kept_fragments leaves it in)."""
    return bool(getattr(request, "_keeping_page", None))


def csrf_context(request) -> dict:
    """A context processor: the placeholder for the CSRF token while a page is computed to
    be kept (after Django's own, which it overrides)."""
    return {"csrf_token": csrf_placeholder()} if keeping(request) else {}


def _keepable(request) -> bool:
    return (
        settings.KEPT_PAGES
        and request.method == "GET"
        and len(request.META.get("QUERY_STRING", "")) <= LONGEST_QUERY
        and not len(get_messages(request))  # shown once: such a page is not kept
    )


def _period() -> int:
    """What a page takes from the clock ("registration closes in an hour") is at most a TTL
    late: every page is computed again in each new period of the clock."""
    return int(timezone.now().timestamp() // TTL)


def _page_key(request, name: str, *, header: bool) -> str:
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else None
    parts = (
        name,
        who,
        request.get_full_path(),
        get_language(),
        get_current_timezone_name(),
        request.headers.get("HX-Request"),
        request.headers.get("Accept", "")[:100],  # the API's JSON or its browsable pages
        _period(),
        tuple(variant(request) for variant in _variants) if header else (),
    )
    return f"kept-page:{fingerprint(parts)}"


def _answer(request, status: int, headers: dict, body: str) -> HttpResponse:
    placeholder = csrf_placeholder()
    if placeholder in body:
        body = body.replace(placeholder, get_token(request))
    response = HttpResponse(body, status=status)
    for header, value in headers.items():
        response[header] = value
    return response


_KEPT_TYPES = ("text/html", "application/json")


def kept_answer(
    request, name: str, *, header: bool = True, follows: Callable | None = None
) -> HttpResponse | None:
    """The kept answer to `request`, or None: then the view computes it, with the CSRF
    placeholder, and hands it to `kept_answer_keep`. `header`: the page shows the header
    (an API answer does not). `follows(request)`: the name of the generation this answer
    follows instead of the content's (every write), or None for the content's."""
    if not _keepable(request):
        return None
    key = _page_key(request, name, header=header)
    generation = generation_key((follows(request) if follows else None) or CONTENT)
    held = cache.get_many([generation, key])
    version = (generation, held.get(generation, 0), _transaction_tag())
    entry = held.get(key)
    if entry is not None and entry[0] == version:
        return _answer(request, *entry[1:])
    request._keeping_page = (key, version)
    return None


def kept_answer_keep(request, response):
    """`response`, computed for `request` after `kept_answer` found none, kept if it may be
    and with the visitor's CSRF token in place of the placeholder."""
    keeping = getattr(request, "_keeping_page", None)
    if not keeping:
        return response
    request._keeping_page = None
    key, version = keeping
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith(_KEPT_TYPES)
        or len(get_messages(request))  # the view added a message
    ):
        return _restore_token(request, response)
    headers = {h: v for h, v in response.items() if h.lower() != "content-length"}
    body = response.content.decode(response.charset)
    if version[-1] is None or version[-1] == _transaction_tag():  # no write while computing
        cache.set(key, (version, response.status_code, headers, body), TTL)
    return _answer(request, response.status_code, headers, body)


def kept_page(name: str, *, header: bool = True, follows: Callable | None = None):
    """Keep the answers of a GET view (see the module's text); `name` tells pages apart.
    `header`: the page shows the portal's header (an answer in JSON does not, and is then
    kept alike whatever the header would show). `follows(request)`: the name of the
    generation the answer to `request` follows instead of every write's, when all it shows
    is what its app stored and starts a new generation of on each change; None for every
    write's."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            kept = kept_answer(request, name, header=header, follows=follows)
            if kept is not None:
                return kept
            try:
                response = view(request, *args, **kwargs)
            except BaseException:
                request._keeping_page = None
                raise
            return kept_answer_keep(request, response)

        return wrapper

    return decorate


def _restore_token(request, response):
    """An answer computed to be kept and then not kept: its placeholder becomes the token."""
    if response.streaming:
        return response
    placeholder = csrf_placeholder().encode()
    if placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response
