"""Forum health is public: a visitor never reads the title or the date of a workshop that is
not published (a draft, a cancelled one), on the page, in its JSON or in the participation
figures; the forum's secretariat still hears, on "My forum" and in its digest, which drafts
must be announced soon."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from health.services import health_digest_send
from members.roles import SECRETARIAT
from tests.factories import (
    ActionPlanFactory,
    CoCreationProcessFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
)

pytestmark = pytest.mark.django_db

DRAFT, CANCELLED = "Secret retreat on the budget", "Called-off hearing on lobbying"


@pytest.fixture
def unpublished():
    """A published meeting held, and two that are not published: a draft forum meeting to
    be announced within the warning period, a cancelled workshop that had seats."""
    process = CoCreationProcessFactory()
    now = timezone.now()
    held = WorkshopFactory(
        process=process, kind="forum_meeting", status="held", starts_at=now - timedelta(days=20)
    )
    RegistrationFactory(workshop=held, attendance="attended")
    draft = WorkshopFactory(
        process=process,
        kind="forum_meeting",
        status="draft",
        title=DRAFT,
        starts_at=now + timedelta(days=20),
    )
    cancelled = WorkshopFactory(
        process=process, status="cancelled", title=CANCELLED, starts_at=now - timedelta(days=5)
    )
    RegistrationFactory(workshop=cancelled)
    plan = ActionPlanFactory(process=process, status="implementation", slug="nap-6")
    return {"draft": draft, "cancelled": cancelled, "plan": plan}


def _addresses(plan):
    forum = default_forum().slug
    return [
        reverse("health:health"),
        reverse("health:health_json"),
        reverse("health:forum_health", args=[forum]),
        reverse("health:forum_health_json", args=[forum]),
        reverse("health:plan_health", args=[plan.slug]),
        reverse("health:forum_plan_health_json", args=[forum, plan.slug]),
        reverse("health:participation"),
        reverse("health:participation_csv"),
        reverse("health:forum_participation", args=[forum]) + f"?scope=plan:{plan.slug}",
        reverse("health:forum_participation_csv", args=[forum]) + f"?scope=plan:{plan.slug}",
    ]


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_a_visitor_never_sees_unpublished_workshops(client, unpublished, who):
    if who == "member":
        client.force_login(UserFactory())
    draft_day = formats.date_format(timezone.localdate(unpublished["draft"].starts_at))

    for address in _addresses(unpublished["plan"]):
        response = client.get(address)
        text = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()

        assert response.status_code == 200, address
        assert DRAFT not in text, address
        assert CANCELLED not in text, address
        assert draft_day not in text, address
        assert str(unpublished["draft"].get_absolute_url()) not in text, address


def test_the_public_report_is_not_at_risk_because_of_a_draft(client, unpublished):
    data = client.get(reverse("health:health_json")).json()

    notice = next(c for c in data["checks"] if c["key"] == "notice_given")
    assert notice["state"] == "met"
    assert notice["warnings"] == []


def test_the_secretariat_is_still_told_which_draft_to_announce(
    client, unpublished, django_capture_on_commit_callbacks
):
    secretariat = UserFactory(roles=[SECRETARIAT], preferred_language="en")
    client.force_login(secretariat)

    my_forum = client.get(reverse("members:my_forum")).content.decode()
    page = client.get(reverse("health:health")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert health_digest_send() == 1

    assert f"Announce {DRAFT}" in my_forum
    back_office = reverse(
        "manage:workshop_manage", args=[default_forum().slug, unpublished["draft"].pk]
    )
    assert f'href="{back_office}"' in my_forum  # where it is published, not the admin
    assert f"Announce {DRAFT}" in page  # its own secretariat, on the report's page
    assert DRAFT in secretariat.notifications.get().body
    # The JSON is open data: the same for everyone, the secretariat included.
    assert DRAFT not in client.get(reverse("health:health_json")).content.decode()
