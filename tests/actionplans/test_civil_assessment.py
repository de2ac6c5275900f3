"""Civil society's assessment beside the government's (issue #23, item 3): for each milestone
of a public commitment, the civil-society members of the plan's forum body (or the plan's
assessment panel, which its secretariat names) record their own level on the same
completion scale, with evidence and a note. The commitment page, the dashboard, the exports
and forum health show both side by side and flag where they differ."""

import csv
import html
import io
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans import permissions, rendering, services
from actionplans.models import Milestone, MilestoneAssessment
from core.audit.models import AuditEntry
from core.errors import ForumError, NotAllowed
from health.checks import health_report
from members.models import StakeholderGroup, User
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ForumFactory,
    MilestoneFactory,
    UserFactory,
    member_of,
    seat_give,
)

pytestmark = pytest.mark.django_db

GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def text(response) -> str:
    """A page's HTML with its character references read (an apostrophe comes either way)."""
    return html.unescape(response.content.decode())


def civil_society_member(forum=None, **kwargs):
    """A member of a civil-society organisation with a seat on `forum`'s body."""
    member = member_of(NGO, **kwargs)
    seat_give(member, forum=forum)
    return member


def reported(commitment, completion="complete", **kwargs):
    """A milestone whose lead agency has reported its progress."""
    return MilestoneFactory(
        commitment=commitment,
        completion=completion,
        progress_reported_at=timezone.now(),
        **kwargs,
    )


def assessment(completion="substantial", **kwargs):
    return {
        "completion": completion,
        "evidence_url": "https://watchdog.example.org/audit",
        "evidence": "",
        "note": "Only half of the data sets are machine-readable.",
        **kwargs,
    }


@pytest.fixture
def commitment():
    return CommitmentFactory(status="included", title="Open procurement data")


@pytest.fixture
def milestone(commitment):
    return reported(commitment, activity="Publish every tender as open data")


@pytest.fixture
def assessor():
    return civil_society_member(full_name="Agnieszka Nowak")


# --- Who may assess ------------------------------------------------------------------------


def test_a_non_government_seat_holder_and_their_alternate_assess(milestone):
    alternate = member_of(NGO)
    holder = member_of(NGO)
    seat_give(holder, alternate=alternate)
    assert permissions.can_assess_milestone(holder, milestone)[0]
    assert permissions.can_assess_milestone(alternate, milestone)[0]


@pytest.mark.parametrize(
    "who",
    [
        "government seat",
        "secretariat",
        "site administrator",
        "seat on another forum",
        "ended seat",
        "pending member",
        "member without a seat",
        "anonymous",
    ],
)
def test_nobody_else_assesses_for_civil_society(milestone, who):
    from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415 -- one case only

    if who == "government seat":
        user = member_of(GOV)
        seat_give(user)
    elif who == "secretariat":
        user = UserFactory(roles=["secretariat"])
    elif who == "site administrator":
        user = UserFactory(is_superuser=True)
    elif who == "seat on another forum":
        user = civil_society_member(forum=ForumFactory(slug="pancevo"))
    elif who == "ended seat":
        user = member_of(NGO)
        today = timezone.localdate()
        seat_give(user, term_start=today - timedelta(days=400), term_end=today - timedelta(days=1))
    elif who == "pending member":
        user = civil_society_member(membership_status="pending")
    elif who == "member without a seat":
        user = member_of(NGO)
    else:
        user = AnonymousUser()
    allowed, why = permissions.can_assess_milestone(user, milestone)
    assert not allowed and "civil-society members" in why
    if user.is_authenticated:
        with pytest.raises(NotAllowed):
            services.milestone_assess(milestone=milestone, data=assessment(), by=user)
        assert not MilestoneAssessment.objects.exists()


def test_the_panel_the_secretariat_names_assesses_but_not_a_government_member(milestone):
    plan = milestone.commitment.plan
    expert = member_of(NGO)
    official = member_of(GOV)
    secretariat = UserFactory(roles=["secretariat"])
    assert not permissions.can_assess_milestone(expert, milestone)[0]

    services.plan_panel_add(plan=plan, member=expert, by=secretariat)
    expert = User.objects.get(pk=expert.pk)  # a request's own user: nothing cached
    assert permissions.can_assess_milestone(expert, milestone)[0]

    with pytest.raises(ForumError, match="government organisation"):
        services.plan_panel_add(plan=plan, member=official, by=secretariat)
    plan.assessment_panel.add(official)  # even if it got there somehow
    assert not permissions.can_assess_milestone(official, milestone)[0]


def test_the_organisation_reporting_a_milestone_does_not_assess_it(commitment):
    member = civil_society_member()
    commitment.lead_agency = member.organisation
    commitment.save()
    milestone = reported(commitment)
    allowed, why = permissions.can_assess_milestone(member, milestone)
    assert not allowed and "Your organisation reports" in why


def test_a_draft_commitments_milestones_are_not_assessed(assessor):
    milestone = reported(CommitmentFactory(status="draft"))
    assert not permissions.can_assess_milestone(assessor, milestone)[0]


def test_no_one_names_themselves_to_the_panel(client, milestone):
    """A civil-society member, a government member and a facilitator try to put themselves on
    the panel from the back office: refused, and nothing changes."""
    plan = milestone.commitment.plan
    url = reverse("manage:plan_panel_add", args=[plan.forum.slug, plan.slug])
    for user in (member_of(NGO), member_of(GOV), UserFactory(roles=["facilitator"])):
        client.force_login(user)
        assert client.post(url, {"email": user.email}).status_code == 403
        with pytest.raises(NotAllowed):
            services.plan_panel_add(plan=plan, member=user, by=user)
    assert not plan.assessment_panel.exists()
    # nor does a government member assess by posting the form
    official = member_of(GOV)
    seat_give(official)
    client.force_login(official)
    response = client.post(_assess_url(milestone), _form(milestone, assessment()))
    assert response.status_code == 403
    assert not MilestoneAssessment.objects.exists()


# --- The assessment and its history --------------------------------------------------------


def test_an_assessment_is_recorded_replaced_and_kept_in_the_audit_trail(milestone, assessor):
    services.milestone_assess(milestone=milestone, data=assessment("substantial"), by=assessor)
    services.milestone_assess(
        milestone=milestone,
        data=assessment("complete", note="All published now."),
        by=assessor,
    )
    current = MilestoneAssessment.objects.get(milestone=milestone)
    assert current.completion == "complete" and current.note == "All published now."
    assert current.organisation == assessor.organisation and current.assessed_by == assessor
    history = AuditEntry.objects.filter(action="milestone.assessed").order_by("pk")
    assert [(e.data["before"], e.data["after"]) for e in history] == [
        ("", "substantial"),
        ("substantial", "complete"),
    ]
    assert history[0].data["note"] == "Only half of the data sets are machine-readable."
    assert history[0].data["government"] == "complete"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (assessment(completion="finished"), "Choose a completion level"),
        (assessment(note="  "), "Say in a note"),
        (assessment(evidence_url="", evidence=""), "Give a link to the evidence"),
    ],
)
def test_an_assessment_needs_a_level_a_note_and_evidence(milestone, assessor, data, message):
    with pytest.raises(ForumError, match=message):
        services.milestone_assess(milestone=milestone, data=data, by=assessor)


def test_the_flag_only_when_both_assessed_and_the_levels_differ(commitment, assessor):
    differs = reported(commitment, completion="complete")
    agrees = reported(commitment, completion="limited")
    unreported = MilestoneFactory(commitment=commitment, completion="not_started")
    for milestone in (differs, agrees, unreported):
        services.milestone_assess(milestone=milestone, data=assessment("limited"), by=assessor)
    loaded = {
        m.pk: m
        for m in Milestone.objects.select_related("civil_assessment").filter(commitment=commitment)
    }
    assert loaded[differs.pk].assessments_differ
    assert not loaded[agrees.pk].assessments_differ
    assert not loaded[unreported.pk].assessments_differ  # nothing reported to differ from


# --- The commitment page -------------------------------------------------------------------


def _assess_url(milestone):
    commitment = milestone.commitment
    return reverse(
        "actionplans:milestone_assess",
        args=[commitment.plan.slug, commitment.number, milestone.pk],
    )


def _form(milestone, data):
    return {f"assess-{milestone.pk}-{name}": value for name, value in data.items()}


def test_the_form_is_beside_each_milestone_for_civil_society_only(client, milestone, assessor):
    page = text(client.get(milestone.commitment.get_absolute_url()))
    assert "Not assessed by civil society yet" in page
    assert "Record civil society's assessment" not in page

    client.force_login(member_of(GOV))
    assert "Record civil society" not in text(client.get(milestone.commitment.get_absolute_url()))

    client.force_login(assessor)
    page = text(client.get(milestone.commitment.get_absolute_url()))
    assert "Record civil society's assessment" in page
    assert f'name="assess-{milestone.pk}-completion"' in page


def test_recording_from_the_page_errors_beside_the_fields_then_success(client, milestone, assessor):
    client.force_login(assessor)
    bad = _form(milestone, assessment(evidence_url="not a link", note="Half done."))
    response = client.post(_assess_url(milestone), bad)
    page = text(response)
    assert response.status_code == 400
    assert "Enter a valid URL." in page
    assert "Half done." in page  # what was typed is kept
    assert '<details class="assess" open>' in page
    assert not MilestoneAssessment.objects.exists()

    none = _form(milestone, assessment(evidence_url="", evidence=""))
    page = text(client.post(_assess_url(milestone), none))
    assert "Give a link to the evidence, or describe it." in page

    response = client.post(_assess_url(milestone), _form(milestone, assessment()), follow=True)
    page = text(response)
    assert "Civil society's assessment is recorded." in page
    assert "Differs from the government's report" in page
    assert "Only half of the data sets are machine-readable." in page
    assert f"Assessed for {assessor.organisation.name}" in page
    assert "Change civil society's assessment" in page


def test_the_commitment_page_costs_the_same_queries_for_1_and_15_assessed_milestones(
    client, django_assert_num_queries, assessor
):
    few, many = CommitmentFactory(status="included"), CommitmentFactory(status="included")
    for commitment, n in ((few, 1), (many, 15)):
        for _ in range(n):
            services.milestone_assess(
                milestone=reported(commitment), data=assessment(), by=assessor
            )
    client.force_login(assessor)
    client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(few.get_absolute_url())
    with django_assert_num_queries(len(queries)):
        client.get(many.get_absolute_url())


# --- The dashboard -------------------------------------------------------------------------


def test_the_dashboard_shows_both_side_by_side_and_flags_the_difference(
    client, commitment, assessor
):
    differs = reported(commitment, completion="complete", activity="Publish the tenders")
    agrees = reported(commitment, completion="limited", activity="Train the buyers")
    services.milestone_assess(milestone=differs, data=assessment("substantial"), by=assessor)
    services.milestone_assess(milestone=agrees, data=assessment("limited"), by=assessor)

    page = text(client.get(f"/action-plans/{commitment.plan.slug}/dashboard/"))
    assert "<strong>2</strong> assessed by both the government and civil society" in page
    assert "<strong>1</strong> where their assessments differ" in page
    section = page[page.index('id="assessed-heading"') : page.index('id="overdue-heading"')]
    rows = re.findall(r"<tr>.*?</tr>", section, flags=re.S)[1:]
    assert "Publish the tenders" in rows[0]  # where they differ comes first
    assert "<td>Complete</td><td>Substantial</td>" in rows[0] and "They differ" in rows[0]
    assert "Train the buyers" in rows[1] and "Same level" in rows[1]
    assert "1 differs" in page  # the commitment's row


def _plan_with_assessed(milestones: int, assessor):
    plan = ActionPlanFactory()
    for number in range(1, 6):
        commitment = CommitmentFactory(plan=plan, number=number, status="included")
        for n in range(milestones // 5):
            milestone = reported(commitment, completion="complete")
            level = "limited" if n % 2 else "complete"
            services.milestone_assess(milestone=milestone, data=assessment(level), by=assessor)
    return plan


def test_the_dashboard_costs_the_same_queries_for_10_and_60_assessed_milestones(
    client, django_assert_num_queries, assessor
):
    small, large = _plan_with_assessed(10, assessor), _plan_with_assessed(60, assessor)
    client.force_login(UserFactory())
    client.get(f"/action-plans/{small.slug}/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/action-plans/{small.slug}/dashboard/")
    with django_assert_num_queries(len(queries)):
        page = text(client.get(f"/action-plans/{large.slug}/dashboard/"))
    assert "Show all 60 assessed milestones" in page


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_kept_dashboard_rows_change_after_an_assessment(commitment, assessor, language):
    milestone = reported(commitment, completion="substantial", end_date="2020-01-01")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(UserFactory())
    address = f"/action-plans/{commitment.plan.slug}/dashboard/"

    def page():
        return TOKEN.sub("", text(client.get(address)))

    before = page()  # every row kept
    services.milestone_assess(milestone=milestone, data=assessment("limited"), by=assessor)
    kept = page()
    cache.clear()
    assert kept == page()
    assert kept != before
    # the commitment's row, and the overdue milestone's, changed too
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a[^>]*>[^<]*Open procurement data.*?</tr>", kept, re.S
    )
    assert row and 'class="differs"' in row.group(0)
    assert kept.count('class="differs"') >= 3  # commitment row, overdue row, side-by-side row


# --- Exports, open data, the PDF's table, forum health and the evidence pack ----------------


@pytest.fixture
def assessed(commitment, milestone, assessor):
    services.milestone_assess(milestone=milestone, data=assessment("substantial"), by=assessor)
    reported(commitment, completion="limited")  # not assessed
    return commitment


def test_the_milestones_csv_and_json_hold_both(client, assessed, assessor):
    plan = assessed.plan
    response = client.get(f"/action-plans/{plan.slug}/commitments.csv?table=milestones")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert list(rows[0]) == rendering.MILESTONE_COLUMNS
    first, second = rows
    assert first["completion"] == "complete"
    assert first["civil_society_completion"] == "substantial"
    assert first["civil_society_note"] == "Only half of the data sets are machine-readable."
    assert first["civil_society_evidence_url"] == "https://watchdog.example.org/audit"
    assert first["civil_society_assessed_for"] == assessor.organisation.name
    assert first["assessments_differ"] == "yes"
    assert second["civil_society_completion"] == "" and second["assessments_differ"] == ""

    commitments = client.get(f"/action-plans/{plan.slug}/commitments.csv").streaming_content
    row = next(csv.DictReader(io.StringIO(b"".join(commitments).decode("utf-8-sig"))))
    assert row["milestones_assessed_by_both"] == "1"
    assert row["milestones_assessments_differ"] == "1"

    data = json.loads(client.get(f"/action-plans/{plan.slug}/plan.json").content)
    milestone = data["commitments"][0]["milestones"][0]
    assert milestone["civil_society_completion"] == "substantial"
    assert milestone["assessments_differ"] == "yes"


def test_the_open_data_page_explains_the_new_columns(client, assessed):
    page = text(client.get(reverse("open_data")))
    assert "civil_society_completion" in page and "assessments_differ" in page


def test_the_plans_document_shows_civil_societys_level_in_the_milestone_table(client, assessed):
    page = text(client.get(f"/action-plans/{assessed.plan.slug}/document/"))
    table = page[page.index('class="plan-document__milestones"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="col">Civil society</th>' in table
    assert "<td>Complete</td><td>Substantial<br><strong>differs</strong></td>" in table


def test_an_assessment_makes_the_plans_pdf_stale(assessed, assessor):
    from actionplans import selectors  # noqa: PLC0415 -- one test

    before = selectors.fingerprint(assessed.plan, kind="pdf")
    milestone = assessed.milestones.order_by("pk").first()
    services.milestone_assess(milestone=milestone, data=assessment("complete"), by=assessor)
    assert selectors.fingerprint(assessed.plan, kind="pdf") != before


def test_forum_health_counts_the_milestones_assessed_by_both(client, assessed, assessor):
    plan = assessed.plan
    agreeing = reported(assessed, completion="limited")
    services.milestone_assess(milestone=agreeing, data=assessment("limited"), by=assessor)
    unreported = MilestoneFactory(commitment=assessed)
    services.milestone_assess(milestone=unreported, data=assessment("limited"), by=assessor)

    figures = health_report(forum=plan.forum, plan=plan).assessments
    assert (figures.milestones, figures.reported, figures.assessed) == (4, 3, 3)
    assert (figures.both, figures.differ) == (2, 1)

    address = reverse("health:forum_plan_health", args=[plan.forum.slug, plan.slug])
    page = text(client.get(address))
    assert "<strong>2</strong> assessed by both the government and civil society" in page
    assert "<strong>1</strong> where their assessments differ" in page
    data = json.loads(
        client.get(
            reverse("health:forum_plan_health_json", args=[plan.forum.slug, plan.slug])
        ).content
    )
    assert data["assessments"] == {
        "milestones": 4,
        "reported": 3,
        "assessed": 3,
        "both": 2,
        "differ": 1,
    }


def test_the_evidence_packs_milestones_csv_holds_civil_societys_assessment(
    assessed, monkeypatch, settings, tmp_path
):
    import zipfile  # noqa: PLC0415 -- one test

    from health import evidence  # noqa: PLC0415 -- one test
    from health import services as health_services  # noqa: PLC0415 -- one test

    settings.MEDIA_ROOT = tmp_path
    settings.BACKGROUND_THREADS = False
    monkeypatch.setattr(
        rendering, "plan_pdf_render", lambda plan, **kwargs: (b"%PDF-1.7\n% plan\n", 1)
    )
    monkeypatch.setattr(evidence, "_register_pdf", lambda plan, rows: b"%PDF-1.7\n% register\n")
    pack = health_services.evidence_pack_request(
        plan=assessed.plan, language="en", by=UserFactory(roles=["secretariat"])
    )
    pack = evidence.evidence_pack_build(pack.pk)
    with pack.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        folder = evidence.pack_folder(assessed.plan)
        milestones = archive.read(f"{folder}/06-milestones.csv").decode("utf-8-sig")
        health = archive.read(f"{folder}/04-forum-health.html").decode()
        readme = archive.read(f"{folder}/README.txt").decode()
    first = next(csv.DictReader(io.StringIO(milestones)))
    assert first["civil_society_completion"] == "substantial"
    assert first["assessments_differ"] == "yes"
    assert "assessed by both the government and civil society" in health
    assert "civil society's own assessment" in readme


# --- The back office: the panel -------------------------------------------------------------


def test_the_secretariat_names_and_removes_panel_members_in_the_back_office(client, milestone):
    plan = milestone.commitment.plan
    secretariat = UserFactory(roles=["secretariat"])
    expert = member_of(NGO, full_name="Maja Novak")
    official = member_of(GOV, full_name="Ivana Horvat")
    client.force_login(secretariat)
    page = reverse("manage:plan", args=[plan.forum.slug, plan.slug])
    add = reverse("manage:plan_panel_add", args=[plan.forum.slug, plan.slug])

    response = client.post(add, {"email": expert.email}, follow=True)
    assert "Maja Novak is on the plan's assessment panel." in text(response)
    assert list(plan.assessment_panel.all()) == [expert]

    response = client.post(add, {"email": official.email})
    assert response.status_code == 400
    assert "belongs to a government organisation" in text(response)
    assert official.email in text(response)  # the field keeps what was typed
    response = client.post(add, {"email": "nobody@example.org"})
    assert response.status_code == 400 and "No member has this e-mail address." in (text(response))

    remove = reverse("manage:plan_panel_remove", args=[plan.forum.slug, plan.slug, expert.pk])
    response = client.post(remove, follow=True)
    assert "Maja Novak is no longer on the plan's assessment panel." in (text(response))
    assert not plan.assessment_panel.exists()
    assert "Civil society's assessment panel" in text(client.get(page))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"plan.panel_added", "plan.panel_removed"} <= actions


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_plans_dashboard_shows_both_with_a_disagreement_flagged(client):
    from django.core.management import call_command  # noqa: PLC0415 -- one test

    call_command("demo_data", verbosity=0)
    page = text(client.get("/action-plans/nap-5-2023-2025/dashboard/"))
    assert "<strong>6</strong> assessed by both the government and civil society" in page
    assert "<strong>2</strong> where their assessments differ" in page
    assert page.count("They differ") == 2 and "Same level" in page
    call_command("demo_data", verbosity=0)  # again: nothing doubled
    assert (
        MilestoneAssessment.objects.filter(
            milestone__commitment__plan__slug="nap-5-2023-2025"
        ).count()
        == 6
    )


def test_the_dashboards_bars_are_drawn_in_a_language_with_a_decimal_comma(client, commitment):
    """SVG reads numbers with a point: in Greek (a decimal comma) the bars were empty."""
    for completion in ("complete", "limited", "not_started"):
        reported(commitment, completion=completion)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "el"
    page = text(client.get(f"/action-plans/{commitment.plan.slug}/dashboard/"))
    assert 'width="33.333"' in page and "33,333" not in page


def test_the_plans_pdf_has_civil_societys_column_in_the_milestone_table(assessed, tmp_path):
    import shutil  # noqa: PLC0415 -- one test
    import subprocess  # noqa: PLC0415 -- one test

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    path = tmp_path / "plan.pdf"
    path.write_bytes(rendering.plan_pdf_render(assessed.plan)[0])
    words = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    header = next(line for line in words.splitlines() if "Activity and deliverable" in line)
    assert header.rstrip().endswith("Civil society")
    row = next(line for line in words.splitlines() if "Substantial" in line)
    assert re.search(r"Complete\s+Substantial", row)
    assert "differs" in words
