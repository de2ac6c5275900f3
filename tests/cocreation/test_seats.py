from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cocreation import notices, services
from cocreation.models import Registration, Workshop
from cocreation.services import RegistrationError, waiting_position, workshop_register
from core.errors import NotAllowed
from core.notifications.models import NotificationTemplate
from members.models import StakeholderGroup
from tests.factories import UserFactory, WorkshopFactory, member_of

# Real commits: registrations notify after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

GOV = StakeholderGroup.GOVERNMENT
NGO = StakeholderGroup.NON_GOVERNMENT
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING


def register(workshop, member, **answers):
    return workshop_register(
        workshop=workshop, member=member, answers=services.RegistrationAnswers(**answers)
    )


def mail_to(member):
    return [message for message in mail.outbox if message.to == [member.email]]


def test_each_group_gets_its_quota_and_then_a_numbered_waiting_place():
    workshop = WorkshopFactory(government_quota=2, non_government_quota=2)
    officials = [member_of(GOV) for _ in range(4)]
    activist = member_of(NGO)

    registrations = [register(workshop, official) for official in officials]
    civil = register(workshop, activist)

    assert [r.status for r in registrations] == [CONFIRMED, CONFIRMED, WAITING, WAITING]
    assert [waiting_position(r) for r in registrations[2:]] == [1, 2]
    assert civil.status == CONFIRMED and civil.seat_group == NGO


def test_the_member_is_told_seat_or_waiting_place_by_email():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1, title="Open data")
    first, second = member_of(GOV), member_of(GOV)

    register(workshop, first)
    register(workshop, second)

    assert "Your seat at Open data is confirmed" in mail_to(first)[0].subject
    assert "waiting list" in mail_to(second)[0].subject
    assert "at position 1" in mail_to(second)[0].body


def test_cancelling_promotes_the_first_waiting_in_that_group_at_once():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    holder, first_waiting, second_waiting = member_of(GOV), member_of(GOV), member_of(GOV)
    seat = register(workshop, holder)
    waiting_1 = register(workshop, first_waiting)
    waiting_2 = register(workshop, second_waiting)
    mail.outbox.clear()

    promoted = services.registration_cancel(registration=seat, by=holder)

    assert promoted == [waiting_1]
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == CONFIRMED
    assert waiting_position(waiting_2) == 1
    assert "is now yours" in mail_to(first_waiting)[0].subject
    assert mail_to(second_waiting) == []


def test_a_free_seat_of_the_other_group_is_not_given_away_before_the_quota_release():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1, quota_release_hours=24)
    register(workshop, member_of(GOV))
    waiting_official = register(workshop, member_of(GOV))

    assert waiting_official.status == WAITING  # the non-government seat stays free
    assert services.workshops_release_quotas(now=timezone.now()) == 0

    release = workshop.starts_at - timedelta(hours=24)
    assert services.workshops_release_quotas(now=release) == 1
    waiting_official.refresh_from_db()
    assert waiting_official.status == CONFIRMED
    assert waiting_official.seat_group == NGO


def test_without_a_quota_release_seats_never_cross_groups():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    register(workshop, member_of(GOV))
    waiting_official = register(workshop, member_of(GOV))

    assert services.workshops_release_quotas(now=workshop.starts_at - timedelta(minutes=1)) == 0
    waiting_official.refresh_from_db()
    assert waiting_official.status == WAITING


def test_nobody_holds_two_places_but_may_come_back_after_cancelling():
    workshop = WorkshopFactory()
    official = member_of(GOV)
    registration = register(workshop, official)

    with pytest.raises(RegistrationError, match="already registered"):
        register(workshop, official)

    services.registration_cancel(registration=registration, by=official)
    assert register(workshop, official).status == CONFIRMED
    assert Registration.objects.filter(workshop=workshop, member=official).count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Workshop.Status.DRAFT}, "not open for registration"),
        ({"status": Workshop.Status.CANCELLED}, "not open for registration"),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "Registration is closed"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "has not opened yet"),
    ],
)
def test_registration_only_while_open(change, message):
    workshop = WorkshopFactory(**change)

    with pytest.raises(RegistrationError, match=message):
        register(workshop, member_of(GOV))


def test_facilitators_do_not_take_seats():
    facilitator = member_of(NGO)
    workshop = WorkshopFactory()
    workshop.facilitators.add(facilitator)

    with pytest.raises(NotAllowed, match="do not take seats"):
        register(workshop, facilitator)


def test_a_member_without_organisation_is_told_to_choose_one():
    with pytest.raises(NotAllowed, match="Choose your organisation"):
        register(WorkshopFactory(), UserFactory(organisation=None))


def test_raising_the_capacity_promotes_people_waiting():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    register(workshop, member_of(GOV))
    waiting = register(workshop, member_of(GOV))

    promoted = services.workshop_capacity_change(
        workshop=workshop,
        government_quota=2,
        non_government_quota=1,
        by=UserFactory(roles=["secretariat"]),
    )

    assert promoted == [waiting]
    workshop.refresh_from_db()
    assert workshop.capacity == 3


def test_lowering_a_quota_below_the_confirmed_seats_is_refused():
    workshop = WorkshopFactory(government_quota=2, non_government_quota=2)
    register(workshop, member_of(GOV))
    register(workshop, member_of(GOV))

    with pytest.raises(RegistrationError, match="already holds 2 confirmed seats"):
        services.workshop_capacity_change(
            workshop=workshop,
            government_quota=1,
            non_government_quota=2,
            by=UserFactory(roles=["secretariat"]),
        )


def test_a_reschedule_tells_everyone_the_old_and_new_time_in_the_workshops_zone():
    start = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)
    workshop = WorkshopFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        government_quota=1,
        non_government_quota=1,
        time_zone="Europe/Athens",
    )
    seated, waiting = member_of(GOV), member_of(GOV)
    register(workshop, seated)
    register(workshop, waiting)
    mail.outbox.clear()

    services.workshop_reschedule(
        workshop=workshop,
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=2),
        by=UserFactory(roles=["secretariat"]),
    )

    for member in (seated, waiting):
        (message,) = mail_to(member)
        assert "Before: March 10, 2027, 4 p.m. EET" in message.body
        assert "Now: March 11, 2027, 4 p.m. EET" in message.body
    workshop.refresh_from_db()
    assert workshop.sequence == 1
    assert workshop.rescheduled_at is not None


def test_cancelling_a_workshop_tells_everyone_with_the_reason():
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    seated, waiting = member_of(GOV), member_of(GOV)
    register(workshop, seated)
    register(workshop, waiting)
    mail.outbox.clear()

    services.workshop_cancel(
        workshop=workshop,
        reason="The venue is closed by a strike.",
        by=UserFactory(roles=["secretariat"]),
    )

    for member in (seated, waiting):
        assert "The venue is closed by a strike." in mail_to(member)[0].body
    assert Workshop.objects.get(pk=workshop.pk).status == Workshop.Status.CANCELLED


def test_a_registration_costs_the_same_queries_however_long_the_waiting_list():
    # The registration storm (benchmarks/storm.py): the workshop's lock is held for these
    # queries, so their number must not grow with the people already waiting.

    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    register(workshop, member_of(GOV))
    counts = []
    for more in (3, 30):
        for _ in range(more):
            register(workshop, member_of(GOV))
        member = type(member_of(GOV)).objects.select_related("organisation__sector").latest("pk")
        with CaptureQueriesContext(connection) as queries:
            registration = register(workshop, member)
        counts.append(len(queries.captured_queries))
        assert registration.status == WAITING
    assert counts[0] == counts[1], counts
    assert waiting_position(registration) == 3 + 1 + 30 + 1


def test_a_free_seat_left_to_someone_waiting_goes_to_them_before_the_newcomer():
    # A registration counts the places once and seats the newcomer itself only when nobody
    # waits in a group with a free seat; otherwise the full rule runs, as before.
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    seated, waiting = member_of(GOV), member_of(GOV)
    register(workshop, seated)
    register(workshop, waiting)
    # A seat freed without filling it (as data changed by hand would leave it).
    Workshop.objects.filter(pk=workshop.pk).update(government_quota=2, capacity=3)

    newcomer = register(workshop, member_of(GOV))

    assert Registration.objects.get(member=waiting).status == CONFIRMED
    assert newcomer.status == WAITING
    assert newcomer.position == waiting_position(newcomer) == 1


def test_the_secretariats_own_texts_tell_members_of_their_seat_and_waiting_place():
    # A registration asks whether these texts exist with what it reads about the member,
    # and reads them only then.
    NotificationTemplate.objects.create(
        kind=notices.REGISTRATION_CONFIRMED,
        language="",
        subject="A seat for {{ recipient.full_name }}",
        body="See you there.",
    )
    NotificationTemplate.objects.create(
        kind=notices.REGISTRATION_WAITING,
        language="el",
        subject="Αριθμός {{ position }} στη λίστα αναμονής",
        body="Θα σας ενημερώσουμε.",
    )
    workshop = WorkshopFactory(government_quota=1)
    seated = member_of(GOV, full_name="Ana Ferreira", preferred_language="pt")
    waiting = member_of(GOV, preferred_language="el")
    english = member_of(GOV, preferred_language="en")

    register(workshop, seated)
    register(workshop, waiting)
    register(workshop, english)

    assert mail_to(seated)[0].subject == "A seat for Ana Ferreira"
    assert mail_to(waiting)[0].subject == "Αριθμός 1 στη λίστα αναμονής"
    assert "Αριθμός" not in mail_to(english)[0].subject
    assert "at position 2" in mail_to(english)[0].body
