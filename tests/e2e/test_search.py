"""The search box of the header: typed into on a desktop and on a phone (behind the menu),
results grouped by kind; and, on PostgreSQL, the issue's searches in Greek, Portuguese and
Serbian (issue 30, "Done when")."""

import pytest
from playwright.sync_api import expect

from tests.factories import WorkshopFactory
from tests.factories.actionplans import ActionPlanFactory, CommitmentFactory, MilestoneFactory
from tests.factories.events import EventFactory
from tests.factories.health import ContributionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _search(page, text):
    box = page.get_by_role("searchbox", name="Search the portal")
    box.fill(text)
    box.press("Enter")


def test_the_header_box_finds_results_grouped_by_kind(page, live_server):
    workshop = WorkshopFactory(title="Open budget workshop", description="Budget data for all")
    ContributionFactory(workshop=workshop, title="Monthly budget data", text="Publish it")
    EventFactory(title="Debate on open budgets")

    page.goto(live_server.url + "/events/")
    _search(page, "budget")

    expect(page).to_have_url(live_server.url + "/search/?q=budget")
    expect(page.get_by_role("heading", level=2, name="Workshops (1)")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Contributions (1)")).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    page.get_by_role("link", name="Monthly budget data").click()
    expect(page).to_have_url(
        f"{live_server.url}/workshops/{workshop.pk}/contributions/#c{workshop.contributions.get().pk}"
    )


def test_on_a_phone_the_box_opens_with_the_menu(browser, live_server):
    WorkshopFactory(title="Open budget workshop")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/workshops/")
    box = page.get_by_role("searchbox", name="Search the portal")
    assert not box.is_visible()
    assert page.locator(".site-header").bounding_box()["height"] <= 0.15 * 740
    page.get_by_role("button", name="Menu").click()
    _search(page, "budget")
    expect(page.get_by_role("heading", level=2, name="Workshops (1)")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


@pytest.mark.requires_postgres
def test_the_issues_searches_in_greek_portuguese_and_serbian(page, live_server):
    workshop = WorkshopFactory(title="Ανοικτά δεδομένα", language="el")
    ContributionFactory(workshop=workshop, title="Δημοσίευση των δεδομένων του προϋπολογισμού")
    plan = ActionPlanFactory(language="pt", title="Plano de ação municipal")
    commitment = CommitmentFactory(plan=plan, status="included", title="Compras públicas")
    MilestoneFactory(commitment=commitment, activity="Publicar todas as contratações")
    serbian = ActionPlanFactory(language="sr", title="Локални акциони план")
    CommitmentFactory(plan=serbian, status="included", title="Отворени подаци о буџету")

    page.goto(live_server.url + "/")
    for typed, expected in [
        ("δεδομένα", "Δημοσίευση των δεδομένων του προϋπολογισμού"),
        ("contratação", "Publicar todas as contratações"),
        ("podaci", "Отворени подаци о буџету"),
    ]:
        _search(page, typed)
        expect(page.get_by_role("link", name=expected)).to_be_visible()
