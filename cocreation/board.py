"""The contribution board's rows, each rendered once and kept in the cache under a
fingerprint of everything it shows.

Rendering the board's rows was 85% of its time (profiled: 30 rows with their forms, 35 ms).
A row's HTML is a function of the contribution, what the selector read with it (author,
organisation, tags, response, commitments, comments, supports, reports), who looks (a
moderator, a member who may react), the language and the time zone: the fingerprint holds
all of these (core.fingerprints), so a row is never out of date, only rendered again when
one of them changes; nothing needs forgetting. The forms' CSRF tokens are rendered as a
placeholder and replaced with the visitor's own token. Redis down: every row is rendered,
as before.
"""

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from core.fingerprints import fingerprint, loaded_state

TEMPLATE = "cocreation/includes/contribution_item.html"
TTL = 60 * 60  # seconds: a row no page asks for any more leaves the cache
PLACEHOLDER = "csrf-token-placeholder-4b1d"  # the visitor's CSRF token, in kept rows


def board_rows(request, contributions, context: dict) -> list[str]:
    """The HTML of each of `contributions` (one page of the board), in order."""
    moderator = context["moderator"]
    shared = (
        translation.get_language(),
        timezone.get_current_timezone_name(),
        context["workshop"].pk,
        moderator,
        context["can_react"],
        # what a moderator's forms offer: the contributions to merge into
        tuple((target.pk, target.title) for target in context["merge_targets"])
        if moderator
        else (),
    )
    keys = [f"board-row:{fingerprint(shared, loaded_state(c))}" for c in contributions]
    kept = cache.get_many(keys)
    made = {}
    rows = []
    for key, contribution in zip(keys, contributions, strict=True):
        html = kept.get(key)
        if html is None:
            html = render_to_string(
                TEMPLATE, {**context, "contribution": contribution, "csrf_token": PLACEHOLDER}
            )
            made[key] = html
        rows.append(html)
    if made:
        cache.set_many(made, TTL)
    token = get_token(request)
    return [mark_safe(row.replace(PLACEHOLDER, token)) for row in rows]  # noqa: S308 -- rendered by the template
