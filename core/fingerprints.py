"""Fingerprints of what was loaded from the database, for HTML and JSON kept in the cache
under them (the rows of the contribution board, of the workshop and event lists, of the
API's lists): a kept fragment is a function of its fingerprint, so it is never out of date
and nothing needs forgetting. Rendering rows was most of a list page's time. What
a fragment shows must come from what its query loaded (the query-count tests keep it so):
something read by a query of its own while rendering would not be in the fingerprint."""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language


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


FRAGMENT_TTL = 60 * 60  # seconds: a fragment no page shows any more leaves the cache


def csrf_placeholder() -> str:
    """What stands for the visitor's CSRF token in kept HTML: derived from SECRET_KEY, so
    that nobody can write it into a contribution and have a reader's token put in its place
    (in a link, it would carry the token away)."""
    return (
        "csrf-"
        + salted_hmac("core.fingerprints.csrf", "placeholder", algorithm="sha256").hexdigest()[:32]
    )


def kept_fragments(
    name: str,
    items,
    render: Callable[[object], str],
    *,
    shared=(),
    request=None,
) -> list[str]:
    """The HTML of each of `items` (`render(item)`), kept in the cache under a fingerprint
    of the item's loaded state, the language, the time zone and `shared` (what else the
    HTML depends on: who looks, the page's other data); one cache read for all. What an
    item's HTML takes from the clock must be loaded with it (the workshop list annotates
    whether each workshop is over). With a `request`,
    the HTML was rendered with `csrf_placeholder()` as its CSRF token (a form in a kept
    fragment), replaced here with the visitor's own."""
    items = list(items)
    around = (name, get_language(), get_current_timezone_name(), shared)
    keys = [f"fragment:{name}:{fingerprint(around, loaded_state(item))}" for item in items]
    kept = cache.get_many(keys)
    made = {key: render(item) for key, item in zip(keys, items, strict=True) if key not in kept}
    if made:
        cache.set_many(made, FRAGMENT_TTL)
    fragments = [kept[key] if key in kept else made[key] for key in keys]
    # A page being kept whole (core.kept_pages) replaces the placeholder itself.
    if request is not None and not getattr(request, "_keeping_page", None):
        token = get_token(request)
        placeholder = csrf_placeholder()
        fragments = [fragment.replace(placeholder, token) for fragment in fragments]
    return [mark_safe(fragment) for fragment in fragments]  # noqa: S308 -- rendered by templates
