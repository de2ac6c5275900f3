"""The API's list endpoints keep each row in the cache under a fingerprint of everything
loaded with it (core.api_base.KeptRowsListSerializer): after each kind of change the list
is the same as one serialized without any cache, and an unchanged list serializes no row
again."""

import pytest
from django.core.cache import cache

from actionplans.models import Milestone
from cocreation import services
from core import api_base
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    RegistrationFactory,
    WorkshopFactory,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    workshop = WorkshopFactory(title="Open budgets")
    commitment = CommitmentFactory(status="included", title="Open contracting")
    milestone = MilestoneFactory(commitment=commitment, completion="not_started")
    event = EventFactory(title="Open Gov Week opening")
    facilitator = _facilitator(workshop)
    idea = services.contribution_post(
        workshop=workshop,
        author=RegistrationFactory(workshop=workshop).member,
        kind="idea",
        title="Budgets as CSV",
        text="Monthly.",
    )
    services.contribution_publish(contribution=idea, by=facilitator)
    return {
        "workshop": workshop,
        "commitment": commitment,
        "milestone": milestone,
        "event": event,
        "facilitator": facilitator,
        "idea": idea,
    }


def _rename_organisation(d):
    """Only the organisation changes: the commitment's own row is as it was."""
    type(d["commitment"].lead_agency).objects.filter(pk=d["commitment"].lead_agency_id).update(
        name="Renamed ministry"
    )


CHANGES = {
    "a workshop renamed": lambda d: WorkshopFactory._meta.model.objects.filter(
        pk=d["workshop"].pk
    ).update(title="Open budgets, part two"),
    "a seat taken": lambda d: RegistrationFactory(workshop=d["workshop"]),
    "a facilitating organisation": lambda d: d["workshop"].facilitating_organisations.add(
        OrganisationFactory(name="Open Knowledge")
    ),
    "a milestone completed": lambda d: Milestone.objects.filter(pk=d["milestone"].pk).update(
        completion="complete"
    ),
    "a milestone added": lambda d: MilestoneFactory(commitment=d["commitment"]),
    "the lead agency renamed": _rename_organisation,
    "an event moved": lambda d: (
        type(d["event"]).objects.filter(pk=d["event"].pk).update(city="Patras")
    ),
    "a contribution answered": lambda d: services.contribution_respond(
        contribution=d["idea"],
        disposition="taken_into_commitment",
        explanation="Commitment 3.",
        by=d["facilitator"],
    ),
    "a contribution published": lambda d: services.contribution_publish(
        contribution=services.contribution_post(
            workshop=d["workshop"],
            author=RegistrationFactory(workshop=d["workshop"]).member,
            kind="idea",
            title="Monthly CSV",
            text="Please.",
        ),
        by=d["facilitator"],
    ),
}
LISTS = ["workshops", "commitments", "events", "contributions", "milestones"]


def _facilitator(workshop):
    from tests.factories import member_of  # noqa: PLC0415

    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    return facilitator


def _lists(api) -> dict:
    return {name: api.get(f"/api/v1/{name}/").json() for name in LISTS}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_after_each_change_every_list_is_what_a_fresh_serialization_gives(api, data, change):
    _lists(api)  # every row kept
    CHANGES[change](data)
    kept = _lists(api)
    cache.clear()
    assert kept == _lists(api)


def test_an_unchanged_list_serializes_no_row_again(api, data, monkeypatch):
    first = _lists(api)
    serialized = []
    real = api_base.DescribedModelSerializer.to_representation

    def counted(self, instance):
        serialized.append(type(instance).__name__)
        return real(self, instance)

    monkeypatch.setattr(api_base.DescribedModelSerializer, "to_representation", counted)
    assert _lists(api) == first
    assert serialized == []
    Milestone.objects.filter(pk=data["milestone"].pk).update(completion="complete")
    _lists(api)
    # the commitment (with its milestone) and the milestone, serialized again; nothing else
    assert sorted(serialized) == ["Commitment", "Milestone", "Milestone"]
