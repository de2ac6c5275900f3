"""Participation by stakeholder group and sector; first-time participants and usual faces."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cocreation.models import Comment, Support
from health.participation import participation
from members.models import StakeholderGroup
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    RegistrationFactory,
    WorkshopFactory,
    member_of,
)
from tests.factories.health import ContributionFactory

pytestmark = pytest.mark.django_db
GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT


def held(process, days_ago, **kwargs):
    return WorkshopFactory(
        process=process,
        status="held",
        starts_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def attend(workshop, member, group, attendance="attended"):
    return RegistrationFactory(workshop=workshop, member=member, group=group, attendance=attendance)


@pytest.fixture
def process():
    return CoCreationProcessFactory(slug="nap-2-co-creation")


def test_a_first_timer_had_attended_no_earlier_workshop(process):
    official, activist = member_of(GOV), member_of(NGO)
    first = held(process, 30)
    attend(first, official, GOV)
    second = held(process, 10)
    attend(second, official, GOV)  # came before: returning
    attend(second, activist, NGO)  # new
    attend(held(process, 60), activist, NGO, attendance="no_show")  # missed: still new

    figures = participation(forum=process.forum, process=process)

    first_row, second_row = figures.workshops[1], figures.workshops[2]
    assert first_row.total.first_time_share == 1
    assert second_row.total.first_time_share == 0.5
    assert second_row.by_group[GOV].first_time == 0
    assert second_row.by_group[NGO].first_time == 1


def test_the_most_frequent_tenth_and_their_share(process):
    workshops = [held(process, 100 - 5 * i) for i in range(10)]
    regulars = [member_of(GOV) for _ in range(2)]
    for workshop in workshops:
        for member in regulars:
            attend(workshop, member, GOV)
    for index in range(18):  # 18 people who come once
        attend(workshops[index % 10], member_of(NGO), NGO)

    figures = participation(forum=process.forum, process=process)

    assert figures.people == 20
    assert figures.top_tenth == 2
    assert figures.concentration == pytest.approx(20 / 38)
    assert figures.concentration_by_group[GOV] == 0.5  # 2 people: the tenth is one of them
    assert figures.workshops[0].total.usual_faces == 2


def test_seats_stand_for_participants_until_someone_is_checked_in(process):
    workshop = held(process, 0)
    attend(workshop, member_of(GOV), GOV, attendance="unknown")
    attend(workshop, member_of(NGO), NGO, attendance="unknown")

    row = participation(forum=process.forum, process=process).workshops[0]

    assert not row.checked_in
    assert row.total.participants == 2 and row.total.attended == 0


def test_contributions_supports_and_comments_by_group_and_sector(process):
    workshop = held(process, 5)
    official, activist = member_of(GOV), member_of(NGO)
    idea = ContributionFactory(workshop=workshop, author=activist)
    ContributionFactory(workshop=workshop, author=activist, status="hidden")  # not counted
    Support.objects.create(contribution=idea, member=official)
    Comment.objects.create(contribution=idea, author=official, text="We can publish it.")

    figures = participation(forum=process.forum, process=process)

    assert figures.by_group[NGO].contributions == 1
    assert figures.by_group[GOV].supports == 1 and figures.by_group[GOV].comments == 1
    sectors = {str(sector): f for sector, f in figures.by_sector}
    assert sectors[f"Test {NGO}"].contributions == 1


def test_a_plan_counts_its_process_and_upcoming_workshops_are_left_out(process):
    held(process, 3)
    WorkshopFactory(process=process)  # next week
    held(CoCreationProcessFactory(), 3)
    plan = ActionPlanFactory(process=process)

    assert len(participation(forum=plan.forum, plan=plan).workshops) == 1
    assert len(participation(forum=plan.forum).workshops) == 2


def test_the_page_the_csv_and_an_unknown_scope(client, process):
    workshop = held(process, 5, title="Open budgets")
    attend(workshop, member_of(GOV), GOV)
    attend(workshop, member_of(NGO), NGO)

    page = client.get(reverse("health:participation"), {"scope": "process:nap-2-co-creation"})
    assert page.status_code == 200
    assert "Open budgets" in page.content.decode()
    assert "100 %" in page.content.decode()  # everyone came for the first time

    response = client.get(reverse("health:participation_csv"), {"scope": ""})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("scope,process,workshop,workshop_id,date,stakeholder_group")
    assert len(lines) == 3  # one line per workshop and sector
    assert ",Open budgets," in lines[1]

    unknown = client.get(reverse("health:participation"), {"scope": "plan:nap-9"})
    assert unknown.status_code == 404


def test_the_figures_cost_the_same_queries_for_ten_times_the_workshops(
    process, client, django_assert_max_num_queries
):
    def grow(n):
        for days in range(n):
            workshop = held(process, days + 1)
            attend(workshop, member_of(GOV), GOV)
            ContributionFactory(workshop=workshop)

    # A process's figures are computed for the page (the whole forum's are stored).
    url = reverse("health:participation") + f"?scope=process:{process.slug}"
    grow(2)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_json_report_includes_participation(client, process):
    attend(held(process, 5), member_of(GOV), GOV)

    data = client.get(reverse("health:health_json")).json()

    assert data["participation"]["people"] == 1
    assert data["participation"]["by_group"]["government"]["seats"] == 1
