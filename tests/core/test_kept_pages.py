"""Pages kept for their visitor until anything is written (core.kept_pages): a kept page is
what the visitor would see computed, is never behind a write (a service, a bulk update, raw
SQL, another connection's commit), is never shown to another visitor, carries the visitor's
own CSRF token and messages, and costs the session and the member only."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocreation import services
from cocreation.models import Workshop
from core.generations import generation_key
from core.kept_pages import CONTENT, TTL
from core.kept_pages import _period as clock_period
from core.notifications.models import Notification
from tests.factories import (
    CommitmentFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_period_of_the_clock(monkeypatch):
    """Kept pages are computed again in each new minute: the tests' requests are in one."""
    monkeypatch.setattr("core.kept_pages._period", lambda: 0)


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def board():
    workshop = WorkshopFactory(title="Open data")
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    participant = RegistrationFactory(workshop=workshop, group="non_government").member
    published = services.contribution_post(
        workshop=workshop, author=participant, kind="idea", title="Budgets", text="As CSV."
    )
    services.contribution_publish(contribution=published, by=facilitator)
    return {
        "workshop": workshop,
        "facilitator": facilitator,
        "participant": participant,
        "url": reverse("cocreation:contribution_board", args=[workshop.pk]),
    }


def _client(member, language="en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(member)
    return client


def _page(client, url) -> str:
    return TOKEN.sub("", client.get(url).content.decode())


def _tables_read(client, url) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return {table for q in queries for table in re.findall(r'FROM "(\w+)"', q["sql"])}


@pytest.mark.parametrize("language", ["en", "el"])
def test_a_kept_page_is_the_page_computed_and_costs_only_the_visitor(board, language):
    plan_commitment = CommitmentFactory(status="included")
    pages = [
        "/",
        "/workshops/",
        board["url"],
        reverse("cocreation:workshop_detail", args=[board["workshop"].pk]),
        plan_commitment.get_absolute_url(),
        f"/action-plans/{plan_commitment.plan.slug}/dashboard/",
        "/events/",
        "/api/v1/workshops/",
        "/api/v1/commitments/",
    ]
    client = _client(board["participant"], language)
    computed = {url: _page(client, url) for url in pages}
    for url in pages:
        # Served kept: the session and the member are read, nothing of the page's own.
        assert _tables_read(client, url) <= {"django_session", "members_user"}, url
    assert {url: _page(client, url) for url in pages} == computed
    settings.KEPT_PAGES = False
    try:
        assert {url: _page(client, url) for url in pages} == computed
    finally:
        settings.KEPT_PAGES = True


def test_every_kind_of_write_shows_on_the_next_visit(board):
    client = _client(board["participant"])
    workshop = board["workshop"]
    assert "Budgets" in _page(client, board["url"])

    tenders = services.contribution_post(  # services
        workshop=workshop, author=board["participant"], kind="idea", title="Tenders", text="."
    )
    services.contribution_publish(contribution=tenders, by=board["facilitator"])
    assert "Tenders" in _page(client, board["url"])

    Workshop.objects.filter(pk=workshop.pk).update(title="Open data, part two")  # in bulk
    assert "Open data, part two" in _page(client, board["url"])

    with connection.cursor() as cursor:  # raw SQL
        cursor.execute(
            "UPDATE cocreation_workshop SET title = %s WHERE id = %s",
            ["Open spending", workshop.pk],
        )
    assert "Open spending" in _page(client, board["url"])


@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_connection_shows_on_the_next_visit():
    workshop = WorkshopFactory(title="Open data")
    client = _client(UserFactory())
    assert "Open data" in _page(client, "/workshops/")
    kept = cache.get(generation_key(CONTENT))
    Workshop.objects.filter(pk=workshop.pk).update(title="Open contracting")  # autocommit
    assert cache.get(generation_key(CONTENT)) != kept
    assert "Open contracting" in _page(client, "/workshops/")


@pytest.mark.django_db(transaction=True)
def test_what_no_page_shows_leaves_kept_pages_kept():
    member = UserFactory()
    client = _client(member)  # a session written
    _page(client, "/workshops/")
    kept = cache.get(generation_key(CONTENT))
    Client().get("/workshops/")
    Notification.objects.create(
        recipient=member, kind="test", dedup_key="t", language="en", subject="A", body="B"
    )
    Notification.objects.filter(recipient=member).update(read_at=timezone.now())
    client.get("/workshops/")
    assert cache.get(generation_key(CONTENT)) == kept  # sessions and notices: no page shows
    _client(member)  # the member's last log-in: their row, which pages show
    assert cache.get(generation_key(CONTENT)) != kept


def test_in_a_transaction_the_connection_that_wrote_sees_its_writes(board):
    """A test's transaction never commits: the pages its requests are served follow its
    own writes, each one."""
    client = _client(board["participant"])
    for title in ("Open data", "Open data, part two", "Open data, part three"):
        Workshop.objects.filter(pk=board["workshop"].pk).update(title=title)
        assert title in _page(client, board["url"])
        assert _tables_read(client, board["url"]) <= {"django_session", "members_user"}


def test_a_kept_page_is_never_shown_to_another_visitor(board):
    services.contribution_post(
        workshop=board["workshop"],
        author=board["participant"],
        kind="idea",
        title="Unseen",
        text=".",
    )
    # A facilitator sees the contribution waiting to be published; kept, their board is
    # still theirs alone.
    assert "Unseen" in _page(_client(board["facilitator"]), board["url"])
    assert "Unseen" in _page(_client(board["facilitator"]), board["url"])
    assert "Unseen" not in _page(_client(board["participant"]), board["url"])
    assert "Unseen" not in _page(Client(), board["url"])  # nor an anonymous visitor


def test_the_kept_forms_carry_the_visitors_own_token(board):
    client = Client(enforce_csrf_checks=True)
    client.force_login(board["participant"])
    client.get(board["url"])
    html = client.get(board["url"]).content.decode()  # served kept
    tokens = set(TOKEN.findall(html))
    assert tokens and not any(token.startswith("csrf-") for token in tokens)
    response = client.post(
        reverse("cocreation:contribution_post", args=[board["workshop"].pk]),
        {
            "csrfmiddlewaretoken": tokens.pop(),
            "kind": "idea",
            "title": "Open budgets",
            "text": "Monthly.",
        },
    )
    assert response.status_code == 302  # the token was accepted
    # The message after the post is shown once, on the page that follows.
    page = client.get(board["url"]).content.decode()
    assert "Thank you. Your contribution appears" in page
    assert "Thank you. Your contribution appears" not in client.get(board["url"]).content.decode()


def test_the_board_refreshing_itself_gets_its_list_not_the_kept_page(board):
    client = _client(board["facilitator"])
    full = client.get(board["url"]).content.decode()
    part = client.get(board["url"], headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in part and "Budgets" in part


def test_a_page_is_computed_again_in_each_new_period_of_the_clock(board, monkeypatch):
    client = _client(board["participant"])
    client.get("/workshops/")
    assert _tables_read(client, "/workshops/") <= {"django_session", "members_user"}
    monkeypatch.setattr("core.kept_pages._period", lambda: 1)
    assert "cocreation_workshop" in _tables_read(client, "/workshops/")

    now = timezone.now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    period = clock_period()
    monkeypatch.setattr("django.utils.timezone.now", lambda: now + timedelta(seconds=TTL))
    assert clock_period() == period + 1


def test_with_the_cache_down_every_page_is_computed(board, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client = _client(board["participant"])
    assert "Budgets" in _page(client, board["url"])
    assert "cocreation_contribution" in _tables_read(client, board["url"])


def test_the_api_throttle_still_counts_kept_answers(board, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute"},
    }
    client = _client(board["participant"])
    answers = [client.get("/api/v1/workshops/").status_code for _ in range(5)]
    assert answers[:3] == [200, 200, 200] and 429 in answers[3:]


def test_a_member_whose_rights_change_sees_it_at_once(board):
    member = UserFactory()
    client = _client(member)
    check_in = reverse("cocreation:check_in", args=[board["workshop"].pk])
    assert check_in not in _page(client, board["url"])
    board["workshop"].facilitators.add(member)  # a many-to-many write: now a moderator
    assert check_in in _page(client, board["url"])
