"""An id the visitor may not see (a draft workshop, a draft or withdrawn commitment, a hidden
contribution, an event not approved) is answered exactly as an id that does not exist, in
filters and in addresses: nobody learns which drafts exist by trying ids."""

import pytest

from tests.factories import CommitmentFactory, MilestoneFactory, UserFactory, WorkshopFactory
from tests.factories.events import EventFactory
from tests.factories.health import ContributionFactory

pytestmark = pytest.mark.django_db

UNKNOWN = 2_000_000_000  # no row has this id


def _hidden(kind):
    """The id of something that exists but that the API never shows."""
    if kind == "draft workshop":
        return WorkshopFactory(status="draft").pk
    if kind == "draft commitment":
        return CommitmentFactory(status="draft").pk
    if kind == "withdrawn commitment":
        return CommitmentFactory(status="withdrawn", withdrawn_reason="Merged.").pk
    if kind == "milestone of a draft":
        return MilestoneFactory(commitment=CommitmentFactory(status="draft")).pk
    if kind == "hidden contribution":
        return ContributionFactory(status="hidden").pk
    if kind == "contribution of a draft workshop":
        return ContributionFactory(workshop=WorkshopFactory(status="draft")).pk
    if kind == "submitted event":
        return EventFactory(status="submitted").pk
    raise AssertionError(kind)


CASES = [
    # (what is hidden, the address with {id} where the id goes)
    ("draft workshop", "/api/v1/contributions/?workshop={id}"),
    ("draft commitment", "/api/v1/milestones/?commitment={id}"),
    ("withdrawn commitment", "/api/v1/milestones/?commitment={id}"),
    ("draft workshop", "/api/v1/workshops/{id}/"),
    ("draft workshop", "/api/v1/workshops/{id}/registration/"),
    ("draft commitment", "/api/v1/commitments/{id}/"),
    ("milestone of a draft", "/api/v1/milestones/{id}/"),
    ("hidden contribution", "/api/v1/contributions/{id}/"),
    ("contribution of a draft workshop", "/api/v1/contributions/{id}/"),
    ("submitted event", "/api/v1/events/{id}/"),
]


@pytest.mark.parametrize("who", ["anonymous", "member"])
@pytest.mark.parametrize(("kind", "address"), CASES)
def test_a_hidden_id_is_answered_as_an_unknown_one(api, who, kind, address):
    if who == "member":
        api.force_authenticate(UserFactory())
    hidden = _hidden(kind)

    seen = api.get(address.format(id=hidden))
    unknown = api.get(address.format(id=UNKNOWN))

    assert unknown.status_code in (400, 401, 403, 404)
    assert (seen.status_code, seen.json()) == (unknown.status_code, unknown.json())


def test_a_seat_in_a_draft_workshop_is_refused_as_in_an_unknown_one(api):
    api.force_authenticate(UserFactory())
    draft = WorkshopFactory(status="draft")

    seen = api.post(f"/api/v1/workshops/{draft.pk}/register/", {}, format="json")
    unknown = api.post(f"/api/v1/workshops/{UNKNOWN}/register/", {}, format="json")

    assert (seen.status_code, seen.json()) == (unknown.status_code, unknown.json())
    assert seen.status_code == 404


def test_public_ids_still_filter(api):
    workshop = WorkshopFactory()
    contribution = ContributionFactory(workshop=workshop)
    milestone = MilestoneFactory(commitment=CommitmentFactory(status="included"))

    contributions = api.get("/api/v1/contributions/", {"workshop": workshop.pk}).json()
    milestones = api.get("/api/v1/milestones/", {"commitment": milestone.commitment_id}).json()

    assert [row["id"] for row in contributions["results"]] == [contribution.pk]
    assert [row["id"] for row in milestones["results"]] == [milestone.pk]
