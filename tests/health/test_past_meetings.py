"""Forum health counts the meetings a forum held outside the portal once its secretariat has
recorded them (issue 31, item 3): a forum meeting closes a gap, those present count in the
balance when recorded, an implementation review counts in its plan's year; each is named as
held outside the portal and links to its minutes."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocreation.past_meetings import MeetingFacts, past_meeting_record
from health.checks import health_report
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
)
from tests.factories.health import PastMeetingFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def check(key, plan=None):
    report = health_report(forum=default_forum(), plan=plan, now=NOW)
    return next(c for c in report.checks if c.key == key)


def held_meeting(days_ago: int, **kwargs):
    when = NOW - timedelta(days=days_ago)
    return WorkshopFactory(
        process=CoCreationProcessFactory(),
        kind="forum_meeting",
        status="held",
        starts_at=when,
        ends_at=when + timedelta(hours=2),
        **kwargs,
    )


def test_a_recorded_meeting_closes_the_gap_between_two_held_in_the_portal():
    held_meeting(10)
    held_meeting(10 + 300)
    assert check("forum_meetings").state == "not_met"  # 300 days apart

    past = PastMeetingFactory(held_on=TODAY - timedelta(days=160), title="Plenary in the town hall")
    result = check("forum_meetings")

    assert result.state == "met"
    recorded = next(e for e in result.evidence if "Plenary in the town hall" in e.text)
    assert "held outside the portal" in recorded.text
    assert recorded.url == past.minutes_url  # the minutes, where the IRM can read them
    assert recorded.when == past.held_on
    assert "3 meetings, none more than 182 days apart" in result.summary


def test_recorded_meetings_alone_keep_the_forum_meeting_check_and_its_deadline():
    PastMeetingFactory(held_on=TODAY - timedelta(days=100))
    PastMeetingFactory(held_on=TODAY - timedelta(days=250))

    result = check("forum_meetings")

    assert result.state == "met"
    due = TODAY - timedelta(days=100) + timedelta(days=182)
    assert f"{due.day}" in result.summary  # "The next is due by ..."


def test_a_recorded_meeting_older_than_the_forums_two_years_is_not_counted():
    PastMeetingFactory(held_on=TODAY - timedelta(days=800))
    assert check("forum_meetings").state == "not_met"
    assert check("forum_meetings").summary == "No forum meeting is recorded."


def test_a_meeting_recorded_without_minutes_says_so():
    PastMeetingFactory(held_on=TODAY - timedelta(days=20), minutes_url="", title="Round table")
    evidence = check("forum_meetings").evidence[0]
    assert "recorded without minutes" in evidence.text and evidence.url == ""


def test_those_present_at_a_recorded_meeting_count_in_the_balance():
    PastMeetingFactory(
        held_on=TODAY - timedelta(days=30), present_government=4, present_non_government=0
    )
    result = check("groups_present")
    assert result.state == "not_met"
    assert "no one from Non-government" in result.evidence[0].text

    PastMeetingFactory(
        held_on=TODAY - timedelta(days=60), present_government=2, present_non_government=6
    )
    result = check("groups_present")
    assert "Balance of those present at 2 meetings: Government 50%, Non-government 50%" in (
        result.summary
    )


def test_a_recorded_meeting_without_numbers_is_listed_but_neither_counted_nor_a_problem():
    workshop = held_meeting(20)
    for group in ("government", "non_government"):
        RegistrationFactory(workshop=workshop, group=group, attendance="attended")
    PastMeetingFactory(held_on=TODAY - timedelta(days=90), title="Old plenary")

    result = check("groups_present")

    assert result.state == "met"
    old = next(e for e in result.evidence if "Old plenary" in e.text)
    assert "those present were not recorded" in old.text and not old.problem
    assert "at 1 meeting:" in result.summary


def test_only_recorded_meetings_without_numbers_leave_the_balance_not_applicable():
    PastMeetingFactory(held_on=TODAY - timedelta(days=90))
    result = check("groups_present")
    assert result.state == "not_applicable"
    assert "were not recorded" in result.summary


def test_a_recorded_implementation_review_counts_in_its_plans_year():
    process = CoCreationProcessFactory()
    plan = ActionPlanFactory(
        status="implementation",
        process=process,
        period_start=date(2025, 5, 1),
        period_end=date(2027, 4, 30),
    )
    WorkshopFactory(
        process=process,
        kind="implementation_review",
        status="held",
        starts_at=datetime(2025, 7, 1, 10, tzinfo=UTC),
    )
    assert check("implementation_meetings", plan).state == "not_met"  # one in the first year

    PastMeetingFactory(kind="implementation_review", held_on=date(2025, 11, 20))
    result = check("implementation_meetings", plan)

    assert result.state == "met"
    assert "2 held" in result.evidence[0].text
    assert "1 of them held outside the portal" in result.evidence[0].text


@pytest.mark.django_db(transaction=True)
def test_the_public_health_page_shows_a_meeting_once_recorded(client):
    secretariat = UserFactory(roles=["secretariat"])
    page = reverse("health:forum_health", args=[default_forum().slug])
    assert "Plenary of 2025 in Larissa" not in client.get(page).content.decode()

    past_meeting_record(
        forum=default_forum(),
        facts=MeetingFacts(
            held_on=timezone.localdate() - timedelta(days=90),
            title="Plenary of 2025 in Larissa",
            minutes_url="https://opengov.example.org/minutes.pdf",
        ),
        by=secretariat,
    )

    assert "Plenary of 2025 in Larissa" in client.get(page).content.decode()
