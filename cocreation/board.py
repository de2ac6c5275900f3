"""The contribution board's rows, each rendered once and kept in the cache under a
fingerprint of everything it shows (core.fingerprints.kept_fragments).

Rendering the board's rows was 85% of its time (profiled: 30 rows with their forms, 35 ms).
A row's HTML is a function of the contribution, what the selector read with it (author,
organisation, tags, response, commitments, comments, supports, reports), who looks (a
moderator, a member who may react), the language and the time zone: the fingerprint holds
all of these, so a row is never out of date, only rendered again when one of them changes;
nothing needs forgetting. The forms' CSRF tokens are rendered as a placeholder and replaced
with the visitor's own token. Redis down: every row is rendered, as before.
"""

from django.template.loader import render_to_string

from core.fingerprints import csrf_placeholder, kept_fragments

TEMPLATE = "cocreation/includes/contribution_item.html"


def board_rows(request, contributions, context: dict) -> list[str]:
    """The HTML of each of `contributions` (one page of the board), in order."""
    moderator = context["moderator"]
    shared = (
        context["workshop"].pk,
        moderator,
        context["can_react"],
        # what a moderator's forms offer: the contributions to merge into
        tuple((target.pk, target.title) for target in context["merge_targets"])
        if moderator
        else (),
    )
    return kept_fragments(
        "board-row",
        contributions,
        lambda contribution: render_to_string(
            TEMPLATE, {**context, "contribution": contribution, "csrf_token": csrf_placeholder()}
        ),
        shared=shared,
        request=request,
    )
