"""Submission, review, rejection and resubmission, edits: what organisers and the
secretariat notice."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.audit.models import AuditEntry
from events import services
from events.models import Event, EventRegistration
from members.models import MembershipStatus
from tests.events.conftest import mail_to
from tests.factories import UserFactory
from tests.factories.events import CampaignFactory, EventFactory, EventRegistrationFactory

# Real commits: notifications are e-mailed after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def fields(**overrides):
    starts_at = timezone.now() + timedelta(days=10)
    values = {
        "campaign": CampaignFactory(),
        "title": "Open budgets in Athens",
        "description": "A public debate on the municipal budget.",
        "format": "public_debate",
        "attendance": "in_person",
        "address": "City Hall, Kotzia Square",
        "city": "Athens",
        "country": "GR",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "time_zone": "Europe/Athens",
        "language": "el",
        "accessible_venue": True,
    }
    values.update(overrides)
    return values


def test_a_submitted_event_waits_for_review_and_is_not_public(organiser):
    event = services.event_submit(by=organiser, fields=fields())

    assert event.status == Event.Status.SUBMITTED
    assert event.organiser == organiser
    assert event.organisation == organiser.organisation  # the member's own, by default
    assert not event.is_public
    assert AuditEntry.objects.filter(action="event.submitted", about_id=str(event.pk)).exists()


def test_a_pending_member_cannot_submit():
    pending = UserFactory(membership_status=MembershipStatus.PENDING)

    with pytest.raises(services.EventError, match="waiting for the secretariat"):
        services.event_submit(by=pending, fields=fields())
    assert not Event.objects.exists()


def test_an_in_person_event_needs_a_city_and_must_end_after_it_starts(organiser):
    starts_at = timezone.now() + timedelta(days=3)

    with pytest.raises(ValidationError) as error:
        services.event_submit(
            by=organiser, fields=fields(city="", starts_at=starts_at, ends_at=starts_at)
        )
    assert set(error.value.message_dict) >= {"city", "ends_at"}


def test_approval_publishes_the_event_and_tells_the_organiser(organiser, secretariat):
    event = services.event_submit(by=organiser, fields=fields())

    services.event_approve(event=event, by=secretariat)

    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED and event.reviewed_by == secretariat
    [message] = mail_to(organiser)
    assert "Your event Open budgets in Athens is published" in message.subject


def test_rejection_needs_a_reason_which_the_organiser_reads(organiser, secretariat):
    event = services.event_submit(by=organiser, fields=fields())

    with pytest.raises(services.EventError, match="Say why"):
        services.event_reject(event=event, reason="  ", by=secretariat)
    services.event_reject(event=event, reason="Please add the venue's address.", by=secretariat)

    event.refresh_from_db()
    assert event.status == Event.Status.REJECTED
    assert event.rejection_reason == "Please add the venue's address."
    [message] = mail_to(organiser)
    assert "was not approved" in message.subject
    assert "Please add the venue's address." in message.body
    assert f"/events/{event.pk}/edit/" in message.body  # straight to the form to fix it


def test_only_the_secretariat_reviews(organiser):
    event = services.event_submit(by=organiser, fields=fields())

    with pytest.raises(services.EventError):
        services.event_approve(event=event, by=UserFactory())
    with pytest.raises(services.EventError):
        services.event_reject(event=event, reason="No", by=organiser)


def test_an_approved_event_cannot_be_approved_twice(organiser, secretariat):
    event = services.event_submit(by=organiser, fields=fields())
    services.event_approve(event=event, by=secretariat)

    with pytest.raises(services.EventError, match="waiting for review"):
        services.event_approve(event=event, by=secretariat)
    assert len(mail_to(organiser)) == 1


def test_the_organiser_edits_a_rejected_event_and_it_goes_back_to_the_queue(organiser, secretariat):
    event = services.event_submit(by=organiser, fields=fields())
    services.event_reject(event=event, reason="Add the address.", by=secretariat)

    event = services.event_edit(
        event=event, fields={"address": "City Hall, Kotzia Square 1"}, by=organiser
    )

    assert event.status == Event.Status.SUBMITTED
    assert event.address == "City Hall, Kotzia Square 1"
    assert AuditEntry.objects.filter(action="event.resubmitted", about_id=str(event.pk)).exists()
    services.event_approve(event=event, by=secretariat)
    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED and event.rejection_reason == ""
    assert [m.subject for m in mail_to(organiser)][-1].endswith("is published")


def test_someone_else_cannot_edit(organiser):
    event = EventFactory(organiser=organiser)

    with pytest.raises(services.EventError):
        services.event_edit(event=event, fields={"title": "Mine now"}, by=UserFactory())


def test_editing_a_published_event_keeps_it_published_and_moves_it_in_calendars(organiser):
    event = EventFactory(organiser=organiser)
    later = event.starts_at + timedelta(days=1)

    services.event_edit(event=event, fields={"description": "More detail."}, by=organiser)
    event.refresh_from_db()
    assert (event.status, event.sequence) == (Event.Status.APPROVED, 0)

    services.event_edit(
        event=event,
        fields={"starts_at": later, "ends_at": later + timedelta(hours=2)},
        by=organiser,
    )
    event.refresh_from_db()
    assert (event.status, event.sequence) == (Event.Status.APPROVED, 1)


def test_the_secretariat_can_take_a_published_event_out_of_the_calendar(organiser, secretariat):
    event = EventFactory(organiser=organiser)

    services.event_reject(event=event, reason="The date is wrong.", by=secretariat)

    event.refresh_from_db()
    assert event.status == Event.Status.REJECTED
    assert "The date is wrong." in mail_to(organiser)[0].body


def test_places_cannot_drop_below_those_confirmed(organiser):
    event = EventFactory(organiser=organiser, registration_required=True, capacity=3)
    EventRegistrationFactory.create_batch(2, event=event)

    with pytest.raises(ValidationError, match="2 places are already confirmed"):
        services.event_edit(event=event, fields={"capacity": 1}, by=organiser)
    event.refresh_from_db()
    assert event.capacity == 3


def test_registration_cannot_be_turned_off_while_people_are_registered(organiser):
    event = EventFactory(organiser=organiser, registration_required=True)
    EventRegistrationFactory(event=event)

    with pytest.raises(ValidationError, match="cancel their registrations"):
        services.event_edit(event=event, fields={"registration_required": False}, by=organiser)


def test_more_places_give_the_people_waiting_a_place_at_once(organiser):
    event = EventFactory(organiser=organiser, registration_required=True, capacity=1)
    first, second = UserFactory(), UserFactory()
    services.event_register(event=event, member=first)
    waiting = services.event_register(event=event, member=second)
    assert waiting.status == EventRegistration.Status.WAITING

    services.event_edit(event=event, fields={"capacity": 2}, by=organiser)

    waiting.refresh_from_db()
    assert waiting.status == EventRegistration.Status.CONFIRMED
    assert "is now yours" in mail_to(second)[-1].subject
