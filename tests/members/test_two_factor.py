"""Two-factor log-in (allauth.mfa): any account sets up an authenticator app from its
profile and then logs in with a code (or a recovery code); a forum's secretariat and the
site administrator must have one before /manage/ or /admin/ opens, unless
FORUM_REQUIRE_MFA_FOR_STAFF is off."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD, ForumFactory, UserFactory, role_give

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _totp(settings):
    # One period either side: a code computed here is still good when the view checks it,
    # even across a 30-second boundary.
    settings.MFA_TOTP_TOLERANCE = 1


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def log_in(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )


def set_up_authenticator(client) -> str:
    """Set up an authenticator app as a person does: open the page, read the secret beside
    the QR code, type the app's code (allauth asks for the password again first). Returns the
    secret."""
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()  # the QR code
    secret = page.context["form"].secret
    done = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert done.status_code == 302
    return secret


def test_the_profile_links_two_factor_log_in(client):
    client.force_login(UserFactory())

    page = client.get(reverse("members:profile")).content.decode()

    assert reverse("mfa_index") in page
    assert "Two-factor log-in (authenticator app, recovery codes)" in page


def test_a_member_sets_up_an_authenticator_and_then_logs_in_with_its_code(client):
    member = UserFactory(email="olena@example.org")
    log_in(client, member)

    secret = set_up_authenticator(client)

    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    codes = Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    assert len(codes.wrap().get_unused_codes()) == 10
    client.logout()

    password_only = log_in(client, member)
    assert password_only.status_code == 302
    assert password_only["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("members:my_forum")).status_code == 302  # not logged in yet

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.content.decode()

    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.get(reverse("members:my_forum")).status_code == 200


def test_a_recovery_code_logs_in_once(client):
    member = UserFactory()
    log_in(client, member)
    set_up_authenticator(client)
    recovery = Authenticator.objects.get(user=member, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]
    client.logout()

    log_in(client, member)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(reverse("members:my_forum")).status_code == 200
    client.logout()

    log_in(client, member)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200  # refused: a recovery code serves once
    assert client.get(reverse("members:my_forum")).status_code == 302


@pytest.fixture
def forum():
    return ForumFactory(slug="national")


@pytest.fixture
def secretariat(forum):
    member = UserFactory(email="secretariat@example.org")
    role_give(member, "secretariat", forum)
    return member


@pytest.fixture
def administrator():
    return UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("secretariat", "manage"),
        ("secretariat", "membership queue"),
        ("secretariat", "events review"),
        ("administrator", "manage"),
        ("administrator", "admin"),
        ("administrator", "new forum"),
    ],
)
def test_the_keys_of_the_portal_need_an_authenticator_first(
    client, settings, forum, secretariat, administrator, who, where
):
    settings.FORUM_REQUIRE_MFA_FOR_STAFF = True
    user = {"secretariat": secretariat, "administrator": administrator}[who]
    url = {
        "manage": reverse("manage:index", args=[forum.slug]),
        "membership queue": reverse("members:membership_queue"),
        "events review": reverse("events:queue"),
        "admin": "/admin/",
        "new forum": reverse("forums:create"),
    }[where]
    log_in(client, user)

    refused = client.get(url, follow=True)

    assert refused.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    page = refused.content.decode()  # allauth asks for the password first, then the code
    assert "Set up two-factor log-in first" in page
    assert "Confirm your password, scan the QR code with the app" in page
    assert client.post(reverse("members:membership_decide", args=[user.pk])).status_code == 302
    assert client.get(reverse("manage_chooser")).status_code == 302

    set_up_authenticator(client)

    assert client.get(url).status_code == 200


def test_a_member_and_a_facilitator_are_not_asked(client, settings, forum):
    settings.FORUM_REQUIRE_MFA_FOR_STAFF = True
    facilitator = UserFactory()
    role_give(facilitator, "facilitator", forum)
    client.force_login(facilitator)

    assert client.get(reverse("manage:index", args=[forum.slug])).status_code == 200
    assert client.get(reverse("members:profile")).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("members:my_forum")).status_code == 200


def test_the_secretariat_without_an_authenticator_still_reads_the_public_pages(
    client, settings, secretariat
):
    settings.FORUM_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(secretariat)

    assert client.get(reverse("members:my_forum")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_with_the_requirement_off_the_secretariat_opens_the_back_office(
    client, settings, forum, secretariat
):
    settings.FORUM_REQUIRE_MFA_FOR_STAFF = False
    log_in(client, secretariat)

    assert client.get(reverse("manage:index", args=[forum.slug])).status_code == 200


def test_the_admin_log_in_is_the_portals_and_asks_for_the_code(client, administrator):
    log_in(client, administrator)
    secret = set_up_authenticator(client)
    client.logout()

    admin_login = client.get("/admin/login/?next=/admin/")
    assert admin_login.status_code == 302
    assert admin_login["Location"].startswith(reverse("account_login"))
    # the admin's own password form no longer logs anyone in, code or not
    client.post(
        "/admin/login/?next=/admin/",
        {"username": administrator.email, "password": DEFAULT_PASSWORD},
    )
    assert client.get("/admin/").status_code == 302

    log_in(client, administrator)
    assert client.get("/admin/").status_code == 302  # the code is still missing
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.get("/admin/").status_code == 200
