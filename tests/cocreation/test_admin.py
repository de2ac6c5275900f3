"""The secretariat schedules in the admin; its edits go through the same services."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from cocreation.models import Registration, Workshop
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True)


def admin_form_data(workshop, **changes):
    data = {
        "process": workshop.process_id,
        "theme": workshop.theme_id,
        "kind": workshop.kind,
        "title": workshop.title,
        "starts_at_0": workshop.starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": workshop.starts_at.strftime("%H:%M:%S"),
        "ends_at_0": workshop.ends_at.strftime("%Y-%m-%d"),
        "ends_at_1": workshop.ends_at.strftime("%H:%M:%S"),
        "time_zone": workshop.time_zone,
        "venue": workshop.venue,
        "online_link": workshop.online_link,
        "language": workshop.language,
        "status": workshop.status,
        "capacity": workshop.capacity,
        "government_quota": workshop.government_quota,
        "non_government_quota": workshop.non_government_quota,
        "first_time_seats": workshop.first_time_seats,
        "attachments-TOTAL_FORMS": 0,  # the outreach kit inline
        "attachments-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


@pytest.fixture
def secretariat_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_moving_a_workshop_in_the_admin_tells_the_participants(secretariat_client):
    workshop = WorkshopFactory()
    member = RegistrationFactory(workshop=workshop).member
    later = workshop.starts_at + timedelta(days=1)
    data = admin_form_data(
        workshop,
        starts_at_0=later.strftime("%Y-%m-%d"),
        ends_at_0=(later + timedelta(hours=3)).strftime("%Y-%m-%d"),
    )

    response = secretariat_client.post(
        reverse("admin:cocreation_workshop_change", args=[workshop.pk]), data
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    workshop.refresh_from_db()
    assert workshop.sequence == 1
    assert any("has moved" in m.subject for m in mail.outbox if m.to == [member.email])


def test_raising_seats_in_the_admin_promotes_the_waiting(secretariat_client):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    RegistrationFactory(workshop=workshop)
    waiting = RegistrationFactory(workshop=workshop, status="waiting")

    secretariat_client.post(
        reverse("admin:cocreation_workshop_change", args=[workshop.pk]),
        admin_form_data(workshop, government_quota=2, capacity=3),
    )

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_cancelling_in_the_admin_tells_the_participants(secretariat_client):
    workshop = WorkshopFactory()
    member = RegistrationFactory(workshop=workshop).member

    secretariat_client.post(
        reverse("admin:cocreation_workshop_change", args=[workshop.pk]),
        admin_form_data(workshop, status="cancelled"),
    )

    assert Workshop.objects.get(pk=workshop.pk).status == Workshop.Status.CANCELLED
    assert any("is cancelled" in m.subject for m in mail.outbox if m.to == [member.email])


def test_publishing_in_the_admin_records_the_announcement_once(secretariat_client):
    workshop = WorkshopFactory(status="draft")
    url = reverse("admin:cocreation_workshop_change", args=[workshop.pk])

    secretariat_client.post(url, admin_form_data(workshop, status="published"))
    workshop.refresh_from_db()
    announced = workshop.announced_at
    secretariat_client.post(url, admin_form_data(workshop, status="draft"))
    secretariat_client.post(url, admin_form_data(workshop, status="published"))
    workshop.refresh_from_db()

    assert workshop.status == "published"
    assert announced is not None and workshop.announced_at == announced


def test_first_time_seats_set_in_the_admin_are_kept(secretariat_client):
    workshop = WorkshopFactory(government_quota=2, non_government_quota=2)
    url = reverse("admin:cocreation_workshop_change", args=[workshop.pk])

    secretariat_client.post(url, admin_form_data(workshop, first_time_seats=2))
    workshop.refresh_from_db()
    assert workshop.first_time_seats == 2

    response = secretariat_client.post(url, admin_form_data(workshop, first_time_seats=9))
    assert response.status_code == 200  # redisplayed with the reason
    assert "first-time participants" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.first_time_seats == 2


def test_lowering_a_quota_below_the_seats_taken_in_the_admin_is_refused_with_the_form_kept(
    secretariat_client,
):
    workshop = WorkshopFactory(government_quota=2, non_government_quota=2, title="Open budgets")
    RegistrationFactory(workshop=workshop)
    RegistrationFactory(workshop=workshop)

    response = secretariat_client.post(
        reverse("admin:cocreation_workshop_change", args=[workshop.pk]),
        admin_form_data(workshop, government_quota=1, capacity=3, title="Open budgets, renamed"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "already holds 2 confirmed seats" in page
    assert "Open budgets, renamed" in page  # what was typed is kept
    workshop.refresh_from_db()
    assert (workshop.government_quota, workshop.title) == (2, "Open budgets")  # nothing saved
