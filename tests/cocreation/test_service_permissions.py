"""Each service checks who may act, whoever calls it (a page, the API, a command, a task):
a refusal is core.errors.NotAllowed, which the pages and the API answer with 403."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cocreation import services
from core.errors import NotAllowed
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
    workshop = WorkshopFactory(check_in_opens_hours_before=24 * 8)  # check-in is open
    facilitator = member_of("government")
    workshop.facilitators.add(facilitator)
    participant = RegistrationFactory(workshop=workshop).member
    idea = services.contribution_post(
        workshop=workshop, author=participant, kind="idea", title="Open budgets", text="CSV."
    )
    return {
        "workshop": workshop,
        "facilitator": facilitator,
        "participant": participant,
        "idea": idea,
    }


@pytest.mark.parametrize(
    "act",
    [
        lambda b, by: services.contribution_publish(contribution=b["idea"], by=by),
        lambda b, by: services.contribution_hide(contribution=b["idea"], reason="Spam", by=by),
        lambda b, by: services.contribution_tag(contribution=b["idea"], names=["x"], by=by),
        lambda b, by: services.contribution_respond(
            contribution=b["idea"], disposition="accepted", explanation="Yes.", by=by
        ),
        lambda b, by: services.minutes_save(workshop=b["workshop"], text="x", publish=True, by=by),
        lambda b, by: services.walk_in_add(workshop=b["workshop"], member=UserFactory(), by=by),
    ],
    ids=["publish", "hide", "tag", "respond", "minutes", "walk-in"],
)
def test_only_the_workshops_facilitators_and_the_secretariat_run_its_session(board, act):
    other_forums_secretariat = UserFactory()
    role_give(other_forums_secretariat, "secretariat", ForumFactory())
    for refused in (
        board["participant"],
        member_of("government"),
        None,
        other_forums_secretariat,
    ):
        with pytest.raises(NotAllowed):
            act(board, refused)

    act(board, board["facilitator"])  # allowed: no refusal
    act(board, UserFactory(roles=["secretariat"]))


def test_only_participants_post_and_the_refusal_says_why(board):
    with pytest.raises(NotAllowed, match="Only participants of this workshop"):
        services.contribution_post(
            workshop=board["workshop"],
            author=member_of("government"),
            kind="idea",
            title="x",
            text="y",
        )


def test_a_pending_member_cannot_support_comment_or_report(board):
    pending = UserFactory(membership_status="pending")
    for act in (
        lambda: services.contribution_support(contribution=board["idea"], member=pending),
        lambda: services.contribution_comment(
            contribution=board["idea"], author=pending, text="+1"
        ),
        lambda: services.contribution_report(
            contribution=board["idea"], reporter=pending, reason="x"
        ),
    ):
        with pytest.raises(NotAllowed):
            act()


def test_a_forums_secretariat_creates_workshops_only_in_its_own_forum():
    city = ForumFactory()
    city_secretariat = UserFactory()
    role_give(city_secretariat, "secretariat", city)
    national_secretariat = UserFactory(roles=["secretariat"])
    fields = {
        "process": CoCreationProcessFactory(forum=city),
        "title": "Budget walk",
        "time_zone": "Europe/Belgrade",
        "starts_at": timezone.now() + timedelta(days=10),
        "ends_at": timezone.now() + timedelta(days=10, hours=2),
        "capacity": 4,
        "government_quota": 2,
        "non_government_quota": 2,
    }

    with pytest.raises(NotAllowed):
        services.workshop_create(forum=city, fields=fields, by=national_secretariat)
    with pytest.raises(NotAllowed):
        services.process_create(forum=city, title="Not ours", by=national_secretariat)

    workshop = services.workshop_create(forum=city, fields=fields, by=city_secretariat)
    assert workshop.process.forum == city
