"""The plan pages: what they show, and query counts that do not grow with the plan."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.models import ActionPlan, Commitment, Milestone
from actionplans.views import DASHBOARD_LIST_LIMIT, DASHBOARD_PAGE_SIZE
from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory, UserFactory

pytestmark = pytest.mark.django_db


def _plan_with(n: int):
    plan = ActionPlanFactory()
    for _ in range(n):
        commitment = CommitmentFactory(plan=plan, status="included")
        for completion in ("complete", "limited", "not_started"):
            MilestoneFactory(commitment=commitment, completion=completion)
    return plan


@pytest.mark.parametrize("page", ["", "dashboard/", "repository/"])
def test_plan_pages_cost_the_same_queries_for_2_and_20_commitments(
    client, django_assert_num_queries, page
):
    small, large = _plan_with(2), _plan_with(20)
    client.force_login(UserFactory())
    client.get(f"/action-plans/{small.slug}/{page}")  # warm the session and caches

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(f"/action-plans/{small.slug}/{page}").status_code == 200
    with django_assert_num_queries(len(small_queries)):
        assert client.get(f"/action-plans/{large.slug}/{page}").status_code == 200


def test_commitment_page_queries_do_not_grow_with_milestones(client, django_assert_num_queries):
    few = CommitmentFactory(status="included")
    MilestoneFactory(commitment=few)
    many = CommitmentFactory(status="included")
    for _ in range(15):
        MilestoneFactory(commitment=many)
    client.get(few.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        client.get(few.get_absolute_url())
    with django_assert_num_queries(len(queries)):
        client.get(many.get_absolute_url())


def test_dashboard_shows_completion_and_overdue_milestones(client):
    plan = ActionPlanFactory()
    commitment = CommitmentFactory(plan=plan, status="included", title="Open parliament")
    MilestoneFactory(commitment=commitment, completion="complete")
    MilestoneFactory(
        commitment=commitment,
        completion="limited",
        activity="Transcripts online",
        end_date="2020-01-01",
    )
    CommitmentFactory(plan=plan, status="draft", title="Secret draft")
    page = client.get(f"/action-plans/{plan.slug}/dashboard/").content.decode()
    assert "67 %" in page  # (1 + 1/3) / 2
    assert "Transcripts online" in page
    assert "Secret draft" not in page


def test_a_long_overdue_list_shows_the_first_25_and_a_link_to_all(client):
    commitment = CommitmentFactory(status="included")
    for n in range(DASHBOARD_LIST_LIMIT + 1):
        MilestoneFactory(
            commitment=commitment,
            completion="limited",
            activity=f"Late step {n:02d}",
            end_date=f"2020-01-{n + 1:02d}",
        )
    dashboard = f"/action-plans/{commitment.plan.slug}/dashboard/"

    short = client.get(dashboard).content.decode()
    full = client.get(dashboard, {"show": "overdue"}).content.decode()

    assert short.count("Late step") == DASHBOARD_LIST_LIMIT
    assert "Late step 25" not in short  # the latest due comes last
    assert '<a href="?show=overdue#overdue-heading">Show all 26 overdue milestones</a>' in short
    assert full.count("Late step") == DASHBOARD_LIST_LIMIT + 1
    assert "Show all" not in full


def test_plan_page_lists_public_commitments_only(client):
    plan = ActionPlanFactory()
    CommitmentFactory(plan=plan, status="validated", title="Visible one")
    CommitmentFactory(plan=plan, status="draft", title="Hidden draft")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Visible one" in page and "Hidden draft" not in page
    index = client.get("/action-plans/").content.decode()
    assert plan.title in index and "1 commitment" in index


def test_demo_plans_are_in_place(client):
    call_command("demo_data", verbosity=0)
    consultation = ActionPlan.objects.get(slug="nap-6-2026-2028")
    assert consultation.status == "consultation" and consultation.consultation_open()
    grown = consultation.commitments.filter(contributions__isnull=False).distinct()
    assert grown.count() >= 8
    past = ActionPlan.objects.get(slug="nap-5-2023-2025")
    assert past.status == "implementation"
    levels = set(
        Milestone.objects.filter(commitment__plan=past).values_list("completion", flat=True)
    )
    assert levels == set(Milestone.Completion.values)
    assert Commitment.objects.filter(plan=past, status="included").count() == 4
    for commitment in consultation.commitments.filter(status__in=Commitment.PUBLIC_STATUSES):
        assert client.get(commitment.get_absolute_url()).status_code == 200


def test_the_dashboard_counts_every_commitment_and_lists_them_a_page_at_a_time(client):
    plan = ActionPlanFactory()
    for number in range(1, DASHBOARD_PAGE_SIZE + 2):
        commitment = CommitmentFactory(
            plan=plan, number=number, status="included", title=f"Commitment title {number:03d}"
        )
        MilestoneFactory(
            commitment=commitment, completion="complete" if number == 1 else "not_started"
        )
    address = f"/action-plans/{plan.slug}/dashboard/"

    first = client.get(address).content.decode()
    second = client.get(address, {"page": 2}).content.decode()

    last = f"Commitment title {DASHBOARD_PAGE_SIZE + 1:03d}"
    assert first.count("Commitment title") == DASHBOARD_PAGE_SIZE and last not in first
    assert last in second and "Commitment title 001" not in second
    # the plan's figures count all 26 commitments and their milestones, on every page
    for page in (first, second):
        assert f"<strong>{DASHBOARD_PAGE_SIZE + 1}</strong> commitments" in page
        assert f"<strong>{DASHBOARD_PAGE_SIZE + 1}</strong> milestones" in page
        assert "<strong>4 %</strong>" in page  # 1 of 26 complete
    assert "Page 2 of 2" in second
