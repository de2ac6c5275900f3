"""The contribution board keeps each row's HTML in the cache under a fingerprint of what it
shows (cocreation/board.py): after every kind of change, the board a facilitator and a
participant see is the same, byte for byte, as the board rendered without any cache, and
the second view of an unchanged board renders no row again."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cocreation import board, services
from core.fingerprints import csrf_placeholder
from members.services import member_profile_update
from tests.factories import RegistrationFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def board_of():
    workshop = WorkshopFactory(title="Open data")
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    participant = RegistrationFactory(workshop=workshop, group="non_government").member
    first = services.contribution_post(
        workshop=workshop, author=participant, kind="idea", title="Budgets", text="As CSV."
    )
    second = services.contribution_post(
        workshop=workshop, author=facilitator, kind="challenge", title="Tenders", text="Late."
    )
    for contribution in (first, second):
        services.contribution_publish(contribution=contribution, by=facilitator)
    return {
        "workshop": workshop,
        "facilitator": facilitator,
        "participant": participant,
        "first": first,
        "second": second,
    }


def _board(client, who, workshop) -> str:
    """The board `who` sees, in `client`, which logs `who` in once: a log-in changes the
    member's loaded state (their last log-in), and so their contributions' fingerprints."""
    if client.session.get("_auth_user_id") != str(who.pk):
        client.force_login(who)
    html = client.get(reverse("cocreation:contribution_board", args=[workshop.pk])).content
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', html.decode())


def _same_as_uncached(clients, board_of):
    """Each viewer's board, from the cache (after the change), equals a fresh rendering."""
    for who, client in clients.items():
        kept = _board(client, board_of[who], board_of["workshop"])
        cache.clear()
        fresh = _board(client, board_of[who], board_of["workshop"])
        assert kept == fresh, who


CHANGES = {
    "supported": lambda b: services.contribution_support(
        contribution=b["first"], member=b["participant"]
    ),
    "commented": lambda b: services.contribution_comment(
        contribution=b["first"], author=b["participant"], text="Agreed, and monthly."
    ),
    "reported": lambda b: services.contribution_report(
        contribution=b["second"], reporter=b["participant"], reason="Off topic"
    ),
    "tagged": lambda b: services.contribution_tag(
        contribution=b["first"], names=["budget", "csv"], by=b["facilitator"]
    ),
    "answered": lambda b: services.contribution_respond(
        contribution=b["first"],
        disposition="taken_into_commitment",
        explanation="It becomes commitment 3.",
        by=b["facilitator"],
    ),
    "hidden": lambda b: services.contribution_hide(
        contribution=b["second"], reason="Spam", by=b["facilitator"]
    ),
    "merged": lambda b: services.contribution_merge(
        duplicate=b["second"], into=b["first"], by=b["facilitator"]
    ),
    "author renamed": lambda b: member_profile_update(
        member=b["participant"],
        full_name="Olena K.",
        organisation=b["participant"].organisation,
        position=b["participant"].position,
        preferred_language=b["participant"].preferred_language,
    ),
    "new contribution": lambda b: services.contribution_publish(
        contribution=services.contribution_post(
            workshop=b["workshop"], author=b["participant"], kind="idea", title="More", text="."
        ),
        by=b["facilitator"],
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_after_each_change_the_board_is_what_a_fresh_rendering_shows(board_of, change):
    clients = {"facilitator": Client(), "participant": Client()}
    for who, client in clients.items():  # both logged in before anything is kept
        client.force_login(board_of[who])
    for who, client in clients.items():  # the rows are kept for both
        _board(client, board_of[who], board_of["workshop"])
    CHANGES[change](board_of)
    _same_as_uncached(clients, board_of)


def test_an_unchanged_board_renders_no_row_again(client, board_of, monkeypatch):
    _board(client, board_of["participant"], board_of["workshop"])
    rendered = []
    real = board.render_to_string
    monkeypatch.setattr(
        board, "render_to_string", lambda *a, **k: rendered.append(1) or real(*a, **k)
    )
    page = _board(client, board_of["participant"], board_of["workshop"])
    assert rendered == [] and "Budgets" in page and "Tenders" in page
    # a supporter's own view differs from another member's: its row is its own
    services.contribution_support(contribution=board_of["first"], member=board_of["participant"])
    _board(client, board_of["participant"], board_of["workshop"])
    assert len(rendered) == 1


def test_the_kept_rows_carry_the_visitors_own_csrf_token(board_of):
    _board(Client(), board_of["facilitator"], board_of["workshop"])  # kept by another visitor
    client = Client(enforce_csrf_checks=True)
    client.force_login(board_of["participant"])
    page = client.get(reverse("cocreation:contribution_board", args=[board_of["workshop"].pk]))
    html = page.content.decode()
    assert csrf_placeholder() not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    support = reverse(
        "cocreation:contribution_action",
        args=[board_of["workshop"].pk, board_of["first"].pk, "support"],
    )
    assert client.post(support, {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert client.post(support, {"csrfmiddlewaretoken": tokens[0]}).status_code == 302


def test_a_contribution_cannot_ask_for_the_readers_csrf_token(board_of):
    """Text that looks like a placeholder stays text: the real one depends on SECRET_KEY."""
    services.contribution_comment(
        contribution=board_of["first"],
        author=board_of["participant"],
        text="See https://evil.example/?t=csrf-token-placeholder-4b1d",
    )
    client = Client()
    client.force_login(board_of["facilitator"])
    html = client.get(
        reverse("cocreation:contribution_board", args=[board_of["workshop"].pk])
    ).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert "?t=csrf-token-placeholder-4b1d" in html
    assert not any(f"?t={token}" in html for token in tokens)
