"""The index follows every path that changes a registered row (its services, the back
office, the admin, the demo data): it listens to the rows' saves and deletions, as health's
stored reports do (health/stored.py). A save asks for its row to be indexed once the
transaction commits (core/search/services.py); a transaction that rolls back leaves the
index as it was. A save of a parent (a workshop, for its contributions' forum and language)
re-indexes its children after the commit."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

_paused = ContextVar("search_index_paused", default=False)


@contextmanager
def index_paused():
    """Saves inside index nothing: for a loader that rebuilds the whole index afterwards
    (the demo data: 500 rows indexed one by one after its commit, then all again)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _after_commit(**change) -> None:
    if _paused.get():
        return

    def run():
        from core.search.services import change_index  # noqa: PLC0415 -- services reads the registry

        change_index(**change)

    transaction.on_commit(run)


def connect(searchable) -> None:
    kind = searchable.kind

    def saved(sender, instance, raw=False, **kwargs):
        if not raw:
            _after_commit(kind=kind, pk=instance.pk)

    def deleted(sender, instance, **kwargs):
        _after_commit(kind=kind, pk=instance.pk, deleted=True)

    post_save.connect(saved, sender=searchable.model, weak=False, dispatch_uid=f"search-{kind}")
    post_delete.connect(
        deleted, sender=searchable.model, weak=False, dispatch_uid=f"search-drop-{kind}"
    )
    for parent, (lookup, fields) in searchable.parents.items():

        def parent_saved(
            sender, instance, raw=False, update_fields=None, lookup=lookup, fields=fields, **kw
        ):
            # A save that names its fields changes the children only through those named.
            if raw or (update_fields is not None and not set(update_fields) & fields):
                return
            _after_commit(kind=kind, parent=(lookup, instance.pk))

        post_save.connect(
            parent_saved,
            sender=parent,
            weak=False,
            dispatch_uid=f"search-{kind}-parent-{parent._meta.label_lower}",
        )
