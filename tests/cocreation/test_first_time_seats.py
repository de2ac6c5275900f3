"""Seats kept for first-time participants: the allocation and its waiting lists honour them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cocreation import services
from cocreation.models import Registration
from cocreation.services import RegistrationError, workshop_register
from members.models import StakeholderGroup
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

GOV = StakeholderGroup.GOVERNMENT
NGO = StakeholderGroup.NON_GOVERNMENT
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING


def regular(group):
    """A member who attended an earlier workshop."""
    member = member_of(group)
    past = WorkshopFactory(starts_at=timezone.now() - timedelta(days=40), status="held")
    RegistrationFactory(workshop=past, member=member, group=group, attendance="attended")
    return member


def register(workshop, member):
    return workshop_register(workshop=workshop, member=member)


def test_the_kept_seats_are_shared_between_the_groups_in_proportion():
    workshop = WorkshopFactory(government_quota=10, non_government_quota=10, first_time_seats=5)
    assert (workshop.first_time_seats_of(GOV), workshop.first_time_seats_of(NGO)) == (2, 3)
    lopsided = WorkshopFactory(government_quota=0, non_government_quota=4, first_time_seats=4)
    assert (lopsided.first_time_seats_of(GOV), lopsided.first_time_seats_of(NGO)) == (0, 4)


def test_a_regular_waits_while_only_kept_seats_are_free_and_a_newcomer_takes_one():
    workshop = WorkshopFactory(government_quota=0, non_government_quota=3, first_time_seats=1)
    first, second, third = (register(workshop, regular(NGO)) for _ in range(3))
    newcomer = register(workshop, member_of(NGO))

    assert [first.status, second.status, third.status] == [CONFIRMED, CONFIRMED, WAITING]
    assert newcomer.status == CONFIRMED and newcomer.first_time
    assert not third.first_time


def test_a_newcomer_also_takes_an_open_seat_and_then_nothing_is_kept_any_more():
    workshop = WorkshopFactory(government_quota=0, non_government_quota=3, first_time_seats=1)
    newcomer = register(workshop, member_of(NGO))
    regulars = [register(workshop, regular(NGO)) for _ in range(2)]

    assert newcomer.status == CONFIRMED
    assert [r.status for r in regulars] == [CONFIRMED, CONFIRMED]


def test_a_freed_kept_seat_goes_to_the_first_newcomer_waiting_not_the_first_in_line():
    workshop = WorkshopFactory(government_quota=0, non_government_quota=2, first_time_seats=1)
    seated_regular = register(workshop, regular(NGO))
    seated_newcomer = register(workshop, member_of(NGO))
    waiting_regular = register(workshop, regular(NGO))
    waiting_newcomer = register(workshop, member_of(NGO))
    assert [waiting_regular.status, waiting_newcomer.status] == [WAITING, WAITING]

    promoted = services.registration_cancel(registration=seated_newcomer, by=None)

    assert promoted == [waiting_newcomer]
    waiting_regular.refresh_from_db()
    assert waiting_regular.status == WAITING
    assert seated_regular.status == CONFIRMED


def test_a_freed_open_seat_goes_to_the_first_in_line_whoever_it_is():
    workshop = WorkshopFactory(government_quota=0, non_government_quota=2, first_time_seats=1)
    seated_regular = register(workshop, regular(NGO))
    register(workshop, member_of(NGO))  # takes the kept seat
    waiting_regular = register(workshop, regular(NGO))
    register(workshop, member_of(NGO))

    promoted = services.registration_cancel(registration=seated_regular, by=None)

    assert promoted == [waiting_regular]


def test_at_the_quota_release_kept_seats_left_free_go_to_the_waiting_list():
    start = timezone.now() + timedelta(hours=10)
    workshop = WorkshopFactory(
        government_quota=0,
        non_government_quota=2,
        first_time_seats=1,
        starts_at=start,
        quota_release_hours=48,  # already released
    )
    first, second = register(workshop, regular(NGO)), register(workshop, regular(NGO))

    assert [first.status, second.status] == [CONFIRMED, CONFIRMED]


def test_the_release_job_hands_kept_seats_to_regulars_waiting():
    workshop = WorkshopFactory(
        government_quota=0,
        non_government_quota=2,
        first_time_seats=1,
        starts_at=timezone.now() + timedelta(hours=30),
        quota_release_hours=24,
    )
    register(workshop, regular(NGO))
    waiting = register(workshop, regular(NGO))
    assert waiting.status == WAITING

    services.workshops_release_quotas(now=timezone.now() + timedelta(hours=7))

    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED


def test_keeping_fewer_seats_promotes_the_regulars_waiting():
    workshop = WorkshopFactory(government_quota=0, non_government_quota=2, first_time_seats=2)
    waiting = register(workshop, regular(NGO))
    assert waiting.status == WAITING

    services.workshop_capacity_change(
        workshop=workshop,
        government_quota=0,
        non_government_quota=2,
        first_time_seats=0,
        by=UserFactory(roles=["secretariat"]),
    )

    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED


def test_more_kept_seats_than_the_capacity_is_refused_with_a_reason():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    with pytest.raises(RegistrationError, match="first-time participants"):
        services.workshop_capacity_change(
            workshop=workshop,
            government_quota=1,
            non_government_quota=1,
            first_time_seats=3,
            by=UserFactory(roles=["secretariat"]),
        )
    workshop.refresh_from_db()
    assert workshop.first_time_seats == 0


def test_a_cancelled_or_missed_workshop_does_not_make_a_regular():
    member = member_of(NGO)
    past = WorkshopFactory(starts_at=timezone.now() - timedelta(days=40), status="held")
    RegistrationFactory(workshop=past, member=member, group=NGO, attendance="no_show")
    workshop = WorkshopFactory(government_quota=0, non_government_quota=1, first_time_seats=1)

    assert register(workshop, member).status == CONFIRMED
