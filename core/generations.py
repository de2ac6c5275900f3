"""Values kept in the cache under a generation: a change that may touch any of them starts
a new generation (`generation_bump`), and every value kept under an older one is computed
again when next asked for. Each value also has a time limit, which bounds what a change
made outside the services and signals (a bulk update) could leave. With Redis down the
cache answers nothing and each value is computed every time."""

import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction


def generation_key(name: str) -> str:
    """The cache key of `name`'s generation."""
    return f"generation:{name}"


def _key(name: str, key) -> str:
    return f"{name}:{key}"


def generation_cached(name: str, key, compute: Callable[[], object], ttl: int):
    """The value of `compute()` kept for `ttl` seconds under `name` and `key`, or until
    `name`'s generation changes or the key is forgotten."""
    held = cache.get_many([generation_key(name), _key(name, key)])
    generation = held.get(generation_key(name), 0)
    entry = held.get(_key(name, key))
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    cache.set(_key(name, key), (generation, value), ttl)
    return value


# Dropped at once and again when the change is committed: a page computing the value
# meanwhile read the data as it was before the change, and may have kept that.


def generation_forget(name: str, keys: Iterable) -> None:
    """Forget the values of `keys` only."""
    names = [_key(name, key) for key in keys if key is not None]
    if names:
        cache.delete_many(names)
        transaction.on_commit(lambda: cache.delete_many(names))


def generation_bump(name: str) -> None:
    """Forget every value kept under `name`."""
    cache.set(generation_key(name), time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(generation_key(name), time.time_ns(), None))
