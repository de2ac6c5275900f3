"""A member registers, a facilitator checks them in, the member posts an idea, the
facilitator publishes it with a reasoned response, and the public page shows it."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(browser, live_server, user):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text(f"Logged in as {user.get_full_name()}")).to_be_visible()
    return page


def test_from_registration_to_a_public_reasoned_response(browser, live_server):
    workshop = WorkshopFactory(
        title="Open data and access to information", check_in_opens_hours_before=24 * 8
    )
    facilitator = member_of("non_government", full_name="João Martins")
    workshop.facilitators.add(facilitator)
    member = member_of("government", full_name="Olena Kovalenko")
    workshop_url = f"{live_server.url}/workshops/{workshop.pk}/"

    participant = log_in(browser, live_server, member)
    participant.goto(workshop_url)
    participant.get_by_label("I agree to be named in the published minutes").check()
    participant.get_by_role("button", name="Register").click()
    expect(participant.get_by_text("You have a seat at this workshop.")).to_be_visible()

    host = log_in(browser, live_server, facilitator)
    host.goto(f"{workshop_url}check-in/")
    row = host.get_by_role("row", name="Olena Kovalenko")
    row.get_by_role("button", name="Attended").click()
    expect(host.get_by_role("row", name="Olena Kovalenko")).to_contain_text("Attended")

    participant.goto(f"{workshop_url}contributions/")
    participant.get_by_label("Idea: a proposal for a commitment").check()
    participant.get_by_label("Title").fill("Publish municipal budgets as open data")
    participant.get_by_label("Describe it").fill("Every month, as CSV, with a data dictionary.")
    participant.get_by_role("button", name="Post", exact=True).click()
    expect(participant.get_by_text("appears once a facilitator publishes it")).to_be_visible()

    host.goto(f"{workshop_url}contributions/")
    host.get_by_text("Moderate").click()
    host.get_by_role("button", name="Publish", exact=True).click()
    host.get_by_text("Moderate").click()
    host.get_by_label("Reasoned response").select_option("under_consideration")
    host.get_by_label("Explanation").fill("The forum will draft it with the Ministry of Finance.")
    host.get_by_role("button", name="Publish the response").click()
    expect(host.get_by_text("The reasoned response is published")).to_be_visible()

    public = browser.new_context().new_page()
    public.goto(f"{workshop_url}contributions/")
    expect(
        public.get_by_role("heading", name="Publish municipal budgets as open data")
    ).to_be_visible()
    expect(public.get_by_text("Reasoned response: Under consideration")).to_be_visible()
    expect(
        public.get_by_text("The forum will draft it with the Ministry of Finance.")
    ).to_be_visible()
    expect(
        public.get_by_text("1 of 1 published contributions have a reasoned response.")
    ).to_be_visible()
