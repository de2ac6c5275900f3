from datetime import timedelta

import pytest

from cocreation import services as workshops
from core.audit.models import AuditEntry
from members import services as members
from tests.factories import UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", "data"))


def test_seats_leave_a_trail_of_who_got_which_and_why():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    holder, waiting = member_of("government"), member_of("government")
    seat = workshops.workshop_register(workshop=workshop, member=holder)
    workshops.workshop_register(workshop=workshop, member=waiting)

    workshops.registration_cancel(registration=seat, by=holder)

    assert [action for action, _data in actions()] == [
        "registration.created",
        "registration.created",
        "registration.cancelled",
        "registration.promoted",
    ]
    promoted = AuditEntry.objects.get(action="registration.promoted")
    assert promoted.actor == holder
    assert promoted.data["after"] == "confirmed"


def test_a_membership_decision_records_who_decided_and_the_reason():
    secretariat = UserFactory(roles=["secretariat"])
    applicant = UserFactory(membership_status="pending")

    members.membership_reject(member=applicant, reason="Not an organisation.", by=secretariat)

    entry = AuditEntry.objects.get()
    assert entry.actor == secretariat
    assert entry.about == applicant
    assert entry.data == {"before": "pending", "after": "rejected", "note": "Not an organisation."}


def test_a_reschedule_records_the_old_and_new_times():
    workshop = WorkshopFactory()
    old = workshop.starts_at

    workshops.workshop_reschedule(
        workshop=workshop,
        starts_at=old + timedelta(days=1),
        ends_at=workshop.ends_at + timedelta(days=1),
        by=UserFactory(roles=["secretariat"]),
    )

    entry = AuditEntry.objects.get(action="workshop.rescheduled")
    assert entry.data["before"] == old.isoformat()
    assert entry.data["after"] == (old + timedelta(days=1)).isoformat()
