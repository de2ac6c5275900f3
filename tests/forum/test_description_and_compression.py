"""What a phone and a search engine see: every public page describes itself in a
<meta name="description"> in the page's language, and pages come compressed (gzip) to
browsers that accept it."""

import gzip
import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    OrganisationFactory,
    WorkshopFactory,
)
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# The main public pages, each with a description of its own.
DESCRIBED = [
    ("home", lambda objects: "/"),
    ("workshop list", lambda objects: "/workshops/"),
    ("workshop page", lambda objects: objects["workshop"].get_absolute_url()),
    ("event list", lambda objects: "/events/"),
    ("event page", lambda objects: objects["event"].get_absolute_url()),
    ("action plans", lambda objects: "/action-plans/"),
    ("action plan", lambda objects: objects["commitment"].plan.get_absolute_url()),
    ("commitment page", lambda objects: objects["commitment"].get_absolute_url()),
    ("forum health", lambda objects: "/forum-health/"),
    ("organisations", lambda objects: "/members/organisations/"),
    ("open data", lambda objects: "/open-data/"),
]
# Other public pages: the default description of base.html.
DEFAULT = [
    ("organisation page", lambda objects: objects["organisation"].get_absolute_url()),
    ("forum composition", lambda objects: "/members/composition/"),
    ("forum body", lambda objects: "/members/forum-body/"),
    ("participation", lambda objects: "/forum-health/participation/"),
    ("event map", lambda objects: "/events/map/"),
    ("sign-up", lambda objects: "/accounts/signup/"),
    ("log-in", lambda objects: "/accounts/login/"),
]


@pytest.fixture
def objects():
    return {
        "workshop": WorkshopFactory(
            title="Open data and access to information", description="Which data first?"
        ),
        "event": EventFactory(title="Open budgets in Athens"),
        "commitment": CommitmentFactory(
            plan=ActionPlanFactory(), status="validated", title="Open contracting"
        ),
        "organisation": OrganisationFactory(),
    }


def _description(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    found = DESCRIPTION.findall(response.content.decode())
    assert len(found) == 1, f"{address} has {len(found)} meta descriptions"
    return html.unescape(found[0]).strip()


def _default_description(language: str) -> str:
    with translation.override(language):
        text = gettext(
            "%(site)s: civil society and public bodies co-create the open-government action "
            "plan, meet in workshops and events, and follow every commitment to completion."
        )
    return text % {"site": settings.SITE_NAME}


def test_every_public_page_has_a_description(client, objects):
    default = _default_description("en")
    seen = set()
    for name, address in DESCRIBED:
        description = _description(client, address(objects))
        assert description and description != default, f"{name} has no description of its own"
        assert description not in seen, f"{name} repeats another page's description"
        seen.add(description)
    for name, address in DEFAULT:
        assert _description(client, address(objects)) == default, name


def test_the_description_of_a_detail_page_names_what_it_shows(client, objects):
    workshop = _description(client, objects["workshop"].get_absolute_url())
    assert "Open data and access to information" in workshop and "Which data first?" in workshop
    commitment = _description(client, objects["commitment"].get_absolute_url())
    assert "Open contracting" in commitment


def test_the_description_is_in_the_page_language(objects):
    greek = Client(headers={"accept-language": "el"})
    greek.cookies[settings.LANGUAGE_COOKIE_NAME] = "el"
    english = Client()

    assert _description(greek, "/members/composition/") == _default_description("el")
    assert _default_description("el") != _default_description("en")
    home = _description(greek, "/")
    assert home != _description(english, "/")
    assert re.search("[α-ω]", home), f"the Greek home page describes itself as {home!r}"


def test_pages_come_gzip_compressed_to_browsers_that_accept_it(client, objects):
    address = objects["workshop"].get_absolute_url()
    plain = client.get(address)
    compressed = client.get(address, headers={"accept-encoding": "gzip"})

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    page = gzip.decompress(compressed.content).decode()
    assert len(compressed.content) < len(page) / 2
    # The same page, but for the CSRF token, which Django masks anew in every response:
    # with compression, a token that did not change would be open to BREACH.
    tokens = CSRF_TOKEN.findall(page) + CSRF_TOKEN.findall(plain.content.decode())
    assert len(tokens) >= 2 and len(set(tokens)) == len(tokens)
    assert CSRF_TOKEN.sub("", page) == CSRF_TOKEN.sub("", plain.content.decode())
