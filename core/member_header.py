"""What the page header shows a logged-in member on every page (unread notices, the links
their roles open, sign-offs awaiting them), computed once and kept in the cache briefly
instead of four or five queries on each page (core.generations).

A member's entry is forgotten when something it shows changes for that member (a notice
written or read, their roles, their account); changes that touch many members (a
commitment's status, a co-chair's seat, a sign-off, a workshop's facilitators) start a new
generation, so that all are computed again."""

from collections.abc import Callable, Iterable

from core.generations import generation_bump, generation_cached, generation_forget

NAME = "member-header"
TTL = 60  # seconds


def member_header(member_id: int, compute: Callable[[], dict]) -> dict:
    return generation_cached(NAME, member_id, compute, TTL)


def member_header_forget(member_ids: Iterable[int]) -> None:
    generation_forget(NAME, member_ids)


def member_headers_forget_all() -> None:
    generation_bump(NAME)
