"""A visitor reads the whole plan as a web page, from the plan page, on a phone and on
paper: no page wider than the screen, and the printed page holds the plan without the
portal's header, menus and footer."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan():
    plan = ActionPlanFactory(title="Εθνικό Σχέδιο Δράσης 2026–2028", language="el")
    for number in (1, 2):
        commitment = CommitmentFactory(
            plan=plan,
            number=number,
            status="included",
            title=f"Ανοιχτά δεδομένα προϋπολογισμού {number}",
            contact_email="a.very.long.address.of.the.ministry.unit@example.gov.gr",
        )
        MilestoneFactory.create_batch(3, commitment=commitment)
    CommitmentFactory(plan=plan, number=3, status="draft", title="Secret draft")
    return plan


def test_a_visitor_reads_and_prints_the_whole_plan(browser, live_server, plan):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")

    page.get_by_role("link", name="Read the whole plan").click()
    page.wait_for_url("**/document/")  # loaded, its stylesheet too: the width is measured below

    expect(page.locator("article[lang=el] h1")).to_have_text(plan.title)
    expect(page.get_by_role("heading", name="Ανοιχτά δεδομένα προϋπολογισμού 2")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    assert "Secret draft" not in page.content()

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    assert "Ανοιχτά δεδομένα προϋπολογισμού 2" in text
    assert "Skip to content" not in text and "Privacy notice" not in text
    context.close()
