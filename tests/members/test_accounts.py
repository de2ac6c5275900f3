import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.urls import reverse

from members.permissions import is_facilitator, is_secretariat
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_users_are_identified_by_email_without_a_username():
    User = get_user_model()
    user = User.objects.create_user(email="Ana@Example.ORG", password=DEFAULT_PASSWORD)

    assert User.USERNAME_FIELD == "email"
    assert user.email == "Ana@example.org"
    assert not hasattr(user, "username")


def test_a_member_logs_in_with_email_and_password(client):
    user = UserFactory(email="olena@example.org")

    response = client.post(
        reverse("account_login"), {"login": "olena@example.org", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_a_wrong_password_redisplays_the_form_with_the_email_and_an_error(client):
    UserFactory(email="olena@example.org")

    response = client.post(
        reverse("account_login"), {"login": "olena@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="olena@example.org"' in html
    assert "not correct" in html


def test_the_login_page_uses_the_portal_layout(client, settings):
    html = client.get(reverse("account_login")).content.decode()

    assert settings.SITE_NAME in html
    assert "Skip to content" in html


@pytest.mark.parametrize(
    ("roles", "secretariat", "facilitator"),
    [([], False, False), (["facilitator"], False, True), (["secretariat"], True, False)],
)
def test_roles_are_groups_asked_through_the_permissions_module(roles, secretariat, facilitator):
    user = UserFactory(roles=roles)

    assert is_secretariat(user) is secretariat
    assert is_facilitator(user) is facilitator


def test_anonymous_visitors_hold_no_role():
    assert not is_secretariat(AnonymousUser())


def test_a_forgotten_password_is_reset_by_email(client):
    UserFactory(email="olena@example.org")

    page = client.get(reverse("account_reset_password"))
    client.post(reverse("account_reset_password"), {"email": "olena@example.org"})

    assert page.status_code == 200
    assert "Skip to content" in page.content.decode()  # inside the portal's layout
    (message,) = mail.outbox
    assert message.to == ["olena@example.org"]
    assert "/accounts/password/reset/key/" in message.body


def test_a_member_reaches_the_change_of_email_page(client):
    client.force_login(UserFactory())

    response = client.get(reverse("account_email"))

    assert response.status_code == 200
    assert "Skip to content" in response.content.decode()
