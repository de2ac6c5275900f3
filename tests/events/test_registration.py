"""Registration with a capacity and a waiting list (the shared rule of core/seats.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import EventRegistration
from tests.events.conftest import mail_to
from tests.factories import UserFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRMED = EventRegistration.Status.CONFIRMED
WAITING = EventRegistration.Status.WAITING


def test_places_first_then_a_numbered_waiting_list():
    event = EventFactory(registration_required=True, capacity=2)
    people = [UserFactory() for _ in range(4)]

    registrations = [services.event_register(event=event, member=person) for person in people]

    assert [r.status for r in registrations] == [CONFIRMED, CONFIRMED, WAITING, WAITING]
    assert [services.waiting_position(r) for r in registrations] == [None, None, 1, 2]


def test_the_member_is_told_place_or_waiting_position_by_email():
    event = EventFactory(
        title="Open budgets",
        registration_required=True,
        capacity=1,
        attendance="hybrid",
        online_link="https://meet.example.org/open-budgets",
    )
    first, second = UserFactory(), UserFactory()

    services.event_register(event=event, member=first)
    services.event_register(event=event, member=second)

    [confirmed] = mail_to(first)
    assert "Your place at Open budgets is confirmed" in confirmed.subject
    assert "https://meet.example.org/open-budgets" in confirmed.body
    [waiting] = mail_to(second)
    assert "waiting list" in waiting.subject
    assert "at position 1" in waiting.body
    assert "meet.example.org" not in waiting.body  # the link is for people with a place


def test_cancelling_gives_the_place_to_the_first_waiting_at_once():
    event = EventFactory(registration_required=True, capacity=1)
    holder, first, second = UserFactory(), UserFactory(), UserFactory()
    place = services.event_register(event=event, member=holder)
    waiting_1 = services.event_register(event=event, member=first)
    waiting_2 = services.event_register(event=event, member=second)

    promoted = services.event_registration_cancel(registration=place, by=holder)

    assert promoted == [waiting_1]
    waiting_1.refresh_from_db()
    assert waiting_1.status == CONFIRMED
    assert services.waiting_position(waiting_2) == 1
    assert "A place at" in mail_to(first)[-1].subject
    assert len(mail_to(second)) == 1  # only the waiting-list e-mail


def test_leaving_the_waiting_list_moves_the_others_up():
    event = EventFactory(registration_required=True, capacity=1)
    services.event_register(event=event, member=UserFactory())
    leaving = services.event_register(event=event, member=UserFactory())
    staying = services.event_register(event=event, member=UserFactory())

    assert services.event_registration_cancel(registration=leaving, by=leaving.member) == []
    assert services.waiting_position(staying) == 1


def test_without_a_limit_everyone_gets_a_place():
    event = EventFactory(registration_required=True, capacity=None)

    registrations = [services.event_register(event=event, member=UserFactory()) for _ in range(5)]

    assert {r.status for r in registrations} == {CONFIRMED}


def test_registering_twice_is_refused_but_after_cancelling_one_may_come_back():
    event = EventFactory(registration_required=True, capacity=5)
    member = UserFactory()
    registration = services.event_register(event=event, member=member)

    with pytest.raises(services.RegistrationError, match="already registered"):
        services.event_register(event=event, member=member)
    services.event_registration_cancel(registration=registration, by=member)
    again = services.event_register(event=event, member=member)
    assert again.status == CONFIRMED
    assert EventRegistration.objects.filter(event=event, member=member).count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "submitted"}, "not published"),
        ({"registration_required": False}, "does not take registrations"),
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "already started"),
    ],
)
def test_no_registration_for_unpublished_past_or_open_events(changes, message):
    values = {"registration_required": True, **changes}
    if "starts_at" in values:
        values["ends_at"] = values["starts_at"] + timedelta(hours=3)
    event = EventFactory(**values)

    with pytest.raises(services.RegistrationError, match=message):
        services.event_register(event=event, member=UserFactory())


def test_a_pending_member_may_register_for_a_public_event():
    """Open Gov Week events are public: registering needs an account, not a membership."""
    event = EventFactory(registration_required=True)

    registration = services.event_register(
        event=event, member=UserFactory(membership_status="pending")
    )

    assert registration.status == CONFIRMED
