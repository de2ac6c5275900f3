"""The admin's log-in is the portal's own: its password form logs no one in, and the
portal's log-in rate limits (allauth's) hold for whoever comes through /admin/."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"  # noqa: S105


@pytest.fixture
def administrator():
    user = UserFactory(is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _portal_login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_admins_password_form_sends_to_the_portals_log_in(client, administrator):
    response = client.post(
        reverse("admin:login"), {"username": administrator.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("admin:index")).status_code == 302  # not logged in


def test_the_administrator_reaches_the_admin_through_the_portals_log_in(client, administrator):
    assert _portal_login(client, administrator.email, PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, administrator):
    for _ in range(5):
        assert _portal_login(client, administrator.email, "guess").status_code == 200

    response = _portal_login(client, administrator.email, PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
