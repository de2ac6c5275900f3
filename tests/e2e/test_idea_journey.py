"""One idea followed from a workshop contribution to a completed milestone (issue #23, item 1):
the member posts it, the facilitator publishes it and answers "taken into a commitment", the
secretariat drafts the commitment from it with a milestone, the co-chairs validate it, the
secretariat includes it in the plan and records the milestone complete. At each step the
member's "What became of my ideas" page and their e-mails show where the idea is."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.actionplans.conftest import co_chair
from tests.e2e.test_workshop_session import log_in
from tests.factories import (
    ActionPlanFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
)

pytestmark = pytest.mark.django_db(transaction=True)

IDEA = "Publish municipal budgets as open data"
COMMITMENT = "Open budget data in every municipality"


def _mails_to(member) -> list[str]:
    return [m.extra_headers["X-Forum-Notification"] for m in mail.outbox if m.to == [member.email]]


def test_an_idea_from_the_workshop_to_a_completed_milestone(browser, live_server):
    workshop = WorkshopFactory(title="Open data and access to information", language="en")
    plan = ActionPlanFactory(process=workshop.process, title="Fifth plan", slug="nap-5")
    facilitator = member_of("non_government", full_name="João Martins")
    workshop.facilitators.add(facilitator)
    member = member_of("government", full_name="Olena Kovalenko")
    RegistrationFactory(workshop=workshop, member=member)
    secretariat = UserFactory(roles=["secretariat"], full_name="Eleni Papadopoulou")
    gov_chair, ngo_chair = co_chair("government"), co_chair("non_government")
    ideas = f"{live_server.url}/action-plans/my-ideas/"
    board = f"{live_server.url}/workshops/{workshop.pk}/contributions/"

    # The member posts the idea.
    participant = log_in(browser, live_server, member)
    participant.goto(board)
    participant.get_by_label("Idea: a proposal for a commitment").check()
    participant.get_by_label("Title").fill(IDEA)
    participant.get_by_label("Describe it").fill("Every month, as CSV, with a data dictionary.")
    participant.get_by_role("button", name="Post", exact=True).click()
    expect(participant.get_by_text("appears once a facilitator publishes it")).to_be_visible()
    participant.goto(ideas)
    expect(participant.get_by_role("heading", name=IDEA)).to_be_visible()
    expect(participant.get_by_text("Waiting for a facilitator to publish it.")).to_be_visible()

    # The facilitator publishes it and answers: taken into a commitment.
    host = log_in(browser, live_server, facilitator)
    host.goto(board)
    host.get_by_text("Moderate").click()
    host.get_by_role("button", name="Publish", exact=True).click()
    host.get_by_text("Moderate").click()
    host.get_by_label("Reasoned response").select_option("taken_into_commitment")
    host.get_by_label("Commitment (when taken into one)").fill("Open budget data")
    host.get_by_label("Explanation").fill("The forum drafts a commitment on budget data from it.")
    host.get_by_role("button", name="Publish the response").click()
    expect(host.get_by_text("The reasoned response is published")).to_be_visible()
    participant.goto(ideas)
    expect(participant.get_by_text("Published on the workshop's board.")).to_be_visible()
    expect(participant.get_by_text("Reasoned response: Taken into a commitment")).to_be_visible()
    expect(participant.get_by_text("The forum drafts a commitment on budget data")).to_be_visible()
    assert _mails_to(member) == ["contribution_responded"]

    # The secretariat drafts the commitment from it, with a milestone, and sends it to the
    # forum; while a draft it is not named on the member's page.
    office = log_in(browser, live_server, secretariat)
    office.goto(f"{live_server.url}/action-plans/nap-5/commitments/new/")
    office.get_by_label("Title").fill(COMMITMENT)
    office.get_by_label(IDEA).check()
    office.get_by_role("button", name="Create the draft").click()
    expect(office.get_by_text("The draft commitment is created")).to_be_visible()
    commitment = plan.commitments.get()
    office.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    office.get_by_role("link", name="Add a milestone").click()
    office.get_by_label(re.compile(r"^Activity:?$")).fill(
        "Publish the first municipal budget data sets"
    )
    office.get_by_role("button", name="Save the milestone").click()
    expect(office.get_by_text("The milestone is saved.")).to_be_visible()
    participant.goto(ideas)
    expect(participant.get_by_text("Fed a draft commitment of Fifth plan")).to_be_visible()
    expect(participant.get_by_text(COMMITMENT)).to_have_count(0)
    office.get_by_role("button", name="Send to the forum for review").click()
    expect(office.get_by_text("In forum review").first).to_be_visible()

    # The co-chairs validate it: the member's page and inbox say so.
    for chair in (gov_chair, ngo_chair):
        chair_page = log_in(browser, live_server, chair)
        chair_page.goto(f"{live_server.url}{commitment.get_absolute_url()}")
        chair_page.get_by_role("button", name="Sign off for my stakeholder group").click()
    expect(chair_page.get_by_text("it is validated")).to_be_visible()
    participant.goto(ideas)
    expect(participant.get_by_role("link", name=COMMITMENT)).to_be_visible()
    expect(participant.get_by_text("Validated by the forum: yes")).to_be_visible()
    expect(participant.get_by_text("Included in the plan: not yet")).to_be_visible()
    assert _mails_to(member)[-1] == "idea_commitment_validated"

    # The secretariat includes it in the plan.
    office.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    office.get_by_role("button", name="Include in the plan").click()
    expect(office.get_by_text("Included in the plan").first).to_be_visible()
    participant.goto(ideas)
    expect(participant.get_by_text("Included in the plan: yes")).to_be_visible()
    expect(participant.get_by_text("0 of 1 milestone complete")).to_be_visible()
    assert _mails_to(member)[-1] == "idea_commitment_included"

    # The milestone is completed.
    office.get_by_role("link", name="Update progress").click()
    office.get_by_label(re.compile(r"^Completion:?$")).select_option("complete")
    office.get_by_role("button", name="Record the progress").click()
    participant.goto(ideas)
    expect(participant.get_by_text("1 of 1 milestone complete")).to_be_visible()
    expect(participant.locator(".journey__milestones")).to_contain_text("Complete")

    # Each step reached the member's inbox once; the commitment's page says where it came
    # from, with the member's organisation and group.
    assert _mails_to(member) == [
        "contribution_responded",
        "idea_commitment_validated",
        "idea_commitment_included",
        "idea_milestone_completed",
    ]
    completed = next(m for m in mail.outbox if "milestone" in m.subject and m.to == [member.email])
    assert COMMITMENT in completed.subject
    assert "/action-plans/my-ideas/" in completed.body
    participant.get_by_role("link", name=COMMITMENT).click()
    origins = participant.locator("#origins")
    expect(origins).to_contain_text(IDEA)
    expect(origins).to_contain_text("Olena Kovalenko")
    expect(origins).to_contain_text(member.organisation.name)
    expect(origins).to_contain_text("Government")
