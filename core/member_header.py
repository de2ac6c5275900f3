"""What the page header shows a logged-in member on every page (unread notices, the links
their roles open, sign-offs awaiting them), computed once and kept in the cache briefly
instead of four or five queries on each page.

A member's entry is dropped when something it shows changes for that member (a notice
written or read, their roles, their account); changes that touch many members (a
commitment's status, a co-chair's seat, a sign-off, a workshop's facilitators) start a new
generation, which every entry carries, so that all are computed again. The time limit
bounds what a change made outside the services and signals (a bulk update) could leave.
With Redis down the cache answers nothing and the header is computed for each page."""

import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

TTL = 60  # seconds
GENERATION = "member-header:generation"


def _key(member_id: int) -> str:
    return f"member-header:{member_id}"


def member_header(member_id: int, compute: Callable[[], dict]) -> dict:
    held = cache.get_many([GENERATION, _key(member_id)])
    generation = held.get(GENERATION, 0)
    entry = held.get(_key(member_id))
    if entry is not None and entry[0] == generation:
        return entry[1]
    facts = compute()
    cache.set(_key(member_id), (generation, facts), TTL)
    return facts


# Dropped at once and again when the change is committed: a page computing the header
# meanwhile read the data as it was before the change, and may have kept that.


def member_header_forget(member_ids: Iterable[int]) -> None:
    keys = [_key(member_id) for member_id in member_ids if member_id is not None]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def member_headers_forget_all() -> None:
    cache.set(GENERATION, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(GENERATION, time.time_ns(), None))
