from datetime import timedelta

import pytest
from django.core import mail

from cocreation import notices
from cocreation.services import workshop_reminders_send, workshop_reschedule
from core.notifications.reminders import reminder_timing_set
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)


def reminders_to(member):
    return [m for m in mail.outbox if m.to == [member.email] and "Reminder" in m.subject]


def test_participants_are_reminded_48_and_2_hours_before_once_each():
    workshop = WorkshopFactory(title="Open data")
    seated = RegistrationFactory(workshop=workshop).member
    waiting = RegistrationFactory(workshop=workshop, status="waiting").member
    start = workshop.starts_at

    assert workshop_reminders_send(now=start - timedelta(hours=49)) == 0
    assert workshop_reminders_send(now=start - timedelta(hours=48)) == 1
    assert workshop_reminders_send(now=start - timedelta(hours=47)) == 0  # the job runs again
    assert workshop_reminders_send(now=start - timedelta(hours=2)) == 1
    assert workshop_reminders_send(now=start - timedelta(hours=1)) == 0

    assert len(reminders_to(seated)) == 2
    assert reminders_to(waiting) == []
    assert "Reminder: Open data" in reminders_to(seated)[0].subject


def test_a_workshop_can_set_its_own_reminder_times():
    workshop = WorkshopFactory(reminder_hours="24")
    RegistrationFactory(workshop=workshop)

    assert workshop_reminders_send(now=workshop.starts_at - timedelta(hours=47)) == 0
    assert workshop_reminders_send(now=workshop.starts_at - timedelta(hours=24)) == 1


def test_the_secretariat_changes_the_default_timing():
    reminder_timing_set(
        timing=notices.WORKSHOP_REMINDER_HOURS, value="72", by=UserFactory(roles=["secretariat"])
    )
    workshop = WorkshopFactory()
    RegistrationFactory(workshop=workshop)

    assert workshop_reminders_send(now=workshop.starts_at - timedelta(hours=72)) == 1


def test_after_a_reschedule_the_reminders_follow_the_new_time():
    workshop = WorkshopFactory()
    RegistrationFactory(workshop=workshop)
    workshop_reminders_send(now=workshop.starts_at - timedelta(hours=48))

    later = workshop.starts_at + timedelta(days=3)
    workshop = workshop_reschedule(
        workshop=workshop,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        by=UserFactory(roles=["secretariat"]),
    )

    assert workshop_reminders_send(now=later - timedelta(hours=48)) == 1


def test_the_reminder_job_costs_the_same_queries_for_few_and_many(
    django_assert_max_num_queries,
):
    few = WorkshopFactory()
    RegistrationFactory(workshop=few)
    now = few.starts_at - timedelta(hours=48)
    with django_assert_max_num_queries(30) as counted:
        assert workshop_reminders_send(now=now) == 1
    many = WorkshopFactory(starts_at=few.starts_at, ends_at=few.ends_at)
    for _ in range(15):
        RegistrationFactory(workshop=many, group="non_government")
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert workshop_reminders_send(now=now) == 15
