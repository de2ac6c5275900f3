"""allauth's e-mails and pages around sign-up: in the language chosen at sign-up, signed with
the site's name, with links on SITE_URL in production and on the address serving in
development."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import site
from core.notifications.services import email_message, notification_send
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password-1"  # noqa: S105


def _sign_up(client, language, **extra):
    organisation = OrganisationFactory()
    return client.post(
        reverse("account_signup"),
        {
            "email": "eleni@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Eleni Papadopoulou",
            "organisation": organisation.pk,
            "preferred_language": language,
            "privacy_consent": "on",
        },
        headers={"Accept-Language": "en"},
        follow=True,
        **extra,
    )


def _link(body: str) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", body).group(0)


def test_the_verification_email_is_in_the_language_chosen_at_sign_up(client):
    response = _sign_up(client, "el")

    (message,) = mail.outbox
    with translation.override("el"):
        greeting = translation.gettext("Hello from %(site_name)s!") % {
            "site_name": settings.SITE_NAME
        }
    assert greeting != f"Hello from {settings.SITE_NAME}!"  # the catalogue has it
    assert greeting in message.body
    assert "testserver" not in message.body + message.subject
    assert message.subject.startswith(f"[{settings.SITE_NAME}] ")
    # The page after sign-up, and the next ones, are in Greek too.
    assert '<html lang="el"' in response.content.decode()
    assert '<html lang="el"' in client.get(reverse("account_login")).content.decode()


def test_in_production_links_use_site_url(client, settings):
    settings.SITE_URL = "https://forum.example.org"

    _sign_up(client, "en")

    assert _link(mail.outbox[0].body).startswith("https://forum.example.org/accounts/")


def test_in_development_links_use_the_address_serving(client, settings, monkeypatch):
    monkeypatch.setitem(site._serving, "address", "")  # forgotten after the test
    settings.DEBUG = True
    settings.SITE_URL_FROM_REQUESTS = True
    serving = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8104"}
    settings.ALLOWED_HOSTS = ["127.0.0.1"]

    _sign_up(client, "en", **serving)
    client.get(reverse("home"), **serving)
    member = UserFactory()
    notice = notification_send(
        kind="membership_approved", recipient=member, context={"url": "/members/my-forum/"}
    )

    assert _link(mail.outbox[0].body).startswith("http://127.0.0.1:8104/accounts/")
    assert "http://127.0.0.1:8104/members/my-forum/" in email_message(notice).body


def test_a_password_reset_is_in_the_members_language_with_the_sites_name(client):
    member = UserFactory(preferred_language="pt", email="ana@example.org")
    client.post(
        reverse("account_reset_password"),
        {"email": member.email},
        headers={"Accept-Language": "en"},
    )

    (message,) = mail.outbox
    with translation.override("pt"):
        subject = translation.gettext("Password Reset Email")
    assert subject != "Password Reset Email"
    assert subject in message.subject
    assert settings.SITE_NAME in message.body
    assert "testserver" not in message.body
    assert "http://127.0.0.1:8000/accounts/password/reset/key/" in message.body


def test_the_link_opened_on_another_device_is_in_the_language_chosen_at_sign_up(client):
    _sign_up(client, "uk")
    link = _link(mail.outbox[0].body)
    elsewhere = Client()  # a mail app's browser: no language cookie, an English browser

    page = elsewhere.get(urlsplit(link).path, headers={"Accept-Language": "en"})

    assert page.status_code == 200
    assert '<html lang="uk"' in page.content.decode()
    confirmed = elsewhere.post(urlsplit(link).path, follow=True)
    assert '<html lang="uk"' in confirmed.content.decode()


def test_a_browser_with_its_own_language_keeps_it_on_the_confirmation_page(client):
    _sign_up(client, "uk")
    elsewhere = Client()
    elsewhere.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    page = elsewhere.get(urlsplit(_link(mail.outbox[0].body)).path)

    assert '<html lang="pl"' in page.content.decode()


def test_an_unknown_confirmation_key_shows_allauths_invalid_link_page(client):
    page = client.get("/accounts/confirm-email/not-a-key/")

    assert page.status_code == 200
    assert "expired or is invalid" in page.content.decode()
