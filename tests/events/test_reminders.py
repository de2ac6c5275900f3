from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail

from core.notifications.reminders import reminder_timing_set
from events import notices
from events.services import event_edit, event_reminders_send
from events.tasks import send_event_reminders
from tests.factories import UserFactory
from tests.factories.events import EventFactory, EventRegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def reminders_to(member):
    return [m for m in mail.outbox if m.to == [member.email] and "Reminder" in m.subject]


def test_people_with_a_place_are_reminded_once_24_hours_before():
    event = EventFactory(title="Open budgets", registration_required=True)
    holder = EventRegistrationFactory(event=event).member
    waiting = EventRegistrationFactory(event=event, status="waiting").member
    start = event.starts_at

    assert event_reminders_send(now=start - timedelta(hours=25)) == 0
    assert event_reminders_send(now=start - timedelta(hours=24)) == 1
    assert event_reminders_send(now=start - timedelta(hours=23)) == 0  # the job runs again

    [reminder] = reminders_to(holder)
    assert reminder.subject.endswith("Reminder: Open budgets")
    assert "EET" in reminder.body or "EEST" in reminder.body  # the event's own time zone
    assert reminders_to(waiting) == []


def test_unpublished_events_send_no_reminder():
    event = EventFactory(registration_required=True, status="rejected")
    EventRegistrationFactory(event=event)

    assert event_reminders_send(now=event.starts_at - timedelta(hours=1)) == 0


def test_the_secretariat_sets_the_timing_and_a_moved_event_is_reminded_again():
    reminder_timing_set(
        timing=notices.EVENT_REMINDER_HOURS, value="48,2", by=UserFactory(roles=["secretariat"])
    )
    event = EventFactory(registration_required=True)
    EventRegistrationFactory(event=event)
    assert event_reminders_send(now=event.starts_at - timedelta(hours=48)) == 1

    later = event.starts_at + timedelta(days=2)
    event = event_edit(
        event=event,
        fields={"starts_at": later, "ends_at": later + timedelta(hours=2)},
        by=event.organiser,
    )
    assert event_reminders_send(now=later - timedelta(hours=48)) == 1
    assert event_reminders_send(now=later - timedelta(hours=2)) == 1


def test_the_job_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["events-send-reminders"]
    assert entry["task"] == send_event_reminders.name == "events.send_event_reminders"
