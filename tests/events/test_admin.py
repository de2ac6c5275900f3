"""The secretariat corrects events in the admin; the edits go through the same service."""

import pytest
from django.urls import reverse

from events.models import Event, EventRegistration
from tests.factories import UserFactory
from tests.factories.events import EventFactory, EventRegistrationFactory

pytestmark = pytest.mark.django_db


def change_data(event, **changes):
    data = {
        "forum": event.forum_id,
        "campaign": event.campaign_id or "",
        "organiser": event.organiser_id or "",
        "title": event.title,
        "description": event.description,
        "format": event.format,
        "attendance": event.attendance,
        "address": event.address,
        "city": event.city,
        "country": event.country.code,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "online_link": event.online_link,
        "starts_at_0": event.starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": event.starts_at.strftime("%H:%M:%S"),
        "ends_at_0": event.ends_at.strftime("%Y-%m-%d"),
        "ends_at_1": event.ends_at.strftime("%H:%M:%S"),
        "time_zone": event.time_zone,
        "language": event.language,
        "organisation": event.organisation_id or "",
        "partners": event.partners,
        "link": event.link,
        "inclusion_notes": "",
        "registration_required": "on" if event.registration_required else "",
        "capacity": event.capacity or "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_more_places_in_the_admin_promote_the_people_waiting(admin_client):
    event = EventFactory(registration_required=True, capacity=1)
    EventRegistrationFactory(event=event)
    waiting = EventRegistrationFactory(event=event, status="waiting")

    response = admin_client.post(
        reverse("admin:events_event_change", args=[event.pk]), change_data(event, capacity=2)
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    waiting.refresh_from_db()
    assert waiting.status == EventRegistration.Status.CONFIRMED


def test_fewer_places_than_confirmed_are_refused_with_a_message(admin_client):
    event = EventFactory(registration_required=True, capacity=2)
    EventRegistrationFactory.create_batch(2, event=event)

    response = admin_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        change_data(event, capacity=1),
        follow=True,
    )

    assert "2 places are already confirmed" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2


def test_approving_from_the_admin_list(admin_client):
    submitted = EventFactory.create_batch(2, status="submitted")

    admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "approve_events", "_selected_action": [e.pk for e in submitted]},
    )

    assert set(Event.objects.values_list("status", flat=True)) == {"approved"}
