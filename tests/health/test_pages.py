"""The forum health page, its JSON, the thresholds form, the secretariat's warnings and the
weekly digest."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actionplans.rendering import plan_pdf_render
from core.audit.models import AuditEntry
from core.notifications.models import Notification
from health.models import HealthThresholds
from health.services import health_digest_send
from members.models import StakeholderGroup
from members.roles import SECRETARIAT
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
)
from tests.factories.health import ContributionFactory, MinutesFactory

pytestmark = pytest.mark.django_db
GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT


@pytest.fixture
def secretariat():
    return UserFactory(roles=[SECRETARIAT], preferred_language="en")


@pytest.fixture
def forum_with_gaps():
    """A meeting 170 days ago (the next is due within the warning), three unanswered
    contributions from a workshop 40 days ago (late), a plan with no document."""
    process = CoCreationProcessFactory()
    now = timezone.now()
    WorkshopFactory(
        process=process, kind="forum_meeting", status="held", starts_at=now - timedelta(170)
    )
    workshop = WorkshopFactory(process=process, status="held", starts_at=now - timedelta(40))
    ContributionFactory.create_batch(3, workshop=workshop)
    return ActionPlanFactory(process=process, status="implementation", slug="nap-5")


def test_the_page_lists_every_check_with_its_state_and_the_warnings(client, forum_with_gaps):
    response = client.get(reverse("health:health"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "The forum meets at least every 182 days" in page
    assert "The next forum meeting must take place by" in page
    assert "3 contributions from the workshop of" in page
    assert page.count('class="health-check"') == 9
    assert "Not met" in page and "At risk" in page


def test_a_plan_s_page_and_an_unknown_plan(client, forum_with_gaps):
    assert client.get(reverse("health:plan_health", args=["nap-5"])).status_code == 200
    assert client.get(reverse("health:plan_health", args=["nap-9"])).status_code == 404


def test_the_report_as_json(client, forum_with_gaps):
    data = client.get(reverse("health:plan_health_json", args=["nap-5"])).json()

    assert data["scope"] == "nap-5"
    assert data["thresholds"]["meeting_interval_days"] == 182
    states = {check["key"]: check["state"] for check in data["checks"]}
    assert states["reasoned_responses"] == "not_met"
    assert states["forum_meetings"] == "at_risk"
    responses = next(c for c in data["checks"] if c["key"] == "reasoned_responses")
    assert len([e for e in responses["evidence"] if e["problem"]]) == 3


def test_the_page_costs_the_same_queries_with_more_records(
    client, forum_with_gaps, django_assert_max_num_queries
):
    client.get(reverse("health:health"))
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("health:health"))
    process = forum_with_gaps.process
    for days in range(1, 30):
        workshop = WorkshopFactory(
            process=process, status="held", starts_at=timezone.now() - timedelta(days=days)
        )
        ContributionFactory.create_batch(2, workshop=workshop)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("health:health"))


def test_the_secretariat_edits_the_thresholds_and_the_report_follows(client, secretariat):
    client.force_login(secretariat)
    url = reverse("health:thresholds")
    values = {
        "meeting_interval_days": 90,
        "implementation_meetings_per_year": 2,
        "repository_update_days": 183,
        "notice_days": 21,
        "minutes_days": 14,
        "response_days": 30,
        "warning_days": 30,
    }

    response = client.post(url, values)

    assert response.status_code == 302
    assert HealthThresholds.of(default_forum()).notice_days == 21
    assert AuditEntry.objects.filter(action="health.thresholds_changed").count() == 1
    page = client.get(reverse("health:health")).content.decode()
    assert "The forum meets at least every 90 days" in page


def test_a_bad_threshold_is_refused_and_the_form_keeps_the_input(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("health:thresholds"),
        {"meeting_interval_days": 0, "notice_days": 21, "minutes_days": 14},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="21"' in page
    assert "greater than or equal to 1" in page
    assert HealthThresholds.of(default_forum()).meeting_interval_days == 182


def test_only_the_secretariat_edits_the_thresholds(client):
    client.force_login(UserFactory())
    assert client.get(reverse("health:thresholds")).status_code == 403
    assert "Edit the thresholds" not in client.get(reverse("health:health")).content.decode()


def test_the_secretariat_s_dashboard_warns_ahead(client, secretariat, forum_with_gaps):
    client.force_login(secretariat)
    page = client.get(reverse("members:my_forum")).content.decode()

    assert f"Forum health of {default_forum().name}: what needs attention" in page
    assert "The next forum meeting must take place by" in page

    client.force_login(UserFactory())
    assert "what needs attention" not in client.get(reverse("members:my_forum")).content.decode()


def test_the_weekly_digest_goes_to_the_secretariat_once_a_week(
    secretariat, forum_with_gaps, django_capture_on_commit_callbacks
):
    Greek = UserFactory(roles=[SECRETARIAT], preferred_language="el")
    UserFactory()  # a member: no digest

    with django_capture_on_commit_callbacks(execute=True):
        assert health_digest_send() == 2
    assert health_digest_send() == 0  # the same week

    english = Notification.objects.get(recipient=secretariat)
    assert f"Forum health of {default_forum().name} this week" in english.subject
    assert "3 contributions from the workshop of" in english.body
    assert Notification.objects.get(recipient=Greek).language == "el"
    assert len(mail.outbox) == 2
    assert health_digest_send(now=timezone.now() + timedelta(days=7)) == 2


def test_no_digest_when_all_is_well(secretariat):
    meeting = WorkshopFactory(
        kind="forum_meeting", status="held", starts_at=timezone.now() - timedelta(days=3)
    )
    RegistrationFactory(workshop=meeting, group=GOV, attendance="attended")
    RegistrationFactory(workshop=meeting, group=NGO, attendance="attended")
    MinutesFactory(workshop=meeting)

    assert health_digest_send() == 0


def test_the_plan_pdf_ends_with_the_forum_health_annex(forum_with_gaps):
    pdf, pages = plan_pdf_render(forum_with_gaps)

    last_pages = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages[-2:])
    assert "Annex: forum health" in last_pages
    assert "Not met" in last_pages and "At risk" in last_pages
    assert "3 contributions from the workshop of" in last_pages.replace("\n", " ")
