"""No overbooking: simultaneous registrations on PostgreSQL against the event's row lock."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.models import EventRegistration
from events.services import event_register, waiting_position
from tests.factories import UserFactory
from tests.factories.events import EventFactory

THREADS = 10


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_60_simultaneous_registrations_on_10_places_never_overbook():
    event = EventFactory(registration_required=True, capacity=10)
    people = [UserFactory() for _ in range(60)]
    start = threading.Barrier(THREADS)
    errors = []

    def attempt(batch):
        try:
            start.wait(timeout=30)
            for person in batch:
                event_register(event=event, member=person)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(attempt, [people[i::THREADS] for i in range(THREADS)]))

    assert errors == []
    registrations = EventRegistration.objects.filter(event=event)
    confirmed = registrations.filter(status="confirmed")
    waiting = registrations.filter(status="waiting").order_by("created_at", "id")
    assert confirmed.count() == 10
    assert [waiting_position(r) for r in waiting] == list(range(1, 51))
    assert max(r.created_at for r in confirmed) <= min(r.created_at for r in waiting)
