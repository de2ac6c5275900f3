"""Commitments tagged with OGP's Open Gov Challenge areas and with policy areas: ticked when
drafting, shown on the commitment page and in the plan's document, filtered on the plan's
page and in the API, counted on the dashboard."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from actionplans import selectors, services
from actionplans.models import ChallengeArea, Commitment
from actionplans.services import ActionPlanError
from tests.actionplans.test_drafting import _form_data
from tests.factories import ActionPlanFactory, CommitmentFactory, ForumFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

FISCAL = ChallengeArea.FISCAL_OPENNESS
CIVIC = ChallengeArea.CIVIC_SPACE


def test_the_ten_areas_of_the_open_gov_challenge():
    assert [label for _value, label in ChallengeArea.choices] == [
        "Access to Information",
        "Anti-Corruption",
        "Civic Space",
        "Climate and Environment",
        "Digital Governance",
        "Fiscal Openness",
        "Gender and Inclusion",
        "Justice",
        "Media Freedom",
        "Public Participation",
    ]


def test_an_unknown_area_is_refused_by_the_model():
    commitment = CommitmentFactory.build(challenge_areas=["fiscal_openness", "astrology"])
    with pytest.raises(ValidationError, match="astrology"):
        commitment.clean_fields(exclude=["plan", "lead_agency"])


def test_drafters_tick_areas_and_the_page_and_document_show_them(client, draft, drafters):
    client.force_login(drafters[0])
    edit_url = draft.get_absolute_url() + "edit/"
    form = client.get(edit_url).content.decode()
    assert 'type="checkbox" name="challenge_areas" value="fiscal_openness"' in form

    data = _form_data(
        draft, challenge_areas=["public_participation", "fiscal_openness"], policy_areas="Budget"
    )
    assert client.post(edit_url, data).status_code == 302

    draft.refresh_from_db()
    assert draft.challenge_areas == ["fiscal_openness", "public_participation"]  # OGP's order
    assert draft.version == 2
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Fiscal Openness</a>, " in page
    assert "?challenge_area=fiscal_openness" in page
    assert "?policy_area=Budget" in page
    Commitment.objects.filter(pk=draft.pk).update(status="included")
    document = client.get(f"/action-plans/{draft.plan.slug}/document/").content.decode()
    assert "<td>Fiscal Openness, Public Participation</td>" in document


def test_a_changed_area_shows_in_the_versions_diff(draft, drafters):
    services.commitment_save(
        commitment=draft, data={"challenge_areas": ["justice"]}, base_version=1, by=drafters[0]
    )
    older, newer = draft.versions.order_by("number")
    changes = selectors.fields_diff(older.fields, newer.fields)
    assert [(c.name, c.chunks) for c in changes] == [("challenge_areas", [("added", "Justice; ")])]


def test_a_version_saved_before_the_areas_existed_shows_no_change():
    assert selectors.fields_diff({"problem": "x"}, {"problem": "x", "challenge_areas": []}) == []


def test_a_forged_area_in_the_form_is_refused_by_the_field(client, draft, drafters):
    client.force_login(drafters[0])
    response = client.post(
        draft.get_absolute_url() + "edit/", _form_data(draft, challenge_areas=["astrology"])
    )
    assert response.status_code == 200
    assert "Select a valid choice. astrology is not one of the available choices." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.challenge_areas == []


def _tagged_plan():
    plan = ActionPlanFactory()
    fiscal = CommitmentFactory(
        plan=plan,
        status="included",
        title="Open budgets",
        challenge_areas=[CIVIC, FISCAL],
        policy_areas="Open data, Fiscal openness",
    )
    civic = CommitmentFactory(
        plan=plan,
        status="included",
        title="Freedom of assembly",
        challenge_areas=[CIVIC],
        policy_areas="Civic space",
    )
    untagged = CommitmentFactory(plan=plan, status="included", title="Open parliament")
    return plan, fiscal, civic, untagged


def _listed(response) -> set[str]:
    page = response.content.decode()
    return {t for t in ("Open budgets", "Freedom of assembly", "Open parliament") if t in page}


def test_the_plans_page_filters_by_challenge_area_and_policy_area(client):
    plan, *_ = _tagged_plan()
    url = plan.get_absolute_url()

    assert _listed(client.get(url)) == {"Open budgets", "Freedom of assembly", "Open parliament"}
    assert _listed(client.get(url, {"challenge_area": "fiscal_openness"})) == {"Open budgets"}
    assert _listed(client.get(url, {"challenge_area": "civic_space"})) == {
        "Open budgets",
        "Freedom of assembly",
    }
    # A whole policy area, in any case: "open data" is not matched inside another one.
    assert _listed(client.get(url, {"policy_area": "fiscal OPENNESS"})) == {"Open budgets"}
    assert _listed(client.get(url, {"policy_area": "space"})) == set()
    nothing = client.get(url, {"challenge_area": "justice"})
    assert "No commitment matches these filters." in nothing.content.decode()
    # The policy-area choice offers the areas the plan's commitments name.
    page = client.get(url).content.decode()
    assert '<option value="Civic space">Civic space</option>' in page


def test_an_unknown_area_on_the_plans_page_is_a_400_with_the_reason(client):
    plan, *_ = _tagged_plan()
    response = client.get(plan.get_absolute_url(), {"challenge_area": "astrology"})
    assert response.status_code == 400
    assert "astrology is not one of the available choices" in response.content.decode()


def test_the_plans_page_with_a_filter_costs_the_same_queries_for_3_and_20(
    client, django_assert_num_queries
):
    small, *_ = _tagged_plan()
    large, *_ = _tagged_plan()
    for _ in range(17):
        CommitmentFactory(plan=large, status="included", challenge_areas=[FISCAL])
    query = {"challenge_area": "fiscal_openness", "policy_area": "Open data"}
    client.get(small.get_absolute_url(), query)
    with CaptureQueriesContext(connection) as queries:
        client.get(small.get_absolute_url(), query)
    with django_assert_num_queries(len(queries)):
        client.get(large.get_absolute_url(), {**query, "policy_area": ""})


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_the_api_lists_and_filters_by_challenge_area_and_policy_area():
    _plan, fiscal, civic, untagged = _tagged_plan()
    api = APIClient()

    row = api.get(f"/api/v1/commitments/{fiscal.pk}/").json()
    assert row["challenge_areas"] == ["civic_space", "fiscal_openness"]
    assert _ids(api.get("/api/v1/commitments/", {"challenge_area": "fiscal_openness"})) == {
        fiscal.pk
    }
    assert _ids(api.get("/api/v1/commitments/", {"challenge_area": "civic_space"})) == {
        fiscal.pk,
        civic.pk,
    }
    assert _ids(api.get("/api/v1/commitments/", {"policy_area": "civic space"})) == {civic.pk}


@pytest.mark.parametrize(
    "query, field",
    [
        ({"challenge_area": "astrology"}, "challenge_area"),
        ({"policy_area": "a\x00b"}, "policy_area"),
    ],
)
def test_a_bad_area_in_the_api_is_a_400_with_a_reason(query, field):
    response = APIClient().get("/api/v1/commitments/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_schema_documents_the_filters():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/v1/commitments/"]["get"]["parameters"]
    }
    assert "fiscal_openness" in parameters["challenge_area"]["schema"]["enum"]
    assert parameters["challenge_area"]["description"]
    assert parameters["policy_area"]["description"]


def test_the_dashboard_counts_commitments_per_challenge_area(client):
    plan, *_ = _tagged_plan()
    CommitmentFactory(plan=plan, status="draft", challenge_areas=[FISCAL])  # not public

    dashboard = selectors.plan_dashboard(plan=plan)
    counts = {a["value"]: a["count"] for a in dashboard["challenge_areas"]}
    assert counts["civic_space"] == 2
    assert counts["fiscal_openness"] == 1
    assert counts["justice"] == 0
    assert len(counts) == 10
    page = client.get(plan.get_absolute_url() + "dashboard/").content.decode()
    assert "Commitments by Open Gov Challenge area" in page
    assert f"{plan.get_absolute_url()}?challenge_area=civic_space" in page


def test_commitments_are_unchanged_by_an_empty_list():
    assert Commitment._meta.get_field("challenge_areas").default() == []


# --- Carried over ---------------------------------------------------------------------------


def _two_plans():
    earlier_plan = ActionPlanFactory(
        title="5th plan", period_start=date(2022, 1, 1), period_end=date(2024, 12, 31)
    )
    later_plan = ActionPlanFactory(title="6th plan")
    earlier = CommitmentFactory(plan=earlier_plan, status="included", title="Open budgets I")
    MilestoneFactory(commitment=earlier, completion="complete")
    MilestoneFactory(commitment=earlier, completion="not_started")
    later = CommitmentFactory(plan=later_plan, title="Open budgets II")
    return earlier, later


def test_the_secretariat_sets_the_earlier_commitment_and_both_pages_say_so(client, secretariat):
    earlier, later = _two_plans()
    CommitmentFactory(plan=ActionPlanFactory(title="Same period"), title="Not earlier")
    client.force_login(secretariat)
    edit_url = later.get_absolute_url() + "edit/"

    form = client.get(edit_url).content.decode()
    assert "5th plan · 1. Open budgets I" in form or "5th plan · " in form
    assert "Not earlier" not in form  # a plan of the same period is not an earlier one
    assert "Open budgets II</option>" not in form  # not itself
    response = client.post(edit_url, _form_data(later, continues=earlier.pk))
    assert response.status_code == 302

    later.refresh_from_db()
    assert later.continues == earlier
    page = client.get(later.get_absolute_url()).content.decode()
    assert f'Continues <a href="{earlier.get_absolute_url()}">commitment {earlier.number}</a>' in (
        page
    )
    assert "5th plan</a>" in page
    assert "Completed there so far: 50 %." in page
    earlier_page = client.get(earlier.get_absolute_url()).content.decode()
    assert f'Continued as <a href="{later.get_absolute_url()}">' in earlier_page


def test_a_commitment_of_a_later_plan_or_another_forum_is_refused(client, secretariat):
    earlier, later = _two_plans()
    client.force_login(secretariat)
    # Backwards: the earlier plan's commitment cannot continue the later one.
    Commitment.objects.filter(pk=earlier.pk).update(status="draft")
    earlier.refresh_from_db()
    response = client.post(
        earlier.get_absolute_url() + "edit/", _form_data(earlier, continues=later.pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ActionPlanError, match="earlier plan"):
        services.commitment_save(
            commitment=earlier, data={"continues": later}, base_version=1, by=secretariat
        )
    other_forum = CommitmentFactory(plan__forum=ForumFactory(), plan__period_start=date(2020, 1, 1))
    with pytest.raises(ActionPlanError, match="same forum"):
        services.commitment_save(
            commitment=later, data={"continues": other_forum}, base_version=1, by=secretariat
        )
    with pytest.raises(ValidationError):
        later.continues = later
        later.full_clean()


def test_a_co_drafter_neither_sees_nor_sets_the_earlier_commitment(client, drafters):
    earlier, later = _two_plans()
    later.co_drafters.set(drafters)
    client.force_login(drafters[0])
    edit_url = later.get_absolute_url() + "edit/"
    assert 'name="continues"' not in client.get(edit_url).content.decode()
    client.post(edit_url, _form_data(later, continues=earlier.pk, problem="Changed."))
    later.refresh_from_db()
    assert (later.problem, later.continues) == ("Changed.", None)
    with pytest.raises(ActionPlanError, match="Only the secretariat"):
        services.commitment_save(
            commitment=later, data={"continues": earlier}, base_version=2, by=drafters[0]
        )


def test_a_draft_earlier_commitment_is_not_named_to_the_public(client):
    earlier, later = _two_plans()
    Commitment.objects.filter(pk=earlier.pk).update(status="draft")
    Commitment.objects.filter(pk=later.pk).update(status="included", continues=earlier)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Continues" not in page
    assert "Open budgets I<" not in page


def test_the_commitment_page_costs_the_same_queries_with_more_continuations(
    client, django_assert_num_queries
):
    earlier, later = _two_plans()
    Commitment.objects.filter(pk=later.pk).update(status="included", continues=earlier)
    client.get(earlier.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(earlier.get_absolute_url())
    for _ in range(5):
        CommitmentFactory(plan=later.plan, status="included", continues=earlier)
    with django_assert_num_queries(len(queries)):
        page = client.get(earlier.get_absolute_url()).content.decode()
    assert page.count("Continued as") == 6


def test_the_demo_plans_are_tagged_and_the_6th_carries_over_one_of_the_5th(client):
    call_command("demo_data", verbosity=0)
    for slug in ("nap-6-2026-2028", "nap-5-2023-2025"):
        assert not Commitment.objects.filter(plan__slug=slug, challenge_areas=[]).exists()
    carried = Commitment.objects.get(plan__slug="nap-6-2026-2028", continues__isnull=False)
    assert carried.continues.plan.slug == "nap-5-2023-2025"
    page = client.get(carried.get_absolute_url()).content.decode()
    assert "Continues <a" in page and "5th National Action Plan 2023–2025</a>" in page
    dashboard = client.get("/action-plans/nap-5-2023-2025/dashboard/").content.decode()
    assert "Commitments by Open Gov Challenge area" in dashboard


def test_the_api_names_the_earlier_commitment_only_when_it_is_public():
    earlier, later = _two_plans()
    Commitment.objects.filter(pk=later.pk).update(status="included", continues=earlier)
    api = APIClient()
    assert api.get(f"/api/v1/commitments/{later.pk}/").json()["continues"] == earlier.pk

    Commitment.objects.filter(pk=earlier.pk).update(status="draft")
    assert api.get(f"/api/v1/commitments/{later.pk}/").json()["continues"] is None


def test_the_api_list_costs_the_same_queries_with_more_continuations(
    django_assert_num_queries,
):
    earlier, later = _two_plans()
    Commitment.objects.filter(pk=later.pk).update(status="included", continues=earlier)
    api = APIClient()
    api.get("/api/v1/commitments/")
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/commitments/")
    for _ in range(5):
        CommitmentFactory(plan=later.plan, status="included", continues=earlier)
    with django_assert_num_queries(len(queries)):
        api.get("/api/v1/commitments/")


def test_the_plan_document_says_where_a_commitment_is_carried_over_from(client):
    earlier, later = _two_plans()
    Commitment.objects.filter(pk=later.pk).update(status="included", continues=earlier)
    document = client.get(f"/action-plans/{later.plan.slug}/document/").content.decode()
    assert "Carried over from" in document
    assert f"Commitment {earlier.number} of 5th plan" in document


def test_the_service_keeps_ogps_order_and_refuses_an_unknown_area(draft, drafters):
    services.commitment_save(
        commitment=draft,
        data={"challenge_areas": ["justice", "civic_space", "justice"]},
        base_version=1,
        by=drafters[0],
    )
    draft.refresh_from_db()
    assert draft.challenge_areas == ["civic_space", "justice"]
    with pytest.raises(ActionPlanError, match="Not an Open Gov Challenge area: astrology"):
        services.commitment_save(
            commitment=draft,
            data={"challenge_areas": ["astrology"]},
            base_version=2,
            by=drafters[0],
        )
