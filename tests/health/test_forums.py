"""Forum health per forum: two forums in one portal, each with its own report, thresholds,
secretariat, digest and addresses (/forums/<slug>/health/); the old /forum-health/
addresses serve the default forum."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actionplans.rendering import plan_pdf_render
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from core.notifications.models import Notification
from health.checks import health_report
from health.models import HealthThresholds
from health.participation import participation
from health.services import health_digest_send, thresholds_update
from members.models import StakeholderGroup
from members.roles import SECRETARIAT
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
    member_of,
    role_give,
)
from tests.factories.actionplans import ActionPlanFactory
from tests.factories.health import ContributionFactory, DocumentFactory

pytestmark = pytest.mark.django_db
GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT
THRESHOLDS = {
    "meeting_interval_days": 90,
    "implementation_meetings_per_year": 2,
    "repository_update_days": 183,
    "notice_days": 21,
    "minutes_days": 14,
    "response_days": 30,
    "warning_days": 30,
}


def ago(days):
    return timezone.now() - timedelta(days=days)


def meeting(process, days_ago):
    return WorkshopFactory(
        process=process, kind="forum_meeting", status="held", starts_at=ago(days_ago)
    )


def state(report, key):
    return next(check for check in report.checks if check.key == key).state


@pytest.fixture
def forum_a():
    return default_forum()


@pytest.fixture
def forum_b():
    return ForumFactory(name="Pančevo local forum", slug="pancevo")


@pytest.fixture
def process_a(forum_a):
    return CoCreationProcessFactory(forum=forum_a, slug="process-a")


@pytest.fixture
def process_b(forum_b):
    return CoCreationProcessFactory(forum=forum_b, slug="process-b")


@pytest.fixture
def plan_a(process_a):
    return ActionPlanFactory(forum=process_a.forum, process=process_a, slug="plan-a")


@pytest.fixture
def plan_b(process_b):
    return ActionPlanFactory(
        forum=process_b.forum, process=process_b, slug="plan-b", title="Pančevo local plan"
    )


@pytest.fixture
def secretariat_b(forum_b):
    member = UserFactory(preferred_language="en")
    role_give(member, SECRETARIAT, forum_b)
    return member


# --- the checks read only their forum's records ----------------------------------------------


def test_a_meeting_in_forum_b_does_not_count_for_forum_a(forum_a, forum_b, process_a, process_b):
    meeting(process_a, 300)
    meeting(process_a, 10)  # 290 days after the previous one in forum A
    meeting(process_b, 150)  # would close forum A's gap if it counted

    report_a = health_report(forum=forum_a)
    report_b = health_report(forum=forum_b)

    assert state(report_a, "forum_meetings") == "not_met"
    forum_meetings_a = next(c for c in report_a.checks if c.key == "forum_meetings")
    assert len(forum_meetings_a.evidence) == 2
    assert state(report_b, "forum_meetings") == "met"
    assert "1 meeting" in next(c for c in report_b.checks if c.key == "forum_meetings").summary


def test_each_forum_s_repository_plans_and_workshops_are_its_own(
    forum_a, forum_b, plan_a, plan_b, process_b
):
    DocumentFactory(plan=plan_a, added_at=ago(300))
    DocumentFactory(plan=plan_b, added_at=ago(5))
    workshop_b = WorkshopFactory(process=process_b, status="held", starts_at=ago(60))
    ContributionFactory.create_batch(2, workshop=workshop_b)  # unanswered, late

    report_a = health_report(forum=forum_a)

    assert report_a.plans == [plan_a]
    assert state(report_a, "repository_updated") == "not_met"
    assert state(report_a, "reasoned_responses") == "not_applicable"
    assert state(health_report(forum=forum_b), "repository_updated") == "met"
    assert state(health_report(forum=forum_b), "reasoned_responses") == "not_met"


def test_a_plan_s_report_is_its_own_forum_s(forum_a, plan_b):
    assert health_report(forum=plan_b.forum, plan=plan_b).forum == plan_b.forum
    with pytest.raises(ValueError, match="another forum"):
        health_report(forum=forum_a, plan=plan_b)


def test_participation_counts_only_the_forum_s_workshops_and_first_times(
    forum_a, forum_b, process_a, process_b
):
    traveller = member_of(NGO)
    RegistrationFactory(
        workshop=WorkshopFactory(process=process_b, status="held", starts_at=ago(20)),
        member=traveller,
        group=NGO,
        attendance="attended",
    )
    RegistrationFactory(
        workshop=WorkshopFactory(process=process_a, status="held", starts_at=ago(5)),
        member=traveller,
        group=NGO,
        attendance="attended",
    )

    figures = participation(forum=forum_a)

    assert len(figures.workshops) == 1
    assert figures.total.first_time == 1  # new to forum A, though they came to forum B
    with pytest.raises(ValueError, match="another forum"):
        participation(forum=forum_a, process=process_b)


# --- thresholds per forum ----------------------------------------------------------------------


def test_each_forum_s_thresholds_apply_only_to_it(
    client, forum_a, forum_b, process_a, process_b, secretariat_b
):
    meeting(process_a, 110)
    meeting(process_a, 10)  # 100 days apart
    meeting(process_b, 110)
    meeting(process_b, 10)
    client.force_login(secretariat_b)

    response = client.post(reverse("health:forum_thresholds", args=["pancevo"]), THRESHOLDS)

    assert response.status_code == 302
    assert response["Location"] == reverse("health:forum_health", args=["pancevo"])
    assert HealthThresholds.of(forum_b).meeting_interval_days == 90
    assert HealthThresholds.of(forum_a).meeting_interval_days == 182
    assert state(health_report(forum=forum_b), "forum_meetings") == "not_met"
    assert state(health_report(forum=forum_a), "forum_meetings") == "met"
    page_b = client.get(reverse("health:forum_health", args=["pancevo"])).content.decode()
    assert "The forum meets at least every 90 days" in page_b
    page_a = client.get(reverse("health:forum_health", args=[forum_a.slug])).content.decode()
    assert "The forum meets at least every 182 days" in page_a
    assert "Edit the thresholds" in page_b and "Edit the thresholds" not in page_a
    entry = AuditEntry.objects.get(action="health.thresholds_changed")
    assert entry.about_id == str(HealthThresholds.of(forum_b).pk)


def test_another_forum_s_secretariat_gets_403_on_the_thresholds(client, forum_a, secretariat_b):
    client.force_login(secretariat_b)
    url = reverse("health:forum_thresholds", args=[forum_a.slug])

    assert client.get(url).status_code == 403
    assert client.post(url, THRESHOLDS).status_code == 403
    assert client.get(reverse("health:thresholds")).status_code == 403  # the old address
    assert HealthThresholds.of(forum_a).meeting_interval_days == 182
    assert not AuditEntry.objects.filter(action="health.thresholds_changed").exists()


def test_the_service_checks_the_forum_s_permission_too(forum_a, forum_b, secretariat_b):
    with pytest.raises(NotAllowed, match="Only the secretariat of"):
        thresholds_update(forum=forum_a, values=THRESHOLDS, by=secretariat_b)

    thresholds_update(forum=forum_b, values=THRESHOLDS, by=secretariat_b)
    assert HealthThresholds.of(forum_b).notice_days == 21
    assert HealthThresholds.of(forum_a).notice_days == 14


def test_the_thresholds_page_names_its_forum_and_keeps_bad_input(client, secretariat_b):
    client.force_login(secretariat_b)
    url = reverse("health:forum_thresholds", args=["pancevo"])

    page = client.get(url).content.decode()
    assert "<title>Forum health thresholds: Pančevo local forum" in page
    assert "<h1>Forum health thresholds: Pančevo local forum</h1>" in page

    response = client.post(url, {**THRESHOLDS, "meeting_interval_days": 0})
    assert response.status_code == 400
    assert 'value="21"' in response.content.decode()
    assert "greater than or equal to 1" in response.content.decode()


# --- addresses ---------------------------------------------------------------------------------


def test_a_forum_s_page_names_it_offers_its_plans_only_and_links_each_forum(
    client, forum_a, plan_a, plan_b
):
    page = client.get(reverse("health:forum_health", args=["pancevo"])).content.decode()

    assert "<h1>Forum health: Pančevo local forum</h1>" in page
    assert reverse("health:forum_plan_health", args=["pancevo", "plan-b"]) in page
    assert "plan-a" not in page
    assert f'href="{reverse("health:forum_health", args=[forum_a.slug])}"' in page
    assert reverse("health:forum_participation", args=["pancevo"]) in page
    assert reverse("health:forum_health_json", args=["pancevo"]) in page


def test_a_forum_s_json_names_the_forum_and_is_open_data(client, plan_b):
    response = client.get(reverse("health:forum_health_json", args=["pancevo"]))

    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["forum"] == {"slug": "pancevo", "name": "Pančevo local forum"}
    assert data["scope"] == "forum"
    plan_data = client.get(
        reverse("health:forum_plan_health_json", args=["pancevo", "plan-b"])
    ).json()
    assert plan_data["forum"]["slug"] == "pancevo" and plan_data["scope"] == "plan-b"


def test_unknown_forums_and_other_forums_plans_are_404(client, forum_a, plan_a, plan_b):
    for name in ["forum_health", "forum_health_json", "forum_participation"]:
        assert client.get(reverse(f"health:{name}", args=["nowhere"])).status_code == 404
    assert (
        client.get(reverse("health:forum_participation_csv", args=["nowhere"])).status_code == 404
    )
    for name in ["health:forum_plan_health", "health:forum_plan_health_json"]:
        assert client.get(reverse(name, args=[forum_a.slug, "plan-b"])).status_code == 404
        assert client.get(reverse(name, args=["pancevo", "plan-a"])).status_code == 404
        assert client.get(reverse(name, args=["nowhere", "plan-b"])).status_code == 404
        assert client.get(reverse(name, args=["pancevo", "plan-b"])).status_code == 200
    client.force_login(UserFactory(roles=[SECRETARIAT]))
    assert client.get(reverse("health:forum_thresholds", args=["nowhere"])).status_code == 404
    assert client.get("/forums/a%00b/health/").status_code == 404


def test_participation_scopes_must_be_the_forum_s(client, forum_a, process_b, plan_b):
    url = reverse("health:forum_participation", args=[forum_a.slug])

    assert client.get(url, {"scope": "process:process-b"}).status_code == 404
    assert client.get(url, {"scope": "plan:plan-b"}).status_code == 404
    url_b = reverse("health:forum_participation", args=["pancevo"])
    page = client.get(url_b, {"scope": "process:process-b"})
    assert page.status_code == 200
    assert "(Pančevo local forum)" in page.content.decode()


def test_the_old_addresses_serve_the_default_forum(client, forum_a, plan_a, plan_b):
    client.force_login(UserFactory(roles=[SECRETARIAT]))  # the default forum's

    for url in [
        "/forum-health/",
        "/forum-health/report.json",
        "/forum-health/participation/",
        "/forum-health/participation.csv",
        "/forum-health/thresholds/",
        "/forum-health/plans/plan-a/",
        "/forum-health/plans/plan-a/report.json",
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get("/forum-health/").content.decode()
    assert f"<h1>Forum health: {forum_a.name}</h1>" in page
    assert "plan-b" not in page
    data = client.get("/forum-health/report.json")
    assert data["Access-Control-Allow-Origin"] == "*"
    assert data.json()["forum"]["slug"] == forum_a.slug


def test_a_plan_s_old_address_uses_that_plan_s_forum(client, plan_b):
    page = client.get("/forum-health/plans/plan-b/").content.decode()

    assert "Forum health of Pančevo local forum: Pančevo local plan" in page
    data = client.get("/forum-health/plans/plan-b/report.json").json()
    assert data["forum"]["slug"] == "pancevo"


def test_the_forum_page_costs_as_many_queries_as_the_old_one_whatever_the_other_forums(
    client, forum_a, process_a, process_b, django_assert_max_num_queries
):
    meeting(process_a, 10)
    url = reverse("health:forum_health", args=[forum_a.slug])
    client.get(url)
    with django_assert_max_num_queries(30) as old:
        client.get("/forum-health/")
    with django_assert_max_num_queries(len(old.captured_queries)) as small:
        client.get(url)
    for n in range(5):
        forum = ForumFactory()
        process = CoCreationProcessFactory(forum=forum)
        ActionPlanFactory(forum=forum, process=process)
        ContributionFactory(workshop=meeting(process, n + 1))
        meeting(process_b, 20 * n + 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('class="health-check"') == 9


# --- the secretariat's digest, dashboard and the plan's PDF ------------------------------------


def test_the_digest_goes_per_forum_to_its_own_secretariat(
    forum_a, forum_b, process_a, process_b, secretariat_b, django_capture_on_commit_callbacks
):
    meeting(process_a, 170)  # forum A: the next meeting is due soon
    ContributionFactory.create_batch(
        3, workshop=WorkshopFactory(process=process_b, status="held", starts_at=ago(40))
    )  # forum B: three contributions without a response, late
    both = UserFactory(roles=[SECRETARIAT], preferred_language="en")  # runs forum A...
    role_give(both, SECRETARIAT, forum_b)  # ... and forum B
    only_a = UserFactory(roles=[SECRETARIAT], preferred_language="en")

    with django_capture_on_commit_callbacks(execute=True):
        assert health_digest_send() == 4
    assert health_digest_send() == 0  # the same week, per forum too

    digests = {
        (n.recipient_id, n.subject.split(" this week")[0]): n for n in Notification.objects.all()
    }
    assert set(digests) == {
        (both.pk, f"Forum health of {forum_a.name}"),
        (both.pk, "Forum health of Pančevo local forum"),
        (only_a.pk, f"Forum health of {forum_a.name}"),
        (secretariat_b.pk, "Forum health of Pančevo local forum"),
    }
    body_b = digests[secretariat_b.pk, "Forum health of Pančevo local forum"].body
    assert "health of Pančevo local forum" in body_b
    assert "3 contributions from the workshop of" in body_b
    assert "The next forum meeting" not in body_b
    digest_a = digests[only_a.pk, f"Forum health of {forum_a.name}"]
    assert "The next forum meeting must take place by" in digest_a.body
    assert "contributions from the workshop" not in digest_a.body
    assert digest_a.url == reverse("health:forum_health", args=[forum_a.slug])
    assert health_digest_send(now=timezone.now() + timedelta(days=7)) == 4


def test_my_forum_shows_a_report_for_each_forum_the_member_runs(
    client, forum_a, forum_b, process_b, secretariat_b
):
    meeting(process_b, 170)

    client.force_login(secretariat_b)
    page = client.get(reverse("members:my_forum")).content.decode()
    assert "Forum health of Pančevo local forum: what needs attention" in page
    assert "The next forum meeting must take place by" in page
    assert f"Forum health of {forum_a.name}" not in page

    role_give(secretariat_b, SECRETARIAT, forum_a)
    page = client.get(reverse("members:my_forum")).content.decode()
    assert f"Forum health of {forum_a.name}: what needs attention" in page
    assert "Forum health of Pančevo local forum: what needs attention" in page
    assert reverse("health:forum_health", args=["pancevo"]) in page


def test_the_plan_pdf_annex_is_the_plan_s_forum_s(forum_a, process_a, plan_b, process_b):
    meeting(process_a, 400)  # forum A: overdue; forum B has no meeting at all
    WorkshopFactory(process=process_b, status="held", starts_at=ago(40), title="Roma inclusion")

    pdf, _pages = plan_pdf_render(plan_b)

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages[-2:])
    text = " ".join(text.split())
    assert "OGP's minimum requirements for Pančevo local forum" in text
    assert "No forum meeting is recorded." in text


# --- the administration ------------------------------------------------------------------------


def test_in_the_admin_the_site_administrator_changes_a_forum_s_thresholds_through_the_service(
    admin_client, forum_a, forum_b
):
    """The secretariat sets its thresholds on the forum's health page; the administration
    is the site administrator's, and saves through the same audited service."""
    HealthThresholds.of(forum_a)
    row_b = HealthThresholds.of(forum_b)

    listing = admin_client.get(reverse("admin:standards_healththresholds_changelist"))
    assert forum_a.name in listing.content.decode() and "Pančevo local forum" in (
        listing.content.decode()
    )
    url_b = reverse("admin:standards_healththresholds_change", args=[row_b.pk])
    assert admin_client.post(url_b, THRESHOLDS).status_code == 302
    assert HealthThresholds.of(forum_b).meeting_interval_days == 90
    assert HealthThresholds.of(forum_a).meeting_interval_days == 182
    assert AuditEntry.objects.filter(action="health.thresholds_changed").count() == 1
