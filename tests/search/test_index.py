"""The index follows the changes: after the commit, not before; a parent's change reaches
its children's entries; a rollback leaves the index as it was."""

import pytest
from django.db import connection, transaction

from core.search.models import SearchEntry
from core.search.registry import searchable_kinds
from tests.factories import WorkshopFactory
from tests.factories.health import ContributionFactory, ReasonedResponseFactory

pytestmark = pytest.mark.django_db


def _entry(kind, obj):
    return SearchEntry.objects.get(kind=kind, object_id=obj.pk)


def test_an_entry_is_written_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        workshop = WorkshopFactory(title="Budget workshop")
    assert not SearchEntry.objects.filter(kind="workshop", object_id=workshop.pk).exists()
    for callback in callbacks:
        callback()
    entry = _entry("workshop", workshop)
    assert (entry.title, entry.url, entry.forum_id) == (
        "Budget workshop",
        f"/workshops/{workshop.pk}/",
        workshop.process.forum_id,
    )


def test_a_workshops_language_reaches_its_contributions_and_responses(indexed):
    with indexed():
        response = ReasonedResponseFactory(contribution__workshop__language="en")
    contribution = response.contribution
    workshop = contribution.workshop
    assert _entry("contribution", contribution).language == "en"
    with indexed():
        workshop.language = "el"
        workshop.save(update_fields=["language"])
    assert _entry("contribution", contribution).language == "el"
    assert _entry("response", response).language == "el"
    with indexed() as callbacks:
        workshop.save(update_fields=["venue"])  # the entries read nothing of the venue
    ours = [c for c in callbacks if c.__qualname__.startswith("_after_commit")]
    assert len(ours) == 1  # the workshop's own entry only


def test_a_rollback_leaves_the_index_as_it_was(indexed):
    with indexed():
        contribution = ContributionFactory(title="Kept title")
    with indexed():
        try:
            with transaction.atomic():
                contribution.title = "Rolled back"
                contribution.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert _entry("contribution", contribution).title == "Kept title"


@pytest.mark.requires_postgres
def test_every_kind_has_a_trigram_index_of_its_own_titles():
    """The titles alike are read through each kind's own index (migration 0005): a kind
    registered later needs one too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_searchentry' "
            "AND indexname LIKE 'search_entry_trgm_%%'"
        )
        indexes = {row[0] for row in cursor.fetchall()}
    assert {f"search_entry_trgm_{s.kind}" for s in searchable_kinds()} <= indexes
