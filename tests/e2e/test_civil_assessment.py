"""A civil-society member of the forum's body records civil society's assessment of a
milestone beside the lead agency's report; the secretariat reads the plan's dashboard with
both side by side and the disagreement flagged."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_workshop_session import log_in
from tests.factories import CommitmentFactory, MilestoneFactory, UserFactory, member_of, seat_give

pytestmark = pytest.mark.django_db(transaction=True)


def test_civil_society_assesses_and_the_dashboard_flags_the_difference(browser, live_server):
    commitment = CommitmentFactory(status="included", title="Open procurement data")
    MilestoneFactory(
        commitment=commitment,
        activity="Publish every tender as open data",
        completion="complete",
        progress_reported_at=timezone.now(),
    )
    watchdog = member_of("non_government", full_name="Agnieszka Nowak")
    seat_give(watchdog)
    secretariat = UserFactory(roles=["secretariat"], full_name="Eleni Papadopoulou")

    page = log_in(browser, live_server, watchdog)
    page.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    page.get_by_text("Record civil society's assessment").click()
    page.get_by_label("Completion, in civil society's view").select_option("substantial")
    page.get_by_label("Evidence link").fill("not a link")
    page.get_by_label("Note").fill("Half of the tenders are scanned PDFs.")
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_text("Enter a valid URL.")).to_be_visible()
    expect(page.get_by_label("Note")).to_have_value("Half of the tenders are scanned PDFs.")
    page.get_by_label("Evidence link").fill("https://watchdog.example.org/tenders")
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_text("Civil society's assessment is recorded.")).to_be_visible()
    expect(page.get_by_text("Differs from the government's report")).to_be_visible()

    office = log_in(browser, live_server, secretariat)
    office.goto(f"{live_server.url}/action-plans/{commitment.plan.slug}/dashboard/")
    row = office.locator("tr", has_text="Publish every tender as open data").last
    expect(row).to_contain_text("Complete")
    expect(row).to_contain_text("Substantial")
    expect(row).to_contain_text("They differ")
