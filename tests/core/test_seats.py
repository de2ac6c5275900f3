"""The shared waiting-list rule, on its own: quotas per group, first come first served,
and free places lent to the other groups in the order people registered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cocreation.models import Registration
from core.seats import places_count, seats_fill
from members.models import StakeholderGroup
from tests.factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT


def waiting(workshop, group):
    return RegistrationFactory(workshop=workshop, group=group, status="waiting", seat_group="")


def fill(workshop, *, overflow=False, quotas=None):
    return seats_fill(
        workshop.registrations.all(),
        quotas=quotas or {GOV: workshop.government_quota, NGO: workshop.non_government_quota},
        now=timezone.now(),
        group_field="stakeholder_group",
        seat_group_field="seat_group",
        overflow=overflow,
    )


def test_each_group_fills_its_own_places_first_come_first_served():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    gov_1, gov_2, ngo_1 = waiting(workshop, GOV), waiting(workshop, GOV), waiting(workshop, NGO)

    promoted = fill(workshop)

    assert promoted == [gov_1, ngo_1]
    gov_2.refresh_from_db()
    assert gov_2.status == "waiting"


def test_overflow_lends_free_places_to_the_earliest_waiting_of_the_other_groups():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=3)
    gov = [waiting(workshop, GOV) for _ in range(3)]

    promoted = fill(workshop, overflow=True)

    assert promoted == gov
    assert [r.seat_group for r in promoted] == [GOV, NGO, NGO]
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_nothing_changes_when_no_place_is_free():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    RegistrationFactory(workshop=workshop, group=GOV)
    RegistrationFactory(workshop=workshop, group=NGO)
    waiting(workshop, GOV)

    assert fill(workshop, overflow=True) == []


def test_one_group_for_everyone():
    workshop = WorkshopFactory(
        government_quota=1,
        non_government_quota=1,
        starts_at=timezone.now() + timedelta(days=3),
    )
    people = [waiting(workshop, group) for group in (NGO, GOV, NGO)]

    promoted = seats_fill(workshop.registrations.all(), quotas={"": 2}, now=timezone.now())

    assert promoted == people[:2]


def test_places_are_counted_by_the_quota_they_take_and_the_list_they_wait_on():
    workshop = WorkshopFactory(government_quota=2, non_government_quota=2)
    RegistrationFactory(workshop=workshop, group=GOV)
    RegistrationFactory(workshop=workshop, group=NGO, seat_group=GOV)  # a released seat
    RegistrationFactory(workshop=workshop, group=NGO)
    waiting(workshop, NGO)
    waiting(workshop, NGO)
    RegistrationFactory(workshop=workshop, group=GOV, status="cancelled")
    RegistrationFactory(group=GOV)  # another workshop's

    taken, queued = places_count(
        workshop.registrations.all(), group_field="stakeholder_group", seat_group_field="seat_group"
    )

    assert taken == {GOV: 2, NGO: 1}
    assert queued == {NGO: 2}
