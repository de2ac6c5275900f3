"""Fingerprints of what was loaded from the database, for HTML and JSON kept in the cache
under them (the contribution board's rows, the API's list rows): a kept fragment is a
function of its fingerprint, so it is never out of date and nothing needs forgetting. What
a fragment shows must come from what its query loaded (the query-count tests keep it so):
something read by a query of its own while rendering would not be in the fingerprint."""

import hashlib


def loaded_state(instance, seen=frozenset()) -> tuple:
    """Everything loaded with a model instance: its fields and annotations, the related
    objects read with it (select_related) and the lists prefetched for it, recursively (an
    object already on the way down, such as a milestone's own commitment, is named by its
    key only)."""
    seen = seen | {id(instance)}

    def other(obj):
        if obj is None or id(obj) in seen:
            return obj is not None and (type(obj).__name__, obj.pk)
        return loaded_state(obj, seen)

    values = tuple(
        (name, value) for name, value in instance.__dict__.items() if not name.startswith("_")
    )
    related = tuple((name, other(obj)) for name, obj in instance._state.fields_cache.items())
    prefetched = tuple(
        (name, tuple(other(item) for item in items))
        for name, items in getattr(instance, "_prefetched_objects_cache", {}).items()
    )
    return (type(instance).__name__, values, related, prefetched)


def fingerprint(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
