"""A form sent twice (a double click, a page reloaded after a POST) e-mails once."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from cocreation import services
from cocreation.models import Contribution
from core.notifications.models import Notification
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
    role_give,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    workshop = WorkshopFactory(title="Open data")
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    author = RegistrationFactory(workshop=workshop, group="non_government").member
    contribution = services.contribution_post(
        workshop=workshop, author=author, kind="idea", title="Budgets", text="As CSV."
    )
    services.contribution_publish(contribution=contribution, by=facilitator)
    return {"facilitator": facilitator, "author": author, "contribution": contribution}


def _action(client, contribution, name, data):
    url = reverse(
        "cocreation:contribution_action", args=[contribution.workshop_id, contribution.pk, name]
    )
    return client.post(url, data)


def _mails_to(member):
    return [message for message in mail.outbox if message.to == [member.email]]


def test_a_reasoned_response_sent_twice_reaches_the_author_once(
    client, board, django_capture_on_commit_callbacks
):
    client.force_login(board["facilitator"])
    response = {"disposition": "not_taken_forward", "explanation": "Out of the plan's scope."}

    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            assert _action(client, board["contribution"], "respond", response).status_code == 302

    (message,) = _mails_to(board["author"])
    assert "Out of the plan's scope." in message.body
    with django_capture_on_commit_callbacks(execute=True):
        _action(
            client,
            board["contribution"],
            "respond",
            {"disposition": "under_consideration", "explanation": "We look again."},
        )
    assert len(_mails_to(board["author"])) == 2  # a revised response is told again


def test_hiding_twice_tells_the_author_once(client, board, django_capture_on_commit_callbacks):
    client.force_login(board["facilitator"])

    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            _action(client, board["contribution"], "hide", {"reason": "Personal attack"})

    assert len(_mails_to(board["author"])) == 1
    assert Notification.objects.filter(kind="contribution_hidden").count() == 1


def test_a_message_to_registrants_sent_twice_goes_once(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    forum = ForumFactory(slug="pancevo")
    secretariat = UserFactory()
    role_give(secretariat, "secretariat", forum)
    workshop = WorkshopFactory(process=CoCreationProcessFactory(forum=forum))
    seated = RegistrationFactory(workshop=workshop, group="government").member
    client.force_login(secretariat)
    url = reverse("manage:registrants_message", args=[forum.slug, workshop.pk])
    message = {"audience": "all", "subject": "Room change", "text": "We meet in room 4."}

    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            response = client.post(url, message, follow=True)
            assert "on its way to 1 people" in response.content.decode()

    assert len(_mails_to(seated)) == 1
    # The same words later are a message repeated on purpose: they go again.
    monkeypatch.setattr(services, "REPEATED_MESSAGE_WINDOW", timedelta(0))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, message)
    assert len(_mails_to(seated)) == 2


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_response_sent_at_the_same_moment_tells_the_author_once():
    workshop = WorkshopFactory()
    facilitator = member_of("non_government")
    workshop.facilitators.add(facilitator)
    author = RegistrationFactory(workshop=workshop, group="non_government").member
    contribution = services.contribution_post(
        workshop=workshop, author=author, kind="idea", title="Budgets", text="As CSV."
    )
    services.contribution_publish(contribution=contribution, by=facilitator)
    clicks = 8
    start = threading.Barrier(clicks)
    errors = []

    def click(_n):
        try:
            start.wait(timeout=30)
            services.contribution_respond(
                contribution=Contribution.objects.get(pk=contribution.pk),
                disposition="not_taken_forward",
                explanation="Out of the plan's scope.",
                by=facilitator,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=clicks) as pool:
        list(pool.map(click, range(clicks)))

    assert errors == []
    assert Notification.objects.filter(kind="contribution_responded").count() == 1


def test_the_same_move_sent_twice_tells_registrants_once(django_capture_on_commit_callbacks):
    workshop = WorkshopFactory()
    secretariat = UserFactory(roles=["secretariat"])
    seated = RegistrationFactory(workshop=workshop, group="government").member
    later = {
        "starts_at": workshop.starts_at + timedelta(days=1),
        "ends_at": workshop.ends_at + timedelta(days=1),
        "venue": "Room 4",
    }

    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            services.workshop_reschedule(workshop=workshop, by=secretariat, **later)

    assert len(_mails_to(seated)) == 1
    workshop.refresh_from_db()
    assert (workshop.sequence, workshop.venue) == (1, "Room 4")
