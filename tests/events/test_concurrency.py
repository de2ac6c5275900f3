"""No overbooking: simultaneous registrations on PostgreSQL against the event's row lock."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.models import EventRegistration, GuestRequest
from events.services import event_register, guest_confirm, guest_register, waiting_position
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


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_guests_and_members_at_once_never_overbook_and_a_double_click_confirms_once():
    """Guests confirming their links (each link opened twice, a double click) while members
    register: the places and the waiting list are one, under the same lock."""
    event = EventFactory(registration_required=True, open_to_guests=True, capacity=5)
    people = [UserFactory() for _ in range(10)]
    for n in range(10):
        guest_register(event=event, name=f"Guest {n}", email=f"guest{n}@example.org", language="en")
    tokens = list(GuestRequest.objects.filter(event=event).values_list("token", flat=True))
    jobs = [("member", person) for person in people] + [("guest", t) for t in tokens * 2]
    start = threading.Barrier(THREADS)
    errors = []

    def attempt(batch):
        try:
            start.wait(timeout=30)
            for kind, who in batch:
                if kind == "member":
                    event_register(event=event, member=who)
                else:
                    guest_confirm(token=who)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(attempt, [jobs[i::THREADS] for i in range(THREADS)]))

    assert errors == []
    registrations = EventRegistration.objects.filter(event=event)
    assert registrations.count() == 20  # each guest once, whatever the clicks
    assert registrations.filter(member__isnull=True).count() == 10
    assert registrations.filter(status="confirmed").count() == 5
    waiting = registrations.filter(status="waiting").order_by("id")
    assert [waiting_position(r) for r in waiting] == list(range(1, 16))
    assert not GuestRequest.objects.exists()
