"""The shared cache in Redis, failing open: when Redis cannot be reached, a read is a miss
and a write is dropped, logged, and the request goes on.

Nothing the portal keeps in the cache is the only copy of anything (sessions live in the
database): counts are computed again, and rate limits (the API's throttles, allauth's log-in
limits) let requests through until Redis is back. After a failure the cache is not asked
again for `RETRY_AFTER` seconds, so that an unreachable host (which answers with a timeout,
not a refusal) costs a request one timeout, not one per cache call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 10.0  # seconds without asking Redis after it failed


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache; a Redis error is logged and answered as a miss."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError:
            self._failed(method)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as for a key that was not there: allauth's rate limits take a lock with
        # add() and would otherwise wait a second for a lock nobody holds.
        return self._call("add", True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        if time.monotonic() < self._down_until:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        try:
            return super().incr(key, delta, version)
        except RedisError:
            self._failed("incr")
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).") from None

    def clear(self):
        return self._call("clear", False)

    def _failed(self, method: str) -> None:
        logger.warning(
            "The cache (Redis) failed on %s: treated as a miss for %d seconds.",
            method,
            RETRY_AFTER,
            exc_info=True,
        )
        self._down_until = time.monotonic() + RETRY_AFTER
