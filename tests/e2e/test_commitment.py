"""A co-drafter writes a commitment and sends it to the forum; both co-chairs sign it off;
the secretariat includes it and downloads the plan's PDF."""

import pytest
from playwright.sync_api import expect

from tests.actionplans.conftest import co_chair
from tests.e2e.test_workshop_session import log_in
from tests.factories import ActionPlanFactory, CommitmentFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_from_draft_to_the_plans_pdf(browser, live_server):
    plan = ActionPlanFactory(title="6th National Action Plan")
    drafter = member_of("non_government", full_name="Sofia Alexiou")
    commitment = CommitmentFactory(plan=plan, title="Open budget data", co_drafters=[drafter])
    gov_chair, ngo_chair = co_chair("government"), co_chair("non_government")
    secretariat = UserFactory(roles=["secretariat"], full_name="Eleni Papadopoulou")
    url = f"{live_server.url}{commitment.get_absolute_url()}"

    page = log_in(browser, live_server, drafter)
    page.goto(url)
    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_label("Problem definition").fill("Budget figures come as scanned PDFs.")
    page.get_by_role("button", name="Save this version").click()
    expect(page.get_by_text("Saved. The previous version is kept.")).to_be_visible()
    page.get_by_role("button", name="Send to the forum for review").click()
    expect(page.get_by_text("In forum review").first).to_be_visible()

    for chair in (gov_chair, ngo_chair):
        chair_page = log_in(browser, live_server, chair)
        chair_page.goto(url)
        chair_page.get_by_role("button", name="Sign off for my stakeholder group").click()
        expect(chair_page.get_by_text(f"signed by {chair.public_name}")).to_be_visible()
    expect(chair_page.get_by_text("it is validated")).to_be_visible()

    office = log_in(browser, live_server, secretariat)
    office.goto(url)
    office.get_by_role("button", name="Include in the plan").click()
    expect(office.get_by_text("Included in the plan").first).to_be_visible()
    office.get_by_role("link", name="Downloads").first.click()
    office.get_by_role("button", name="Build the PDF").click()
    expect(office.get_by_text("The PDF is ready")).to_be_visible(timeout=30_000)
    with office.expect_download() as download:
        office.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"{plan.slug}.pdf"
