"""The portal's form renderer (core.form_rendering) draws the same HTML as Django's form
templates: every key page and a few forms sent back with errors are rendered both ways and
compared (with the CSRF tokens, masked afresh for each page, and the spacing between tags
left out)."""

import re

import pytest
from django.test import Client

from members.models import User
from tests.forum.test_valid_html import PAGES, demo  # noqa: F401 -- `demo` is a fixture

pytestmark = pytest.mark.django_db

DJANGO = "core.form_rendering.PortalTemplates"  # Django's templates, the same field hints
OURS = "core.form_rendering.FastFormRenderer"
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')
# Sent back with errors: missing, wrong and out-of-range fields.
INVALID = [
    ("member", "/events/submit/", {"title": "", "starts_at": "not a date"}),
    ("member", "/members/profile/", {"full_name": "", "preferred_language": "xx"}),
    (None, "/accounts/signup/", {"email": "not an address", "password1": "x"}),
    ("secretariat", "/manage/{forum}/workshops/new/", {"title": "", "capacity": "-1"}),
    ("secretariat", "/manage/{forum}/plans/new/", {"title": "", "period_start": "x"}),
]


def _normalised(html: str) -> str:
    html = TOKEN.sub(r'\1-"', html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _client(who):
    client = Client()
    if who:
        client.force_login(User.objects.get(email=f"{who}@demo.example.org"))
    return client


def _both(settings, fetch) -> tuple[str, str]:
    settings.FORM_RENDERER = DJANGO
    theirs = _normalised(fetch().content.decode())
    settings.FORM_RENDERER = OURS
    ours = _normalised(fetch().content.decode())
    return theirs, ours


def test_every_key_page_has_the_forms_django_would_draw(demo, settings):  # noqa: F811
    compared = 0
    for name, who, address in PAGES:
        client = _client(who)
        theirs, ours = _both(settings, lambda: client.get(address(demo)))  # noqa: B023
        assert ours == theirs, name
        compared += "<form" in ours
    assert compared >= 30  # pages that hold a form


def test_forms_sent_back_with_errors_are_drawn_as_django_would(demo, settings):  # noqa: F811
    for who, address, data in INVALID:
        client = _client(who)
        url = address.format(forum=demo.forum.slug)
        theirs, ours = _both(settings, lambda: client.post(url, data))  # noqa: B023
        assert 'class="errorlist' in ours, url
        assert ours == theirs, url
