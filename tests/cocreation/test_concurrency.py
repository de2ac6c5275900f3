"""No overbooking, ever: many simultaneous registrations on PostgreSQL, each in its own
thread and connection, against the row lock on the workshop."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from cocreation.models import Registration
from cocreation.services import waiting_position, workshop_register
from members.models import StakeholderGroup
from tests.factories import WorkshopFactory, member_of

GOV = StakeholderGroup.GOVERNMENT
NGO = StakeholderGroup.NON_GOVERNMENT
THREADS = 25  # simultaneous connections; PostgreSQL allows 100 by default


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_200_simultaneous_registrations_on_20_seats_never_overbook():
    workshop = WorkshopFactory(government_quota=10, non_government_quota=10)
    members = [member_of(GOV if i % 2 else NGO) for i in range(200)]
    start = threading.Barrier(THREADS)
    errors = []

    def attempt(batch):
        try:
            start.wait(timeout=30)  # every thread fires at the same moment
            for member in batch:
                workshop_register(workshop=workshop, member=member)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    batches = [members[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(attempt, batches))

    assert errors == []
    registrations = Registration.objects.filter(workshop=workshop)
    assert registrations.count() == 200
    for group in (GOV, NGO):
        confirmed = registrations.filter(status=Registration.Status.CONFIRMED, seat_group=group)
        waiting = registrations.filter(status=Registration.Status.WAITING, stakeholder_group=group)
        assert confirmed.count() == 10
        assert waiting.count() == 90
        # The waiting list is numbered 1..90 in the order the registrations were made, and
        # every confirmed seat was given before anyone of that group was put on it.
        positions = [waiting_position(r) for r in waiting.order_by("created_at", "id")]
        assert positions == list(range(1, 91))
        assert max(r.created_at for r in confirmed) <= min(r.created_at for r in waiting)
