"""The admin's log-in has the portal's log-in rate limits (allauth's)."""

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


def _admin_login(client, email, password):
    return client.post(reverse("admin:login"), {"username": email, "password": password})


def test_the_administrator_logs_in_to_the_admin(client, administrator):
    response = _admin_login(client, administrator.email, PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, administrator):
    for _ in range(5):
        assert _admin_login(client, administrator.email, "guess").status_code == 200

    response = _admin_login(client, administrator.email, PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    # One count with the portal's own log-in: the guesses there were made here.
    portal = client.post(
        reverse("account_login"), {"login": administrator.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in portal.content.decode()


def test_the_admin_login_answers_429_past_the_portals_limit_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    statuses = [_admin_login(client, f"n{n}@example.org", "guess").status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]
