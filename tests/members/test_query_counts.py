"""The other list pages of the members app cost the same number of queries at two sizes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import ForumSeat, MembershipStatus, StakeholderGroup, User
from members.selectors import stakeholder_group_of
from tests.factories import UserFactory, default_forum, member_of

pytestmark = pytest.mark.django_db


def same_queries(client, url, add_more, django_assert_num_queries):
    client.get(url)  # warm the per-process caches (content types, sites)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_more()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_queue_costs_the_same_for_1_and_10_people_waiting(client, django_assert_num_queries):
    client.force_login(UserFactory(roles=["secretariat"]))
    UserFactory(membership_status=MembershipStatus.PENDING)

    def more():
        for _ in range(9):
            UserFactory(membership_status=MembershipStatus.INFORMATION_REQUESTED)

    response = same_queries(
        client, reverse("members:membership_queue"), more, django_assert_num_queries
    )
    assert response.content.decode().count("Send the decision") == 10


def test_the_composition_costs_the_same_for_few_and_many_members(client, django_assert_num_queries):
    member_of(StakeholderGroup.GOVERNMENT)

    def more():
        for group in (StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT) * 5:
            UserFactory(organisation=member_of(group).organisation)

    same_queries(client, reverse("members:composition"), more, django_assert_num_queries)


def test_the_forum_body_costs_the_same_for_1_and_8_seats(client, django_assert_num_queries):
    def seat(member, **kwargs):
        ForumSeat.objects.create(
            forum=default_forum(),
            member=member,
            organisation=member.organisation,
            stakeholder_group=member.organisation.sector.stakeholder_group,
            term_start=date(2026, 1, 1),
            alternate=UserFactory(organisation=member.organisation),
            **kwargs,
        )

    seat(member_of(StakeholderGroup.GOVERNMENT), co_chair=True)

    def more():
        seat(member_of(StakeholderGroup.NON_GOVERNMENT), co_chair=True)
        for group in (StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT) * 3:
            seat(member_of(group))

    same_queries(client, reverse("members:forum_body"), more, django_assert_num_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("group", [StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT])
def test_a_members_stakeholder_group_costs_one_query_or_none_when_loaded(
    group, django_assert_num_queries
):
    member = member_of(group)
    fresh = User.objects.get(pk=member.pk)
    with django_assert_num_queries(1):
        assert stakeholder_group_of(fresh) == group
    loaded = User.objects.select_related("organisation__sector").get(pk=member.pk)
    with django_assert_num_queries(0):
        assert stakeholder_group_of(loaded) == group
    assert stakeholder_group_of(UserFactory(organisation=None)) is None
