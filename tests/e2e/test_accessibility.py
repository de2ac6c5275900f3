"""The key pages pass an automated WCAG audit (axe-core) with no serious or critical
violation, in English and in Ukrainian (Cyrillic).

axe-core comes from the axe-playwright-python package (dev extra), which ships axe.min.js:
nothing is fetched from the internet. It is evaluated through the DevTools protocol, so the
portal's Content Security Policy (no inline scripts) stays as it is.

To audit a new page, add one line to PAGES: a name, who looks at it (None for a visitor, or a
key of the `people` fixture) and the address (a function of the `forum` fixture's objects).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.test import Client

from cocreation import services as cocreation
from cocreation.models import PastMeeting
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
LANGUAGES = ["en", "uk"]  # English, and one Cyrillic language
FAILING_IMPACTS = {"serious", "critical"}


@dataclass
class Forum:
    workshop: object
    registered_workshop: object
    commitment: object
    draft: object


PAGES = [
    ("home", None, lambda forum: "/"),
    ("workshop list", None, lambda forum: "/workshops/"),
    ("search results", None, lambda forum: "/search/?q=workshop"),
    ("workshop page", None, lambda forum: forum.workshop.get_absolute_url()),
    ("registration form", "member", lambda forum: forum.workshop.get_absolute_url()),
    (
        "registration confirmed",
        "participant",
        lambda forum: forum.registered_workshop.get_absolute_url(),
    ),
    (
        "contribution board",
        "facilitator",
        lambda forum: f"/workshops/{forum.registered_workshop.pk}/contributions/",
    ),
    ("sign-up", None, lambda forum: "/accounts/signup/"),
    ("log-in", None, lambda forum: "/accounts/login/"),
    ("membership queue", "secretariat", lambda forum: "/members/queue/"),
    ("two-factor log-in", "member", lambda forum: "/accounts/2fa/"),
    ("moderation queue", "facilitator", lambda forum: "/workshops/moderation/"),
    ("my forum", "participant", lambda forum: "/members/my-forum/"),
    ("organisations", None, lambda forum: "/members/organisations/"),
    ("forum composition", None, lambda forum: "/members/composition/"),
    (
        "a workshop in the back office, with its participation summary",
        "secretariat",
        lambda forum: (
            f"/manage/{forum.registered_workshop.process.forum.slug}/workshops/"
            f"{forum.registered_workshop.pk}/"
        ),
    ),
    (
        "past meetings in the back office",
        "secretariat",
        lambda forum: f"/manage/{forum.registered_workshop.process.forum.slug}/past-meetings/",
    ),
    ("action plan", None, lambda forum: forum.commitment.plan.get_absolute_url()),
    ("commitment page", None, lambda forum: forum.commitment.get_absolute_url()),
    ("the whole plan", None, lambda forum: f"/action-plans/{forum.commitment.plan.slug}/document/"),
    (
        "one commitment to read",
        None,
        lambda forum: forum.commitment.get_absolute_url() + "document/",
    ),
    ("commitment page, commenting", "member", lambda forum: forum.commitment.get_absolute_url()),
    ("commitment drafting", "secretariat", lambda forum: forum.draft.get_absolute_url() + "edit/"),
    (
        "action-plan dashboard",
        None,
        lambda forum: f"/action-plans/{forum.commitment.plan.slug}/dashboard/",
    ),
    ("event list", None, lambda forum: "/events/"),
    ("event map", None, lambda forum: "/events/map/"),
    ("event review queue", "secretariat", lambda forum: "/events/review/"),
    ("forum health", None, lambda forum: "/forum-health/"),
    (
        "forum health of a plan",
        None,
        lambda forum: f"/forum-health/plans/{forum.commitment.plan.slug}/",
    ),
    (
        "forum health of a plan, its secretariat (the evidence pack)",
        "secretariat",
        lambda forum: f"/forum-health/plans/{forum.commitment.plan.slug}/",
    ),
    ("forum health thresholds", "secretariat", lambda forum: "/forum-health/thresholds/"),
    ("my forum, secretariat", "secretariat", lambda forum: "/members/my-forum/"),
    ("what became of my ideas", "participant", lambda forum: "/action-plans/my-ideas/"),
    ("forums", None, lambda forum: "/forums/"),
    ("a forum's page", None, lambda forum: forum.commitment.plan.forum.get_absolute_url()),
    ("forum creation form", "admin", lambda forum: "/forums/new/"),
]


@pytest.fixture
def people():
    facilitator = member_of("non_government", full_name="João Martins")
    return {
        "member": member_of("government", full_name="Olena Kovalenko"),
        "participant": member_of("government", full_name="Eleni Papadopoulou"),
        "facilitator": facilitator,
        "secretariat": UserFactory(roles=["secretariat"], full_name="Ana Ferreira"),
        # with an organisation of their own proposal: the queue asks its sector
        "pending": UserFactory(
            membership_status="pending",
            full_name="Marko Petrović",
            organisation=OrganisationFactory(name="Proposed Watchdog", verified=False),
        ),
        "admin": UserFactory(is_superuser=True, full_name="Site Administrator"),
    }


@pytest.fixture
def forum(people):
    workshop = WorkshopFactory(title="Open data and access to information")
    registered = WorkshopFactory(title="Public procurement")
    registered.facilitators.add(people["facilitator"])
    cocreation.workshop_register(workshop=registered, member=people["participant"], answers={})
    idea = cocreation.contribution_post(
        workshop=registered,
        author=people["participant"],
        kind="idea",
        title="Publish every contract",
        text="All public contracts online, in open formats, within a week.",
    )
    cocreation.contribution_publish(contribution=idea, by=people["facilitator"])
    cocreation.contribution_respond(
        contribution=idea,
        disposition="taken_into_commitment",
        explanation="It became the commitment on open contracting.",
        by=people["facilitator"],
    )
    cocreation.contribution_post(
        workshop=registered,
        author=people["participant"],
        kind="challenge",
        title="Budgets are hard to read",
        text="Citizens cannot follow the municipal budget.",
    )
    plan = ActionPlanFactory(in_consultation=True, process=registered.process)
    commitment = CommitmentFactory(plan=plan, status="validated", title="Open contracting")
    commitment.contributions.add(idea)
    MilestoneFactory(commitment=commitment, completion="substantial")
    MilestoneFactory(commitment=commitment, end_date="2020-01-01")
    draft = CommitmentFactory(plan=plan, status="draft", title="Plain-language laws")
    PastMeeting.objects.create(
        forum=registered.process.forum,
        held_on=date(2019, 10, 8),
        title="Forum plenary on the 4th action plan",
        minutes_url="https://example.org/minutes.pdf",
        present_government=11,
        present_non_government=14,
    )
    PastMeeting.objects.create(
        forum=registered.process.forum, held_on=date(2018, 5, 2), title="Kick-off meeting"
    )
    EventFactory(title="Open budgets in Athens")
    EventFactory(title="Hackathon in Lviv", status="submitted", city="Lviv", country="UA")
    return Forum(
        workshop=workshop, registered_workshop=registered, commitment=commitment, draft=draft
    )


def _session_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}


def _describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '')!r}")
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_page_has_no_serious_accessibility_violation(
    browser, live_server, forum, people, language
):
    """Every page of PAGES audited in one test per language (the forum is made once; a
    page's failure does not hide the next page's: all are listed)."""
    contexts = {}
    failures = []
    for name, who, address in PAGES:
        if who not in contexts:
            context = browser.new_context()
            cookies = [
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
            ]
            if who:
                cookies.append(_session_cookie(people[who], live_server))
            context.add_cookies(cookies)
            contexts[who] = context.new_page()
        page = contexts[who]

        response = page.goto(live_server.url + address(forum))

        if response.status != 200:
            failures.append(f"{name} ({language}): {response.status}")
            continue
        if page.locator("html").get_attribute("lang") != language:
            failures.append(f"{name}: not in {language}")
        page.evaluate(AXE_SCRIPT)
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        failing = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
        if failing:
            failures.append(f"{name} ({language}) fails the audit:\n{_describe(failing)}")
    for page in contexts.values():
        page.context.close()
    assert len(PAGES) > 30
    assert not failures, "\n".join(failures)


def test_the_audit_reports_what_it_should(page):
    """A guard on the guard: axe runs and reports an unlabelled field and an image without
    a text alternative as serious or critical."""
    page.set_content('<html lang="en"><body><main><img src="x.png"><input></main></body></html>')
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")

    failing = {v["id"] for v in results["violations"] if v["impact"] in FAILING_IMPACTS}
    assert {"image-alt", "label"} <= failing
