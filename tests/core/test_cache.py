"""The shared cache fails open: Redis down is a logged miss, never an error."""

import logging
import socket

import pytest
from django.conf import settings

from core import cache as fail_open
from core.cache import FailOpenRedisCache


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable():
    return FailOpenRedisCache(
        f"redis://127.0.0.1:{_closed_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
    )


def test_with_redis_down_a_read_is_a_miss_and_the_error_is_logged(unreachable, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert unreachable.get("counts", "computed again") == "computed again"

    assert "The cache (Redis) failed on get" in caplog.text
    assert unreachable.get_or_set("counts", lambda: 42) == 42
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("a") is False


def test_with_redis_down_writes_are_dropped_and_locks_are_granted(unreachable):
    assert unreachable.set("a", 1) is None
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    # allauth's rate limits take a lock with add(): it must not wait for a lock nobody holds.
    assert unreachable.add("lock", True) is True
    assert unreachable.delete("a") is False
    assert unreachable.delete_many(["a"]) is None
    assert unreachable.touch("a") is False
    assert unreachable.clear() is False
    with pytest.raises(ValueError, match="not found"):
        unreachable.incr("hits")


def test_after_a_failure_redis_is_left_alone_for_a_while(unreachable, monkeypatch, caplog):
    unreachable.get("a")
    caplog.clear()
    calls = []
    monkeypatch.setattr(
        fail_open.RedisCache, "get", lambda *args, **kwargs: calls.append(args) or "hit"
    )

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert unreachable.get("a") is None
    assert calls == []
    assert caplog.text == ""

    monkeypatch.setattr(fail_open, "RETRY_AFTER", 0)
    unreachable._down_until = 0
    assert unreachable.get("a") == "hit"


@pytest.mark.requires_redis
def test_with_redis_up_the_cache_works_as_usual():
    cache = FailOpenRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "forum-test-fail-open"})
    cache.set("answer", 42, timeout=30)

    assert cache.get("answer") == 42
    assert cache.add("answer", 0) is False
    assert cache.incr("answer") == 43
    cache.delete("answer")
    assert cache.get("answer") is None
