"""What can be found, declared by the apps that own it (each in its own `searchable.py`,
imported by core when the apps are ready): core never imports the apps above it.

A registration gives a kind (its key, its label for people, its place on the results page),
the model, `document(row)`, which says what the index keeps of a row (title, body, language,
forum, date, address) or None when the row is not to be found at all, and `visible(user)`, a
queryset of the rows `user` may open, built from the app's own permission predicates and
selectors: the search filters the index with it inside the query (a subquery), so that what
a page would refuse is never found, and a search costs the same queries however many
results it has.

`parents` names the models whose changes change this kind's documents (a workshop's
language or forum is its contributions'), with the lookup from this kind's rows to them and
the parent's fields the documents read: {Workshop: ("workshop", {"language", "process"})}
re-indexes `Contribution.objects.filter(workshop=<the workshop>)` after a workshop's save,
unless the save named its `update_fields` and none of those. The fields must include those
`visible` reads for anonymous visitors (a workshop's status, for its contributions): the
index keeps whether they may open each row (SearchEntry.public)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class Document:
    """What the index keeps of one row."""

    title: str
    body: str
    url: str
    language: str = ""
    forum_id: int | None = None
    date: datetime.date | None = None


@dataclass(frozen=True)
class Searchable:
    kind: str
    label: str  # plural, lazily translated: "Contributions"
    model: type[models.Model]
    document: Callable[[models.Model], Document | None]
    visible: Callable[[object], models.QuerySet]
    order: int = 100
    rows: Callable[[], models.QuerySet] | None = None  # what a rebuild reads (select_related)
    parents: dict = field(default_factory=dict)

    def all_rows(self) -> models.QuerySet:
        return self.rows() if self.rows else self.model._default_manager.all()


_kinds: dict[str, Searchable] = {}
_forums: list[Callable] = []


def searchable_register(
    *,
    kind: str,
    label,
    model: type[models.Model],
    document: Callable,
    visible: Callable,
    order: int = 100,
    rows: Callable | None = None,
    parents: dict | None = None,
) -> Searchable:
    """Make `model`'s rows findable as `kind` (see the module's docstring)."""
    searchable = Searchable(
        kind=kind,
        label=label,
        model=model,
        document=document,
        visible=visible,
        order=order,
        rows=rows,
        parents=parents or {},
    )
    _kinds[kind] = searchable
    from core.search import signals  # noqa: PLC0415 -- signals reads this registry

    signals.connect(searchable)
    return searchable


def searchable_kinds() -> list[Searchable]:
    return sorted(_kinds.values(), key=lambda s: (s.order, s.kind))


def searchable_get(kind: str) -> Searchable | None:
    return _kinds.get(kind)


def searchable_of(model: type[models.Model]) -> list[Searchable]:
    model = model._meta.concrete_model
    return [s for s in _kinds.values() if s.model is model]


def search_forums_register(forums: Callable[[], models.QuerySet]) -> None:
    """The forums results name and the filter offers: a queryset with `pk`, `slug` and
    `name` (members registers it; core does not know the model)."""
    _forums[:] = [forums]


def search_forums() -> models.QuerySet | None:
    return _forums[0]() if _forums else None
