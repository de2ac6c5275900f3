"""Each forum-health check at its boundary, as of a fixed day."""

from datetime import UTC, date, datetime, timedelta

import pytest

from health.checks import health_report
from health.models import HealthThresholds
from members.models import StakeholderGroup
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    CommitmentFactory,
    MilestoneFactory,
    RegistrationFactory,
    WorkshopFactory,
    default_forum,
)
from tests.factories.health import (
    ContributionFactory,
    DocumentFactory,
    MinutesFactory,
    ReasonedResponseFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT


def days_ago(n: int, hour: int = 10) -> datetime:
    return (NOW - timedelta(days=n)).replace(hour=hour)


def check(key, plan=None, now=NOW, forum=None, include_drafts=False):
    """One check of `forum`'s report (the default forum's, or the plan's forum's)."""
    forum = forum or (plan.forum if plan else default_forum())
    report = health_report(forum=forum, plan=plan, now=now, include_drafts=include_drafts)
    return next(c for c in report.checks if c.key == key)


def meeting(process, when, **kwargs):
    return WorkshopFactory(
        process=process,
        kind="forum_meeting",
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        status="held" if when < NOW else "published",
        **kwargs,
    )


@pytest.fixture
def process():
    return CoCreationProcessFactory()


# --- forum meetings at most six months (182 days) apart ---------------------------------------


@pytest.mark.parametrize(("gap", "state"), [(181, "met"), (182, "met"), (183, "not_met")])
def test_forum_meetings_apart_by_at_most_the_interval(process, gap, state):
    meeting(process, days_ago(10 + gap))
    meeting(process, days_ago(10))

    result = check("forum_meetings")

    assert result.state == state
    assert [e.problem for e in result.evidence].count(True) == (state == "not_met")


def test_the_next_meeting_is_warned_about_ahead_of_its_deadline(process):
    meeting(process, days_ago(160))  # due in 22 days, within the 30-day warning

    result = check("forum_meetings")

    assert result.state == "at_risk"
    deadline = (NOW - timedelta(days=160)).date() + timedelta(days=182)
    assert result.warnings[0].due == deadline
    assert "must take place by" in result.warnings[0].text


def test_a_meeting_scheduled_in_time_clears_the_warning(process):
    meeting(process, days_ago(160))
    meeting(process, NOW + timedelta(days=15))

    assert check("forum_meetings").state == "met"


def test_no_meeting_for_longer_than_the_interval_is_not_met(process):
    meeting(process, days_ago(183))

    result = check("forum_meetings")

    assert result.state == "not_met"
    assert "No forum meeting since" in result.warnings[0].text


def test_no_meeting_at_all_is_not_met(process):
    WorkshopFactory(process=process, kind="cocreation", starts_at=days_ago(5))
    assert check("forum_meetings").state == "not_met"


def test_the_interval_is_the_secretariat_s_setting(process):
    HealthThresholds.objects.update_or_create(
        forum=default_forum(), defaults={"meeting_interval_days": 90}
    )
    meeting(process, days_ago(110))
    meeting(process, days_ago(10))

    assert check("forum_meetings").state == "not_met"


# --- both groups present --------------------------------------------------------------------


def test_a_meeting_without_civil_society_is_not_met_and_the_balance_is_shown(process):
    both = meeting(process, days_ago(60))
    RegistrationFactory(workshop=both, group=GOV, attendance="attended")
    RegistrationFactory(workshop=both, group=NGO, attendance="attended")
    RegistrationFactory(workshop=both, group=NGO, attendance="attended")
    RegistrationFactory(workshop=both, group=NGO, attendance="no_show")
    only_officials = meeting(process, days_ago(5))
    RegistrationFactory(workshop=only_officials, group=GOV, attendance="attended")

    result = check("groups_present")

    assert result.state == "not_met"
    assert "Government 50%, Non-government 50%" in result.summary
    assert [e.problem for e in result.evidence] == [True, False]  # problems first


def test_before_check_in_the_confirmed_seats_stand_for_attendance(process):
    upcoming_today = meeting(process, days_ago(0, hour=9))
    RegistrationFactory(workshop=upcoming_today, group=GOV)
    RegistrationFactory(workshop=upcoming_today, group=NGO)

    assert check("groups_present").state == "met"


# --- the repository, updated at least twice a year (183 days) ---------------------------------


@pytest.mark.parametrize(("gap", "state"), [(183, "met"), (184, "not_met")])
def test_repository_updates_apart_by_at_most_the_limit(gap, state):
    plan = ActionPlanFactory(status="implementation")
    DocumentFactory(plan=plan, added_at=days_ago(5 + gap))
    DocumentFactory(plan=plan, added_at=days_ago(5))

    assert check("repository_updated", plan).state == state


def test_an_idle_repository_is_warned_about_and_then_not_met():
    plan = ActionPlanFactory(status="implementation")
    DocumentFactory(plan=plan, added_at=days_ago(160))

    soon = check("repository_updated", plan)
    late = check("repository_updated", plan, now=NOW + timedelta(days=30))

    assert soon.state == "at_risk"
    assert "has not been updated for 160 days" in soon.warnings[0].text
    assert late.state == "not_met"


@pytest.mark.parametrize("scope", ["plan", "forum"])
def test_an_empty_repository_is_not_met_from_the_start(scope):
    plan = ActionPlanFactory(status="co_creation", created_at=days_ago(1))

    result = check("repository_updated", plan if scope == "plan" else None)

    assert result.state == "not_met"
    assert result.summary == "No document yet."
    assert result.warnings[0].text.startswith("The repository holds no document yet")


def test_a_repository_whose_documents_are_older_than_the_forum_s_two_years_is_idle():
    plan = ActionPlanFactory(status="implementation", created_at=days_ago(1000))
    DocumentFactory(plan=plan, added_at=days_ago(800))

    result = check("repository_updated")

    assert result.state == "not_met"
    assert "has not been updated for 800 days" in result.warnings[0].text


# --- a reasoned response to every published contribution within 30 days -----------------------


@pytest.mark.parametrize(("after", "state"), [(30, "met"), (31, "not_met")])
def test_a_response_on_the_deadline_is_in_time_the_day_after_is_late(process, after, state):
    workshop = WorkshopFactory(process=process, starts_at=days_ago(80), status="held")
    ended = workshop.ends_at.replace(hour=12)
    ReasonedResponseFactory(
        contribution=ContributionFactory(workshop=workshop),
        responded_at=ended + timedelta(days=after),
    )

    result = check("reasoned_responses")

    assert result.state == state
    if state == "not_met":
        assert "answered 1 day after the deadline" in result.evidence[0].text


def test_contributions_waiting_for_a_response_are_counted_per_workshop(process):
    workshop = WorkshopFactory(process=process, starts_at=days_ago(10), status="held")
    ContributionFactory.create_batch(3, workshop=workshop)
    ContributionFactory(workshop=workshop, status="hidden")  # not published: not counted

    result = check("reasoned_responses")

    assert result.state == "at_risk"
    assert (
        result.warnings[0].text.startswith("3 contributions from the workshop of")
        and "still have no reasoned response" in result.warnings[0].text
    )


def test_a_contribution_never_answered_after_the_deadline_is_not_met(process):
    workshop = WorkshopFactory(process=process, starts_at=days_ago(40), status="held")
    ContributionFactory(workshop=workshop, title="Open lobbying register")

    result = check("reasoned_responses")

    assert result.state == "not_met"
    assert result.evidence[0].text.startswith("Open lobbying register: no reasoned response")


# --- notice: announced at least 14 days ahead ---------------------------------------------------


@pytest.mark.parametrize(("ahead", "state"), [(14, "met"), (13, "not_met")])
def test_workshops_announced_at_least_the_notice_period_ahead(process, ahead, state):
    start = NOW + timedelta(days=20)
    WorkshopFactory(process=process, starts_at=start, announced_at=start - timedelta(days=ahead))

    assert check("notice_given").state == state


def test_a_draft_that_must_be_announced_soon_is_warned_about(process):
    WorkshopFactory(process=process, starts_at=NOW + timedelta(days=20), status="draft")

    result = check("notice_given", include_drafts=True)

    assert result.state == "at_risk"
    assert result.warnings[0].due == (NOW + timedelta(days=6)).date()
    assert check("notice_given").state == "not_applicable"  # the public report: no drafts


# --- minutes within 14 days -------------------------------------------------------------------


@pytest.mark.parametrize(("after", "state"), [(14, "met"), (15, "not_met")])
def test_minutes_published_within_the_limit(process, after, state):
    workshop = WorkshopFactory(process=process, starts_at=days_ago(40), status="held")
    MinutesFactory(workshop=workshop, published_at=workshop.ends_at + timedelta(days=after))

    assert check("minutes_published").state == state


def test_minutes_not_yet_due_are_a_warning_and_unpublished_ones_count_as_missing(process):
    workshop = WorkshopFactory(process=process, starts_at=days_ago(3), status="held")
    MinutesFactory(workshop=workshop, published_at=None)  # a draft

    soon = check("minutes_published")
    late = check("minutes_published", now=NOW + timedelta(days=20))

    assert soon.state == "at_risk" and "Publish the minutes of" in soon.warnings[0].text
    assert late.state == "not_met"


# --- completed milestones with evidence --------------------------------------------------------


def test_a_completed_milestone_needs_a_link_or_a_document_as_evidence():
    plan = ActionPlanFactory(status="implementation")
    commitment = CommitmentFactory(plan=plan, status="included")
    with_link = MilestoneFactory(
        commitment=commitment, completion="complete", evidence_url="https://example.org/data"
    )
    with_document = MilestoneFactory(commitment=commitment, completion="complete")
    DocumentFactory(plan=plan, milestone=with_document)
    MilestoneFactory(commitment=commitment, completion="substantial")  # not complete: not asked
    assert check("milestone_evidence", plan).state == "met"

    without = MilestoneFactory(commitment=commitment, completion="complete")

    result = check("milestone_evidence", plan)
    assert result.state == "not_met"
    assert f"milestone {without.position}" in result.evidence[0].text
    assert with_link.position != without.position


# --- implementation meetings: two a year ------------------------------------------------------


@pytest.mark.parametrize(("held", "state"), [(2, "met"), (1, "not_met")])
def test_a_completed_year_of_implementation_needs_two_meetings(process, held, state):
    plan = ActionPlanFactory(
        status="implementation",
        process=process,
        period_start=date(2025, 5, 1),
        period_end=date(2027, 4, 30),
    )
    for n in range(held):
        WorkshopFactory(
            process=process,
            kind="implementation_review",
            status="held",
            starts_at=datetime(2025, 7 + 3 * n, 1, 10, tzinfo=UTC),
        )
    # The second year has begun (1 May 2026) and is not half over: not at risk yet.
    result = check("implementation_meetings", plan)

    assert result.state == state
    assert len(result.evidence) == 2


def test_a_plan_not_in_implementation_has_no_implementation_check(process):
    plan = ActionPlanFactory(status="consultation", process=process)
    assert check("implementation_meetings", plan).state == "not_applicable"


# --- verifiable commitments -----------------------------------------------------------------


def test_a_commitment_without_dated_deliverable_or_core_value_is_not_verifiable():
    plan = ActionPlanFactory()
    good = CommitmentFactory(plan=plan, status="included")
    MilestoneFactory(commitment=good)
    undated = CommitmentFactory(plan=plan, status="included", title="Open contracts")
    MilestoneFactory(commitment=undated, end_date=None)
    valueless = CommitmentFactory(
        plan=plan,
        status="validated",
        title="Digital services",
        transparency=False,
        public_accountability=False,
        civic_participation=False,
        technology_innovation=True,
    )
    MilestoneFactory(commitment=valueless)
    CommitmentFactory(plan=plan, status="draft")  # drafts are not measured

    result = check("commitments_verifiable", plan)

    assert result.state == "not_met"
    assert "1 of 3 commitments" in result.summary
    problems = [e.text for e in result.evidence if e.problem]
    assert any("Open contracts" in t and "deliverable and dates" in t for t in problems)
    assert any("Digital services" in t and "core OGP value" in t for t in problems)


# --- scopes -----------------------------------------------------------------------------------


def test_a_plan_counts_the_forum_meetings_from_a_year_before_its_period(process):
    plan = ActionPlanFactory(process=process, period_start=date(2026, 9, 1))
    meeting(process, days_ago(10))
    meeting(CoCreationProcessFactory(), days_ago(400))  # before 1 September 2025

    assert check("forum_meetings", plan).state == "met"
    assert check("forum_meetings").state == "not_met"  # the forum: 390 days without


def test_the_forum_as_a_whole_looks_back_two_years(process):
    meeting(process, days_ago(800))
    meeting(process, days_ago(10))

    assert check("forum_meetings").state == "met"


def test_a_plan_without_process_has_no_workshops_to_measure_but_the_forum_meetings():
    plan = ActionPlanFactory(process=None)
    assert "not linked to a co-creation process" in check("notice_given", plan).summary
    assert check("reasoned_responses", plan).state == "not_applicable"
    assert check("forum_meetings", plan).state == "not_met"


def test_after_a_plan_s_period_only_the_gaps_inside_it_count(process):
    plan = ActionPlanFactory(
        process=process, period_start=date(2024, 1, 1), period_end=date(2025, 12, 31)
    )
    meeting(process, datetime(2025, 3, 1, 10, tzinfo=UTC))
    meeting(process, datetime(2025, 8, 1, 10, tzinfo=UTC))  # then nothing until NOW

    result = check("forum_meetings", plan)
    assert result.state == "met"
    assert not result.warnings


def test_the_report_costs_the_same_queries_for_more_records(process, django_assert_max_num_queries):
    def grow(n):
        plan = ActionPlanFactory(status="implementation", process=process)
        for i in range(n):
            workshop = meeting(process, days_ago(30 * i + 1))
            RegistrationFactory(workshop=workshop, group=GOV, attendance="attended")
            ReasonedResponseFactory(contribution=ContributionFactory(workshop=workshop))
            MinutesFactory(workshop=workshop)
            DocumentFactory(plan=plan, added_at=days_ago(30 * i))
            MilestoneFactory(commitment=CommitmentFactory(plan=plan, status="included"))

    forum = default_forum()
    grow(1)
    health_report(forum=forum, now=NOW)  # the thresholds row is created once
    with django_assert_max_num_queries(20) as small:
        health_report(forum=forum, now=NOW)
    grow(9)
    with django_assert_max_num_queries(len(small.captured_queries)):
        health_report(forum=forum, now=NOW)


def test_a_last_short_year_of_implementation_needs_its_share_of_meetings(process):
    plan = ActionPlanFactory(
        status="implementation",
        process=process,
        period_start=date(2024, 1, 1),
        period_end=date(2025, 4, 30),  # the second year is four months long: one meeting
    )
    for when in [date(2024, 3, 1), date(2024, 9, 1), date(2025, 2, 1)]:
        WorkshopFactory(
            process=process,
            kind="implementation_review",
            status="held",
            starts_at=datetime(when.year, when.month, when.day, 10, tzinfo=UTC),
        )

    result = check("implementation_meetings", plan)

    assert result.state == "met"
    assert len(result.evidence) == 2
