"""The header a logged-in member sees on every page (unread notices, the links their roles
open, sign-offs awaiting them) is read from the cache after the first page, and is right
on the very next page after anything it shows changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans.services import commitment_transition
from core.notifications.services import notification_send, notifications_mark_read
from events import notices as events_notices
from members.models import StakeholderGroup
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
    role_give,
    seat_give,
)

pytestmark = pytest.mark.django_db

PAGE = "/workshops/"


def _page(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def _header_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        _page(client)
    return [
        q["sql"]
        for q in queries.captured_queries
        if "notifications_notification" in q["sql"] or "members_forumrole" in q["sql"]
    ]


def test_the_header_is_read_once_then_kept(client):
    client.force_login(UserFactory())
    assert _header_queries(client)  # the first page computes it
    assert _header_queries(client) == []  # the next ones read it from the cache


def test_a_new_notice_and_reading_it_show_on_the_next_page(client):
    member = UserFactory()
    client.force_login(member)
    assert "1 unread" not in _page(client)

    notification_send(
        kind=events_notices.EVENT_APPROVED, recipient=member, about=OrganisationFactory()
    )
    assert "1 unread" in _page(client)

    notifications_mark_read(user=member)
    assert "1 unread" not in _page(client)


def test_a_role_given_or_taken_shows_on_the_next_page(client):
    member = UserFactory()
    client.force_login(member)
    assert "Back office" not in _page(client)

    role = role_give(member, "secretariat")
    assert "Back office" in _page(client)

    role.delete()
    assert "Back office" not in _page(client)


def test_a_workshop_to_facilitate_shows_the_moderation_link_on_the_next_page(client):
    member = UserFactory()
    client.force_login(member)
    assert "Moderation" not in _page(client)

    WorkshopFactory().facilitators.add(member)
    assert "Moderation" in _page(client)


def test_a_commitment_put_to_the_forum_shows_its_co_chairs_a_sign_off_at_once(client):
    co_chair = member_of(StakeholderGroup.GOVERNMENT)
    seat_give(co_chair, co_chair=True)
    secretariat = UserFactory()
    role_give(secretariat, "secretariat")
    commitment = CommitmentFactory(status="draft")
    client.force_login(co_chair)
    assert "Sign-offs" not in _page(client)

    commitment_transition(commitment=commitment, to="forum_review", by=secretariat)
    assert "Sign-offs" in _page(client)


def test_the_moderation_link_goes_with_the_last_workshop_facilitated(client):
    member = UserFactory()
    workshop = WorkshopFactory()
    workshop.facilitators.add(member)
    client.force_login(member)
    assert "Moderation" in _page(client)

    workshop.delete()
    assert "Moderation" not in _page(client)
