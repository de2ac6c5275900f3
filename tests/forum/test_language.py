"""Which language a page speaks: the switcher's cookie, then the member's preference, then the
browser, then the default (core/i18n.py); and everything in the interface follows it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core import mail
from django.utils import translation

from core.timezones import time_label
from members.services import membership_approve
from tests.factories import OrganisationFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
# Portuguese writes months in lower case; the portal's catalogue says so once the lead has
# translated the months of forum/catalogue_overrides.py (msgctxt "alt. month").
# A word of each language's interface, as the main navigation shows "Co-creation".
CO_CREATION = {
    "en": "Co-creation",
    "el": "Συνδημιουργία",
    "uk": "Співтворення",
    "sr": "Заједничко креирање",
    "pt": "Cocriação",
    "pl": "Współtworzenie",
}


def _page_language(response) -> str:
    html = response.content.decode()
    for code, word in CO_CREATION.items():
        if f'<html lang="{code}"' in html:
            assert word in html, f"the page says lang={code} but does not show {word!r}"
            return code
    raise AssertionError("no <html lang> of the portal's languages")


@pytest.mark.parametrize("language", list(CO_CREATION))
def test_the_browser_language_is_used_for_a_visitor(client, language):
    response = client.get("/", headers={"accept-language": f"{language},en;q=0.5"})

    assert _page_language(response) == language
    assert response.headers["Content-Language"] == language


def test_a_language_the_portal_lacks_falls_back_to_english(client):
    response = client.get("/", headers={"accept-language": "fi"})

    assert _page_language(response) == "en"


def test_the_switcher_cookie_wins_over_the_browser(client):
    client.cookies[COOKIE] = "sr"

    response = client.get("/", headers={"accept-language": "pl"})

    assert _page_language(response) == "sr"


def test_a_member_sees_their_preferred_language_whatever_the_browser(client):
    client.force_login(UserFactory(preferred_language="el"))

    response = client.get("/workshops/", headers={"accept-language": "en"})

    assert _page_language(response) == "el"


def test_the_switcher_cookie_wins_over_a_members_preference(client):
    client.force_login(UserFactory(preferred_language="el"))
    client.cookies[COOKIE] = "uk"

    assert _page_language(client.get("/")) == "uk"


def test_the_switcher_keeps_a_visitors_choice_in_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "pt", "next": "/workshops/"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/workshops/"
    assert response.cookies[COOKIE].value == "pt"
    assert response.cookies[COOKIE]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert _page_language(client.get("/workshops/")) == "pt"


def test_the_switcher_stores_a_members_choice_as_their_preference(client):
    member = UserFactory(preferred_language="en")
    client.force_login(member)

    client.post("/i18n/setlang/", {"language": "uk", "next": "/"})

    member.refresh_from_db()
    assert member.preferred_language == "uk"
    client.cookies.clear()  # another device: the preference alone decides
    client.force_login(member)
    assert _page_language(client.get("/")) == "uk"


def test_the_switcher_refuses_a_language_the_portal_lacks(client):
    member = UserFactory(preferred_language="pl")
    client.force_login(member)

    client.post("/i18n/setlang/", {"language": "fi", "next": "/"})

    member.refresh_from_db()
    assert member.preferred_language == "pl"


def test_changing_the_language_in_the_profile_changes_the_pages_at_once(client):
    member = UserFactory(preferred_language="en")
    client.force_login(member)
    client.cookies[COOKIE] = "en"  # chosen earlier with the switcher

    response = client.post(
        "/members/profile/",
        {
            "full_name": member.full_name,
            "organisation": member.organisation_id,
            "position": "",
            "preferred_language": "pl",
        },
        follow=True,
    )

    assert _page_language(response) == "pl"
    assert "Twój profil został zapisany." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Dec. 4, 2026, 4 p.m. EET"),
        ("el", "04/12/2026 16:00 EET"),
        ("uk", "04 грудня 2026 р. 16:00 EET"),
        ("sr", "4. децембар 2026. 16:00 EET"),
        ("pt", "4 de dezembro de 2026 às 16:00 EET"),
        ("pl", "4 grudnia 2026 16:00 EET"),
    ],
)
def test_workshop_times_follow_the_language(language, expected):
    workshop = WorkshopFactory(time_zone="Europe/Athens")
    moment = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Europe/Athens"))

    assert time_label(moment, workshop.zone, language) == expected


def test_numbers_follow_the_language():
    with translation.override("en"):
        assert intcomma(12345) == "12,345"
    with translation.override("el"):
        assert intcomma(12345) == "12.345"


def test_an_email_is_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    member = UserFactory(membership_status="pending", preferred_language="uk")

    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(member=member, by=UserFactory(roles=["secretariat"]))

    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "схвалено" in message.subject
    assert "Секретаріат схвалив ваше членство" in message.body


@pytest.mark.parametrize("language", list(CO_CREATION))
def test_the_key_pages_render_in_every_language(client, language):
    """A translation that breaks a template (a wrong placeholder) shows here as an error."""

    workshop = WorkshopFactory()
    organisation = OrganisationFactory()
    member = UserFactory(roles=["secretariat"], preferred_language=language)
    pages = [
        "/",
        "/workshops/",
        workshop.get_absolute_url(),
        "/members/",
        "/members/organisations/",
        f"/members/organisations/{organisation.pk}/",
        "/members/composition/",
        "/members/forum-body/",
        "/members/privacy/",
        "/accounts/login/",
        "/accounts/signup/",
        "/action-plans/",
        "/events/",
    ]
    member_pages = [
        "/members/my-forum/",
        "/members/profile/",
        "/members/queue/",
        "/notifications/",
        "/workshops/moderation/",
    ]
    client.cookies[COOKIE] = language
    for url in pages:
        assert _page_language(client.get(url)) == language, url
    client.force_login(member)
    for url in member_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _page_language(response) == language, url
