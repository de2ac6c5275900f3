import json

import pytest
from django.urls import reverse

from cocreation import services as workshop_services
from cocreation.models import Registration
from members.models import User
from tests.factories import (
    DEFAULT_PASSWORD,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_download_my_data_holds_everything_about_me(client):
    registration = RegistrationFactory(accessibility_needs="Step-free access")
    member = registration.member
    workshop_services.contribution_post(
        workshop=registration.workshop, author=member, kind="idea", title="Open budgets", text="CSV"
    )
    client.force_login(member)

    response = client.get(reverse("members:my_data"))

    assert response["Content-Disposition"] == 'attachment; filename="my-forum-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["workshop_registrations"][0]["accessibility_needs"] == "Step-free access"
    assert data["contributions"][0]["title"] == "Open budgets"
    assert "notifications" in data


def test_deleting_my_account_anonymises_me_and_frees_my_seat(client):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    seat = RegistrationFactory(workshop=workshop)
    waiting = RegistrationFactory(workshop=workshop, status="waiting")
    member = seat.member
    contribution = workshop_services.contribution_post(
        workshop=workshop, author=member, kind="idea", title="Open budgets", text="As CSV."
    )
    workshop_services.contribution_publish(
        contribution=contribution, by=UserFactory(roles=["secretariat"])
    )
    client.force_login(member)

    refused = client.post(reverse("members:account_delete"), {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 400
    assert "This is not your password." in refused.content.decode()

    response = client.post(
        reverse("members:account_delete"),
        {"password": DEFAULT_PASSWORD, "confirm": "on"},
        follow=True,
    )

    assert "Your account is deleted." in response.content.decode()
    member.refresh_from_db()
    assert not member.is_active and member.full_name == ""
    assert member.email.endswith("@deleted.invalid")
    assert not member.has_usable_password()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    board = client.get(
        reverse("cocreation:contribution_board", args=[workshop.pk])
    ).content.decode()
    assert "Open budgets" in board and "former member" in board
    assert not client.login(email=seat.member.email, password=DEFAULT_PASSWORD)


def test_deleting_needs_the_confirmation(client):
    member = member_of("government")
    client.force_login(member)

    response = client.post(reverse("members:account_delete"), {"password": DEFAULT_PASSWORD})

    assert response.status_code == 400
    assert User.objects.get(pk=member.pk).is_active
