"""Check-in opens on the workshop's day in its own zone, or the hours before its start the
secretariat set; walk-ins without an account are recorded by name and group and counted."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cocreation import selectors, services
from cocreation.models import Registration, WalkIn
from core.audit.models import AuditEntry
from core.errors import ForumError
from tests.factories import RegistrationFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture
def today():
    """A workshop starting in an hour: its check-in is open."""
    # Opening hours of its own: between 21:00 and 22:00 UTC (in winter) an hour ahead is
    # the next day in Kyiv, whose check-in had not opened: three tests failed then.
    workshop = WorkshopFactory(
        title="Open data",
        starts_at=timezone.now() + timedelta(hours=1),
        time_zone="Europe/Kyiv",
        check_in_opens_hours_before=24,
    )
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    registration = RegistrationFactory(workshop=workshop, group="government")
    return workshop, facilitator, registration


def test_check_in_opens_at_midnight_of_the_workshops_day_in_its_own_zone():
    workshop = WorkshopFactory.build(
        starts_at=datetime(2027, 3, 12, 8, 0, tzinfo=ZoneInfo("UTC")),  # 10:00 in Kyiv
        time_zone="Europe/Kyiv",
    )

    assert workshop.check_in_opens_at() == datetime(2027, 3, 12, 0, 0, tzinfo=KYIV)
    assert not workshop.check_in_open(datetime(2027, 3, 11, 21, 59, tzinfo=ZoneInfo("UTC")))
    assert workshop.check_in_open(datetime(2027, 3, 11, 22, 0, tzinfo=ZoneInfo("UTC")))


def test_the_secretariat_can_open_check_in_hours_before_the_start():
    starts = datetime(2027, 3, 12, 8, 0, tzinfo=ZoneInfo("UTC"))
    workshop = WorkshopFactory.build(starts_at=starts, check_in_opens_hours_before=36)

    assert workshop.check_in_opens_at() == starts - timedelta(hours=36)


def test_before_it_opens_the_page_says_when_and_nothing_can_be_marked(client):
    workshop = WorkshopFactory(
        starts_at=datetime(2099, 3, 12, 8, 0, tzinfo=ZoneInfo("UTC")), time_zone="Europe/Kyiv"
    )
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    registration = RegistrationFactory(workshop=workshop)
    client.force_login(facilitator)

    page = client.get(reverse("cocreation:check_in", args=[workshop.pk])).content.decode()
    marked = client.post(
        reverse("cocreation:check_in_mark", args=[workshop.pk, registration.pk]),
        {"attendance": "attended"},
        follow=True,
    )

    assert re.search(r"Check-in opens [^<]*2099, (00:00|midnight) EET\.", page)
    assert 'value="attended"' not in page
    assert "Add a walk-in" not in page
    assert marked.content.decode().count("Check-in opens") == 2  # the refusal and the page
    registration.refresh_from_db()
    assert registration.attendance == Registration.Attendance.UNKNOWN


def test_on_the_day_attendance_is_marked_with_a_message(client, today):
    workshop, facilitator, registration = today
    client.force_login(facilitator)

    response = client.post(
        reverse("cocreation:check_in_mark", args=[workshop.pk, registration.pk]),
        {"attendance": "attended"},
        follow=True,
    )

    registration.refresh_from_db()
    assert registration.attendance == Registration.Attendance.ATTENDED
    assert ": Attended." in response.content.decode()


def test_a_walk_in_without_an_account_is_recorded_and_counted_by_group(client, today):
    workshop, facilitator, registration = today
    services.registration_check_in(registration=registration, attendance="attended", by=facilitator)
    client.force_login(facilitator)

    response = client.post(
        reverse("cocreation:walk_in_anonymous", args=[workshop.pk]),
        {"name": "Mykola Petrenko", "stakeholder_group": "non_government"},
        follow=True,
    )

    assert "Mykola Petrenko is checked in." in response.content.decode()
    walk_in = WalkIn.objects.get()
    assert (walk_in.name, walk_in.stakeholder_group) == ("Mykola Petrenko", "non_government")
    assert AuditEntry.objects.filter(action="workshop.walk_in_recorded").exists()
    counts = {
        row["label"]: row["count"] for row in selectors.attendance(workshop=workshop)["by_group"]
    }
    assert sum(counts.values()) == 2
    assert selectors.attendance(workshop=workshop)["total"] == 2
    assert "Mykola Petrenko" not in [
        m.get_full_name() for m in selectors.attendance(workshop=workshop)["named"]
    ]
    minutes = client.get(reverse("cocreation:minutes", args=[workshop.pk])).content.decode()
    assert "2 participants attended" in minutes


def test_a_walk_in_without_a_name_is_redisplayed_with_the_error(client, today):
    workshop, facilitator, _registration = today
    client.force_login(facilitator)

    response = client.post(
        reverse("cocreation:walk_in_anonymous", args=[workshop.pk]),
        {"name": "", "stakeholder_group": "academia-or-nothing"},
    )

    assert response.status_code == 400
    assert not WalkIn.objects.exists()
    html = response.content.decode()
    assert "This field is required." in html
    assert "Select a valid choice." in html


def test_members_cannot_record_walk_ins(client, today):
    workshop, _facilitator, registration = today
    client.force_login(registration.member)

    response = client.post(
        reverse("cocreation:walk_in_anonymous", args=[workshop.pk]),
        {"name": "Someone", "stakeholder_group": "government"},
    )

    assert response.status_code == 403
    assert not WalkIn.objects.exists()


def test_the_service_refuses_walk_ins_before_check_in_opens():
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(days=30))
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)

    with pytest.raises(ForumError):
        services.walk_in_record(
            workshop=workshop, name="Someone", stakeholder_group="government", by=facilitator
        )
