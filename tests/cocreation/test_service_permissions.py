"""Each service checks who may act, whoever calls it (a page, the API, a command, a task):
a refusal is core.errors.NotAllowed, which the pages and the API answer with 403."""

import pytest

from cocreation import services
from core.errors import NotAllowed
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    workshop = WorkshopFactory()
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
    for refused in (board["participant"], member_of("government"), None):
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
