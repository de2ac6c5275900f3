"""The facilitator's board refreshes itself every 10 seconds: a reasoned response being
typed survives the refresh, while new contributions appear."""

import pytest
from playwright.sync_api import expect

from cocreation import services
from tests.e2e.test_workshop_session import log_in
from tests.factories import RegistrationFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_response_being_typed_survives_the_boards_refresh(browser, live_server):
    workshop = WorkshopFactory(title="Open data")
    facilitator = member_of("non_government", full_name="João Martins")
    workshop.facilitators.add(facilitator)
    author = RegistrationFactory(workshop=workshop, group="government").member
    idea = services.contribution_post(
        workshop=workshop, author=author, kind="idea", title="Open budgets", text="As CSV."
    )
    services.contribution_publish(contribution=idea, by=facilitator)

    host = log_in(browser, live_server, facilitator)
    host.goto(f"{live_server.url}/workshops/{workshop.pk}/contributions/")
    host.get_by_text("Moderate").click()
    explanation = host.get_by_label("Explanation")
    explanation.fill("The forum will draft it with the Ministry")
    services.contribution_post(
        workshop=workshop, author=author, kind="idea", title="Open contracts", text="Too."
    )

    with host.expect_response(lambda r: "/contributions/" in r.url, timeout=15000):
        pass  # the board's own refresh, every 10 seconds
    expect(host.get_by_role("heading", name="Open contracts")).to_be_visible()
    expect(host.locator(f"#explanation-{idea.pk}")).to_have_value(
        "The forum will draft it with the Ministry"
    )
    expect(host.locator(f"#explanation-{idea.pk}")).to_be_visible()  # its box is still open
