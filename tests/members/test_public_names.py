"""A member without a name is never shown by their e-mail address in public (the
organisation's page, the minutes, an event's page, anything that prints the member), and
nobody can empty their name: the profile and the sign-up require it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory
from tests.factories.events import EventFactory
from tests.factories.health import MinutesFactory

pytestmark = pytest.mark.django_db

ADDRESS = "nameless.person@private.example.org"


@pytest.fixture
def nameless():
    return UserFactory(email=ADDRESS, full_name="", position="Policy officer")


def test_a_member_without_a_name_is_never_named_by_their_address(nameless):
    assert "@" not in str(nameless)
    assert "@" not in nameless.get_full_name()
    assert "@" not in nameless.public_name


def test_public_pages_do_not_show_the_address_of_a_member_without_a_name(client, nameless):
    workshop = WorkshopFactory(status="held", starts_at=timezone.now() - timezone.timedelta(1))
    RegistrationFactory(
        workshop=workshop, member=nameless, attendance="attended", agrees_to_be_named=True
    )
    MinutesFactory(workshop=workshop)
    event = EventFactory(organiser=nameless)

    pages = {
        "organisation": reverse("members:organisation_detail", args=[nameless.organisation_id]),
        "minutes": reverse("cocreation:minutes", args=[workshop.pk]),
        "event": event.get_absolute_url(),
    }
    for name, address in pages.items():
        page = client.get(address).content.decode()
        assert ADDRESS not in page, name
    named = client.get(pages["organisation"]).content.decode()
    assert "a member, Policy officer" in named


def test_the_member_still_sees_their_own_address_in_the_header(client, nameless):
    client.force_login(nameless)

    page = client.get(reverse("members:profile")).content.decode()

    assert f"Logged in as {ADDRESS}" in page


@pytest.mark.parametrize("name", ["", "   "])
def test_the_profile_refuses_an_empty_name_and_keeps_the_old_one(client, name):
    member = UserFactory(full_name="Ana Petrović")
    client.force_login(member)

    response = client.post(
        reverse("members:profile"),
        {
            "full_name": name,
            "organisation": member.organisation_id,
            "position": "Analyst",
            "preferred_language": "en",
        },
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    member.refresh_from_db()
    assert member.full_name == "Ana Petrović"
    assert member.position != "Analyst"


def test_the_profile_saves_a_name(client, nameless):
    client.force_login(nameless)

    response = client.post(
        reverse("members:profile"),
        {
            "full_name": "  Ana Petrović ",
            "organisation": nameless.organisation_id,
            "preferred_language": "en",
        },
    )

    assert response.status_code == 302
    nameless.refresh_from_db()
    assert nameless.full_name == "Ana Petrović"


def test_the_sign_up_refuses_a_blank_name(client, nameless):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "full_name": "   ",
            "organisation": nameless.organisation_id,
            "preferred_language": "en",
            "privacy_consent": "on",
        },
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not type(nameless).objects.filter(email="new.person@example.org").exists()
