"""Each workshop's participation summary for its forum's secretariat (/manage/): the people
with a confirmed seat by self-described gender, first-time participants and new
organisations, in aggregate only, with the small-group rule; not for members or facilitators."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from cocreation.models import Registration
from cocreation.permissions import can_see_participation_summary
from cocreation.selectors import workshop_participation_summary
from members.models import StakeholderGroup
from members.voices import MAN, NON_BINARY, WOMAN
from tests.factories import (
    ForumFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
    role_give,
)

pytestmark = pytest.mark.django_db

GOV, NON_GOV = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo")


@pytest.fixture
def workshop(city):
    return WorkshopFactory(
        process__forum=city, title="Open budgets", government_quota=20, non_government_quota=20
    )


@pytest.fixture
def secretariat(city):
    member = UserFactory()
    role_give(member, "secretariat", city)
    return member


def seat(workshop, gender="", organisation=None, **fields):
    member = member_of(NON_GOV, gender=gender)
    if organisation is not None:
        member.organisation = organisation
        member.save(update_fields=["organisation"])
    return RegistrationFactory(
        workshop=workshop, member=member, group=NON_GOV, organisation=member.organisation, **fields
    )


def attended_earlier(registration):
    """The member (and so their organisation) attended a workshop held before this one."""
    earlier = WorkshopFactory(
        process=registration.workshop.process,
        starts_at=registration.workshop.starts_at - timedelta(days=60),
        status="held",
    )
    RegistrationFactory(
        workshop=earlier,
        member=registration.member,
        organisation=registration.organisation,
        group=NON_GOV,
        attendance=Registration.Attendance.ATTENDED,
    )


def summary_tables(response) -> dict:
    page = html.unescape(response.content.decode())
    section = page.split('id="participation-heading"')[1].split("</section>")[0]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', section))


def test_the_secretariat_sees_the_summary_in_aggregate(client, workshop, secretariat):
    seats = [seat(workshop, WOMAN) for _i in range(6)]
    seats += [seat(workshop, MAN) for _i in range(5)]
    seats += [seat(workshop, NON_BINARY) for _i in range(2)]
    seats.append(seat(workshop, WOMAN, status=Registration.Status.WAITING))  # not a seat
    for registration in seats[:7]:
        attended_earlier(registration)  # 7 returning, 6 first-time participants
    client.force_login(secretariat)

    response = client.get(reverse("manage:workshop_manage", args=["pancevo", workshop.pk]))

    assert response.status_code == 200
    tables = summary_tables(response)
    assert tables["Women"] == "6"
    assert tables["Non-binary or another self-description"] == "fewer than 5"
    assert tables["Men"] == "not shown"  # else 13 - 6 - 5 would give the 2 away
    assert tables["First-time participants"] == "6"
    assert tables["Participants who attended an earlier workshop"] == "7"
    assert tables["Organisations at their first workshop"] == "6"
    page = response.content.decode()
    for registration in seats:
        assert registration.member.full_name not in page.split('id="participation-heading"')[1]


def test_checked_in_people_count_and_a_small_newcomer_group_is_not_shown(workshop):
    seats = [seat(workshop, WOMAN, attendance="attended") for _i in range(8)]
    for registration in seats[:5]:
        attended_earlier(registration)

    summary = workshop_participation_summary(workshop=workshop)

    assert summary["people"] == 8
    newcomers = {g.key: g for g in summary["newcomers"].groups}
    assert newcomers["first_time"].fewer and newcomers["first_time"].count is None
    assert not newcomers["returning"].shown  # 8 - 5 would give the 3 away


def test_new_organisations_count_organisations_none_of_whose_members_came_before(workshop):
    veteran = seat(workshop)
    attended_earlier(veteran)
    seat(workshop, organisation=veteran.organisation)  # a colleague's first time
    for _i in range(6):
        seat(workshop)

    summary = workshop_participation_summary(workshop=workshop)

    organisations = {g.key: g for g in summary["new_organisations"].groups}
    assert summary["new_organisations"].total == 7
    assert organisations["returning"].fewer  # 1 organisation: never given as a number
    assert not organisations["new"].shown


def test_the_summary_costs_the_same_queries_for_few_and_many(workshop, django_assert_num_queries):
    seat(workshop, WOMAN)
    with django_assert_num_queries(2):
        workshop_participation_summary(workshop=workshop)
    for _i in range(12):
        seat(workshop, MAN)
    with django_assert_num_queries(2):
        workshop_participation_summary(workshop=workshop)


def test_the_summary_is_for_the_secretariat_only(client, workshop, city):
    member = member_of(GOV)
    facilitator = UserFactory()
    role_give(facilitator, "facilitator", city)
    workshop.facilitators.add(facilitator)
    other = UserFactory()
    role_give(other, "secretariat", ForumFactory(slug="elsewhere"))
    url = reverse("manage:workshop_manage", args=["pancevo", workshop.pk])

    for person in (member, facilitator, other):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert not can_see_participation_summary(person, workshop)
    # nor through a page of its own or the public workshop page
    client.force_login(member)
    assert "participation-heading" not in client.get(workshop.get_absolute_url()).content.decode()


def test_a_workshop_with_fewer_than_5_people_shows_no_breakdown(client, workshop, secretariat):
    for _i in range(3):
        seat(workshop, WOMAN)
    client.force_login(secretariat)

    tables = summary_tables(
        client.get(reverse("manage:workshop_manage", args=["pancevo", workshop.pk]))
    )

    assert "Women" not in tables
    assert tables["All"] == "fewer than 5"
