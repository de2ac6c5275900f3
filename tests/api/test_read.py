"""What anyone reads through the API: public data only, filters, ordering, pagination,
and the same number of queries for few and many rows."""

from datetime import timedelta

import factory
import pytest
from django.utils import timezone

from cocreation.models import Contribution, ReasonedResponse, Workshop
from members.models import StakeholderGroup
from tests.api.conftest import ids, results
from tests.factories import (
    CoCreationProcessFactory,
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    RegistrationFactory,
    SectorFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

GOV = StakeholderGroup.GOVERNMENT


def contribution(workshop, status="published", **kwargs):
    return Contribution.objects.create(
        workshop=workshop,
        author=UserFactory(email=factory.Sequence(lambda n: f"author{n}.private@example.org")),
        kind="idea",
        title=kwargs.pop("title", "Open contracts"),
        text="Publish every contract.",
        status=status,
        **kwargs,
    )


# --- Visibility --------------------------------------------------------------------------


def test_workshops_list_published_ones_with_free_seats_but_never_drafts_or_online_links(api):
    shown = WorkshopFactory(government_quota=3, online_link="https://meet.example.org/secret")
    RegistrationFactory(workshop=shown, group=GOV)
    WorkshopFactory(status=Workshop.Status.DRAFT)

    rows = results(api.get("/api/v1/workshops/"))

    assert [row["id"] for row in rows] == [shown.pk]
    assert rows[0]["seats_free"] == {"government": 2, "non_government": 2}
    assert "online_link" not in rows[0]
    assert "meet.example.org" not in api.get(f"/api/v1/workshops/{shown.pk}/").content.decode()


def test_a_draft_workshop_is_not_found(api):
    draft = WorkshopFactory(status=Workshop.Status.DRAFT)
    assert api.get(f"/api/v1/workshops/{draft.pk}/").status_code == 404


def test_only_published_contributions_appear_with_their_reasoned_response(api):
    workshop = WorkshopFactory()
    answered = contribution(workshop, title="Answered")
    ReasonedResponse.objects.create(
        contribution=answered,
        disposition=ReasonedResponse.Disposition.TAKEN_INTO_COMMITMENT,
        explanation="It became commitment 3.",
    )
    open_one = contribution(workshop, title="Open")
    hidden = contribution(workshop, status="hidden", hidden_reason="Off topic")
    waiting = contribution(workshop, status="submitted")

    response = api.get("/api/v1/contributions/")
    body = response.content.decode()

    assert ids(response) == {answered.pk, open_one.pk}
    row = next(r for r in results(response) if r["id"] == answered.pk)
    assert row["response"]["disposition"] == "taken_into_commitment"
    assert row["response"]["explanation"] == "It became commitment 3."
    assert "private@example.org" not in body
    assert "author" not in row
    assert api.get(f"/api/v1/contributions/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/contributions/{waiting.pk}/").status_code == 404


def test_commitments_only_in_public_statuses_with_the_public_contact_e_mail(api):
    drafter = UserFactory(email="drafter.private@example.org")
    public = CommitmentFactory(status="validated", contact_email="open@ministry.example.org")
    MilestoneFactory(commitment=public, completion="limited")
    draft = CommitmentFactory(status="draft", co_drafters=[drafter])
    withdrawn = CommitmentFactory(status="withdrawn")

    response = api.get("/api/v1/commitments/")
    body = response.content.decode()

    assert ids(response) == {public.pk}
    row = results(response)[0]
    assert row["contact_email"] == "open@ministry.example.org"
    assert row["milestones"][0]["completion"] == "limited"
    assert row["completion"] == pytest.approx(1 / 3)
    assert "drafter.private@example.org" not in body
    assert api.get(f"/api/v1/commitments/{draft.pk}/").status_code == 404
    assert api.get(f"/api/v1/commitments/{withdrawn.pk}/").status_code == 404


def test_milestones_of_drafts_stay_hidden(api):
    shown = MilestoneFactory(commitment=CommitmentFactory(status="included"))
    MilestoneFactory(commitment=CommitmentFactory(status="draft"))

    assert ids(api.get("/api/v1/milestones/")) == {shown.pk}


def test_only_approved_events_appear_and_never_the_online_link(api):
    approved = EventFactory(online_link="https://meet.example.org/event-secret")
    EventFactory(status="submitted")
    EventFactory(status="rejected")

    response = api.get("/api/v1/events/")

    assert ids(response) == {approved.pk}
    assert "event-secret" not in response.content.decode()
    assert results(response)[0]["country"] == "GR"


def test_no_member_e_mail_address_appears_anywhere(api):
    member = UserFactory(email="someone.private@example.org")
    workshop = WorkshopFactory()
    workshop.facilitators.add(member)
    RegistrationFactory(workshop=workshop, member=member)
    contribution(workshop)
    CommitmentFactory(status="included", co_drafters=[member])
    EventFactory(organiser=member)

    for endpoint in [
        "sectors",
        "organisations",
        "processes",
        "workshops",
        "contributions",
        "action-plans",
        "commitments",
        "milestones",
        "events",
    ]:
        body = api.get(f"/api/v1/{endpoint}/").content.decode()
        assert "private@example.org" not in body, endpoint


def test_organisations_and_sectors_are_public(api):
    sector = SectorFactory(stakeholder_group=GOV)
    organisation = OrganisationFactory(sector=sector, country="PT")
    OrganisationFactory(country="GR")

    assert ids(api.get("/api/v1/organisations/", {"country": "PT"})) == {organisation.pk}
    assert ids(api.get("/api/v1/organisations/", {"sector": sector.pk})) == {organisation.pk}
    assert sector.pk in ids(api.get("/api/v1/sectors/", {"stakeholder_group": GOV}))


# --- Filters, ordering, pagination ----------------------------------------------------------


def test_workshops_filter_by_process_status_theme_and_dates(api):
    soon = WorkshopFactory()
    later = WorkshopFactory(starts_at=timezone.now() + timedelta(days=40))
    held = WorkshopFactory(status=Workshop.Status.HELD)

    assert ids(api.get("/api/v1/workshops/", {"process": soon.process_id})) == {soon.pk}
    assert ids(api.get("/api/v1/workshops/", {"theme": later.theme_id})) == {later.pk}
    assert ids(api.get("/api/v1/workshops/", {"status": "held"})) == {held.pk}
    after = (timezone.now() + timedelta(days=30)).isoformat()
    assert ids(api.get("/api/v1/workshops/", {"starts_after": after})) == {later.pk}


def test_a_bad_filter_value_is_a_400_not_a_500(api):
    response = api.get("/api/v1/workshops/", {"starts_after": "yesterday-ish", "process": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path, make", [("/api/v1/workshops/", WorkshopFactory), ("/api/v1/events/", EventFactory)]
)
def test_a_date_with_an_offset_the_database_refuses_is_read_in_utc(api, path, make):
    make(starts_at=timezone.now() + timedelta(days=3))
    # PostgreSQL refuses offsets beyond ±15:59; Python and ISO 8601 accept up to ±23:59.
    found = api.get(path, {"starts_before": "2999-07-13T23:08:17.33-20:28"})

    assert found.status_code == 200
    assert found.json()["count"] == 1


def test_a_date_an_offset_pushes_out_of_the_calendar_is_a_400_with_a_reason(api):
    response = api.get("/api/v1/contributions/", {"posted_after": "0001-01-01T00:00:00+05:00"})

    assert response.status_code == 400
    assert response.json() == {
        "posted_after": ["Enter a date and time between the years 1 and 9999."]
    }


def test_contributions_filter_by_answered_theme_and_kind(api):
    workshop = WorkshopFactory()
    answered = contribution(workshop)
    ReasonedResponse.objects.create(
        contribution=answered, disposition="not_taken_forward", explanation="Out of scope."
    )
    other = contribution(WorkshopFactory())

    assert ids(api.get("/api/v1/contributions/", {"answered": "true"})) == {answered.pk}
    assert ids(api.get("/api/v1/contributions/", {"answered": "false"})) == {other.pk}
    assert ids(api.get("/api/v1/contributions/", {"theme": workshop.theme_id})) == {answered.pk}
    assert ids(api.get("/api/v1/contributions/", {"disposition": "not_taken_forward"})) == {
        answered.pk
    }


def test_commitments_filter_by_plan_country_and_sector(api):
    greek = CommitmentFactory(status="included", plan__country="GR")
    polish = CommitmentFactory(status="included", plan__country="PL", plan__slug="pl-plan")

    assert ids(api.get("/api/v1/commitments/", {"plan": greek.plan_id})) == {greek.pk}
    assert ids(api.get("/api/v1/commitments/", {"country": "PL"})) == {polish.pk}
    assert ids(api.get("/api/v1/commitments/", {"plan_slug": "pl-plan"})) == {polish.pk}
    sector = polish.lead_agency.sector_id
    assert polish.pk in ids(api.get("/api/v1/commitments/", {"sector": sector}))
    assert ids(api.get("/api/v1/action-plans/", {"country": "PL"})) == {polish.plan_id}


def test_milestones_filter_by_completion_and_plan(api):
    done = MilestoneFactory(commitment__status="included", completion="complete")
    MilestoneFactory(commitment__status="included")

    assert ids(api.get("/api/v1/milestones/", {"completion": "complete"})) == {done.pk}
    assert ids(api.get("/api/v1/milestones/", {"plan": done.commitment.plan_id})) == {done.pk}


def test_events_filter_by_country_and_date(api):
    athens = EventFactory()
    lisbon = EventFactory(country="PT", starts_at=timezone.now() + timedelta(days=60))

    assert ids(api.get("/api/v1/events/", {"country": "PT"})) == {lisbon.pk}
    before = (timezone.now() + timedelta(days=30)).isoformat()
    assert ids(api.get("/api/v1/events/", {"starts_before": before})) == {athens.pk}


def test_ordering_and_pages_with_next_and_previous_links(api):
    created = WorkshopFactory.create_batch(5, starts_at=timezone.now() + timedelta(days=3))

    first = api.get("/api/v1/workshops/", {"page_size": 2, "ordering": "-starts_at"}).json()
    assert first["count"] == 5
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    assert third["next"] is None
    assert second["previous"].startswith("http://testserver/api/v1/workshops/")
    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    # Same start for all: the id settles the order, so no row is skipped or repeated.
    assert seen == sorted(w.pk for w in created)


def test_unknown_ordering_field_is_ignored(api):
    WorkshopFactory()
    assert api.get("/api/v1/workshops/", {"ordering": "online_link"}).status_code == 200


# --- Query counts ------------------------------------------------------------------------


def _count(api, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as captured:
        assert api.get(url).status_code == 200
    return len(captured.captured_queries)


def _seed(n):
    for _ in range(n):
        workshop = WorkshopFactory(process=CoCreationProcessFactory())
        workshop.facilitating_organisations.add(OrganisationFactory())
        answered = contribution(workshop)
        ReasonedResponse.objects.create(
            contribution=answered, disposition="merged", explanation="Merged."
        )
        MilestoneFactory(commitment=CommitmentFactory(status="included"))
        EventFactory()


@pytest.mark.parametrize(
    "endpoint",
    [
        "organisations",
        "processes",
        "workshops",
        "contributions",
        "action-plans",
        "commitments",
        "milestones",
        "events",
    ],
)
def test_lists_cost_the_same_queries_for_1_and_20_rows(
    api, endpoint, django_assert_max_num_queries, django_assert_num_queries
):
    _seed(1)
    one = _count(api, f"/api/v1/{endpoint}/", django_assert_max_num_queries)
    _seed(19)
    with django_assert_num_queries(one):
        response = api.get(f"/api/v1/{endpoint}/")
    assert len(results(response)) >= 20
