"""Only what the person may open is found: a draft, a hidden and a merged contribution, a
contribution of an unpublished workshop, an unpublished workshop and event, a draft and a
withdrawn commitment (and a draft's milestone), a proposed organisation (seen by its own
members only), each with a word of its own, searched for as anonymous, as a member, as the
workshop's facilitator and as the forum's secretariat. Whatever is found must open for that
person."""

from urllib.parse import urlsplit

import pytest
from django.core.management.sql import emit_post_migrate_signal

from cocreation.models import Contribution
from core.search.models import SearchEntry
from core.search.services import search_public_refresh
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.factories.events import EventFactory
from tests.factories.health import ContributionFactory, ReasonedResponseFactory
from tests.search.conftest import found

pytestmark = pytest.mark.django_db

ANONYMOUS, MEMBER, FACILITATOR, SECRETARIAT = "anonymous", "member", "facilitator", "secretariat"
EVERYONE = {ANONYMOUS, MEMBER, FACILITATOR, SECRETARIAT}
MODERATORS = {FACILITATOR, SECRETARIAT}  # of the workshop: its facilitator, the secretariat

# word: who finds it
EXPECTED = {
    "publicwort": EVERYONE,
    "waitingwort": MODERATORS,  # a contribution waiting for moderation
    "hiddenwort": MODERATORS,
    "mergedwort": MODERATORS,  # merged into another: found through that one
    "orphanwort": set(),  # published, in a draft workshop: no board opens it
    "draftshopwort": {SECRETARIAT},
    "pendingeventwort": {SECRETARIAT},
    "draftcommitwort": {SECRETARIAT},
    "draftmilestonewort": {SECRETARIAT},
    # The commitment's page shows a withdrawn commitment to everyone, with its reason
    # (actionplans.permissions.can_view_commitment): the search follows the page.
    "withdrawnwort": EVERYONE,
    "proposedwort": {MEMBER, SECRETARIAT},  # a proposed organisation: its members'
}


@pytest.fixture
def people_and_things(indexed):
    with indexed():
        proposed = OrganisationFactory(name="Proposedwort Initiative", verified=False)
        people = {
            ANONYMOUS: None,
            MEMBER: UserFactory(organisation=proposed),
            SECRETARIAT: UserFactory(roles=["secretariat"]),
        }
        people[FACILITATOR] = UserFactory()
        workshop = WorkshopFactory(title="Open budgets")
        workshop.facilitators.add(people[FACILITATOR])
        target = ContributionFactory(workshop=workshop, title="Publicwort budget idea")
        ContributionFactory(workshop=workshop, title="Waitingwort idea", status="submitted")
        ContributionFactory(
            workshop=workshop, title="Hiddenwort idea", status="hidden", hidden_reason="Spam"
        )
        ContributionFactory(workshop=workshop, title="Mergedwort idea", merged_into=target)
        draft = WorkshopFactory(title="Draftshopwort session", status="draft")
        ContributionFactory(workshop=draft, title="Orphanwort idea")
        EventFactory(title="Pendingeventwort debate", status="submitted")
        commitment = CommitmentFactory(title="Draftcommitwort registry", status="draft")
        MilestoneFactory(commitment=commitment, activity="Draftmilestonewort data set")
        CommitmentFactory(
            title="Withdrawnwort registry", status="withdrawn", withdrawn_reason="Out of scope"
        )
    return people


@pytest.mark.parametrize("role", [ANONYMOUS, MEMBER, FACILITATOR, SECRETARIAT])
def test_each_finds_exactly_what_they_may_open(client, people_and_things, role):
    user = people_and_things[role]
    if user is not None:
        client.force_login(user)
    for word, finders in EXPECTED.items():
        response = client.get("/search/", {"q": word})
        assert response.status_code == 200
        titles = found(response)
        hits = [h for g in response.context["results"].groups for h in g.hits]
        if role in finders:
            assert any(word in title.lower() for title in titles), (role, word, titles)
        else:
            assert not titles, (role, word, titles)
        for hit in hits:  # what is found opens
            page = client.get(urlsplit(hit.url).path, follow=True)
            assert page.status_code == 200, (role, word, hit.url)


def test_a_change_of_status_changes_what_is_found(client, indexed):
    with indexed():
        contribution = ContributionFactory(title="Flipwort idea", status="published")
    assert found(client.get("/search/", {"q": "flipwort"})) == ["Flipwort idea"]
    with indexed():
        contribution.status = "hidden"
        contribution.save()
    assert found(client.get("/search/", {"q": "flipwort"})) == []
    with indexed():
        contribution.delete()
    secretariat = UserFactory(roles=["secretariat"])
    client.force_login(secretariat)
    assert found(client.get("/search/", {"q": "flipwort"})) == []


# --- What anonymous visitors may open is kept in the index (SearchEntry.public) -----------


def test_a_workshop_made_a_draft_again_hides_its_contributions_and_responses(client, indexed):
    """The index keeps whether anonymous visitors may open each row: a change of a parent
    that the rules read (the workshop's status) indexes its children again."""
    with indexed():
        workshop = WorkshopFactory(title="Open budgets")
        contribution = ContributionFactory(workshop=workshop, title="Parentwort idea")
        ReasonedResponseFactory(contribution=contribution, explanation="Responsewort reason")
    assert found(client.get("/search/", {"q": "parentwort"}), "contribution") == ["Parentwort idea"]
    assert found(client.get("/search/", {"q": "responsewort"}), "response")

    with indexed():
        workshop.status = "draft"
        workshop.save(update_fields=["status"])

    assert found(client.get("/search/", {"q": "parentwort"})) == []
    assert found(client.get("/search/", {"q": "responsewort"})) == []


def test_a_contribution_hidden_hides_its_response(client, indexed):
    with indexed():
        contribution = ContributionFactory(title="Hidingwort idea")
        ReasonedResponseFactory(contribution=contribution, explanation="Answerwort reason")
    assert found(client.get("/search/", {"q": "answerwort"}), "response")
    with indexed():
        contribution.status = "hidden"
        contribution.hidden_reason = "Spam"
        contribution.save(update_fields=["status", "hidden_reason"])
    assert found(client.get("/search/", {"q": "answerwort"})) == []


def test_a_bulk_update_is_caught_by_the_hourly_refresh(client, indexed):
    """A queryset update sends no signal: the entry says public until the refresh asks the
    rules again."""
    with indexed():
        ContributionFactory(title="Bulkwort idea")
    Contribution.objects.filter(title="Bulkwort idea").update(status="hidden")
    assert found(client.get("/search/", {"q": "bulkwort"})) == ["Bulkwort idea"]  # not yet

    assert search_public_refresh() == 1

    assert found(client.get("/search/", {"q": "bulkwort"})) == []
    assert search_public_refresh() == 0  # nothing more to change


def test_entries_indexed_before_public_existed_are_asked_once_migrate_ends(client, indexed):
    with indexed():
        ContributionFactory(title="Oldwort idea")
        ContributionFactory(title="Oldwort secret", status="hidden", hidden_reason="Spam")
    SearchEntry.objects.filter(title__startswith="Oldwort").update(public=None)
    assert found(client.get("/search/", {"q": "oldwort"})) == []  # unknown: not shown

    emit_post_migrate_signal(0, False, "default")

    states = dict(SearchEntry.objects.filter(kind="contribution").values_list("title", "public"))
    assert states == {"Oldwort idea": True, "Oldwort secret": False}
    assert found(client.get("/search/", {"q": "oldwort"})) == ["Oldwort idea"]
