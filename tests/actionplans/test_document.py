"""The plan, and one commitment, as a web page to read and print: what a visitor reads
there (every public commitment and its milestones, the annex and its register; no draft,
no withdrawn commitment), in the plan's language, the links to it, the queries it costs and
what a bad address gets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.factories.health import ContributionFactory, ReasonedResponseFactory

pytestmark = pytest.mark.django_db


def _plan_with(n: int, **fields):
    workshop = WorkshopFactory(status="held")
    plan = ActionPlanFactory(process=workshop.process, **fields)
    for number in range(1, n + 1):
        commitment = CommitmentFactory(
            plan=plan, number=number, status="included", title=f"Public commitment {number}"
        )
        for step in range(1, 4):
            MilestoneFactory(
                commitment=commitment, position=step, activity=f"Milestone {number}.{step}"
            )
        answered = ContributionFactory(workshop=workshop, title=f"Idea {number}")
        answered.commitments.add(commitment)
        ReasonedResponseFactory(
            contribution=answered,
            disposition="taken_into_commitment",
            explanation=f"It became commitment {number}.",
        )
    return plan


@pytest.fixture
def plan():
    plan = _plan_with(3)
    CommitmentFactory(plan=plan, number=9, title="Secret draft", status="draft")
    CommitmentFactory(
        plan=plan, number=10, title="Dropped idea", status="withdrawn", withdrawn_reason="No"
    )
    ContributionFactory(
        workshop=plan.process.workshops.get(), title="Unpublished idea", status="submitted"
    )
    return plan


def test_a_visitor_reads_every_public_commitment_with_its_milestones_and_no_draft(client, plan):
    response = client.get(f"/action-plans/{plan.slug}/document/")

    assert response.status_code == 200
    page = response.content.decode()
    titles = [f"Public commitment {n}" for n in (1, 2, 3)]
    where = [page.index(f'id="commitment-{n}-heading"') for n in (1, 2, 3)]
    assert where == sorted(where)
    assert all(title in page for title in titles)
    milestones = [page.index(f"Milestone {n}.{s}") for n in (1, 2, 3) for s in (1, 2, 3)]
    assert milestones == sorted(milestones)
    assert "Secret draft" not in page and "Dropped idea" not in page
    # the annex and its register: published contributions with their reasoned responses
    assert "Annex: the co-creation process" in page
    assert "Idea 2" in page and "It became commitment 2." in page
    assert "Unpublished idea" not in page
    assert page.count("<h1") == 1


def test_the_secretariat_reads_the_same_published_plan(client, plan):
    client.force_login(UserFactory(roles=["secretariat"]))
    page = client.get(f"/action-plans/{plan.slug}/document/").content.decode()

    assert "Public commitment 1" in page and "Secret draft" not in page


def test_the_document_is_in_the_plans_language_and_the_portal_in_the_visitors(client):
    plan = _plan_with(1, language="el")
    with translation.override("el"):
        heading = gettext("Commitment %(number)s") % {"number": 1}
        annex = gettext("Annex: the co-creation process")
    assert heading != "Commitment 1"  # the catalogue has it

    page = client.get(f"/action-plans/{plan.slug}/document/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()

    assert '<html lang="en"' in text
    assert '<article class="plan-document" lang="el"' in text
    assert heading in text and annex in text
    assert "Action plans" in text  # the portal's own navigation stays in English


def test_one_commitment_has_a_page_of_its_own(client, plan):
    response = client.get(f"/action-plans/{plan.slug}/commitments/2/document/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Public commitment 2" in page and "Milestone 2.3" in page
    assert "Public commitment 1" not in page and "Milestone 1.1" not in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize("number", [9, 10])
def test_a_draft_or_withdrawn_commitment_has_no_document_even_for_the_secretariat(
    client, plan, number
):
    assert (
        client.get(f"/action-plans/{plan.slug}/commitments/{number}/document/").status_code == 404
    )
    client.force_login(UserFactory(roles=["secretariat"]))
    assert (
        client.get(f"/action-plans/{plan.slug}/commitments/{number}/document/").status_code == 404
    )


@pytest.mark.parametrize(
    "address",
    [
        "/action-plans/bad%00slug/document/",
        "/action-plans/no-such-plan/document/",
        "/action-plans/a%20b/document/",
        "/action-plans/{slug}/commitments/99999999999999999999/document/",
        "/action-plans/{slug}/commitments/%00/document/",
        "/action-plans/{slug}/commitments/-1/document/",
        "/action-plans/bad%00slug/commitments/1/document/",
    ],
)
def test_a_bad_address_is_not_found_never_a_server_error(client, plan, address):
    assert client.get(address.format(slug=plan.slug)).status_code == 404


def test_the_plan_page_the_downloads_and_the_commitment_page_link_to_it(client, plan):
    document = f"/action-plans/{plan.slug}/document/"
    assert document in client.get(plan.get_absolute_url()).content.decode()
    assert document in client.get(f"/action-plans/{plan.slug}/exports/").content.decode()
    public = plan.commitments.get(number=1)
    assert (
        f"{public.get_absolute_url()}document/"
        in client.get(public.get_absolute_url()).content.decode()
    )
    withdrawn = plan.commitments.get(number=10)
    assert "document/" not in client.get(withdrawn.get_absolute_url()).content.decode()


@pytest.mark.parametrize("address", ["document/", "commitments/1/document/"])
def test_the_pages_cost_the_same_queries_for_1_and_10_commitments(
    client, django_assert_num_queries, address
):
    small, large = _plan_with(1), _plan_with(10)
    MilestoneFactory.create_batch(12, commitment=large.commitments.get(number=1))
    client.get(f"/action-plans/{small.slug}/{address}")

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(f"/action-plans/{small.slug}/{address}").status_code == 200
    with django_assert_num_queries(len(small_queries)):
        assert client.get(f"/action-plans/{large.slug}/{address}").status_code == 200
