"""Sections that the apps above members add to members' pages, so that members lists none
of them: a member's "My forum" (their workshops, contributions, commitments; the
secretariat's forum-health warnings), the facts on an organisation's page, and who takes
part in a forum beyond its body (for its composition). Each app registers its own in its
`sections.py`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class MyForumSection:
    template: str
    context: Callable  # context(request) -> dict, or None to leave the section out
    order: int


_my_forum: dict[str, MyForumSection] = {}
_organisation_facts: dict[str, Callable] = {}
_forum_participants: dict[str, Callable] = {}


def my_forum_section_register(*, key: str, template: str, order: int, context: Callable) -> None:
    """Add a section to "My forum": `context(request)` gives its template's variables, or
    None when the section does not concern this member."""
    _my_forum[key] = MyForumSection(template, context, order)


def my_forum_sections_render(request) -> list[SafeString]:
    """Each section of `request.user`'s "My forum", rendered, in order."""
    rendered = []
    for section in sorted(_my_forum.values(), key=lambda section: section.order):
        context = section.context(request)
        if context is not None:
            rendered.append(render_to_string(section.template, context, request=request))
    return rendered


def organisation_facts_register(*, key: str, facts: Callable) -> None:
    """Add facts to an organisation's page: `facts(organisation)` returns sentences."""
    _organisation_facts[key] = facts


def organisation_facts(organisation) -> list[str]:
    return [fact for facts in _organisation_facts.values() for fact in facts(organisation)]


def forum_participants_register(*, key: str, members: Callable) -> None:
    """Count people as taking part in a forum: `members(forum)` returns a queryset of the
    ids of the members who do (e.g. those with a confirmed seat in one of its workshops),
    used as a subquery, so the forum's composition costs the same queries however many
    apps register."""
    _forum_participants[key] = members


def forum_participant_querysets(forum) -> list:
    return [members(forum) for members in _forum_participants.values()]
