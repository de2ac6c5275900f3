"""A contribution taken into a draft commitment: its public reasoned response says so without
naming the draft (no title, no number) until the commitment is public, then links it; the
response is written in the workshop's language, whoever links it in whichever language,
goes through co-creation's reasoned-response service (audited) and its author is told."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from actionplans import services
from actionplans.models import Commitment
from cocreation.models import ReasonedResponse
from cocreation.services import contribution_post, contribution_publish
from core.audit.models import AuditEntry
from core.notifications.models import Notification
from tests.factories import ActionPlanFactory, RegistrationFactory, UserFactory, WorkshopFactory
from tests.factories.health import ContributionFactory

pytestmark = pytest.mark.django_db

MIGRATION = import_module("actionplans.migrations.0004_responses_name_no_draft")
TITLE = "Beneficial ownership register for public contracts"


@pytest.fixture
def idea(secretariat):
    workshop = WorkshopFactory(language="en")
    author = RegistrationFactory(workshop=workshop).member
    author.preferred_language = "en"
    author.save(update_fields=["preferred_language"])
    contribution = contribution_post(
        workshop=workshop, author=author, kind="idea", title="Who owns the contractors?", text="."
    )
    contribution_publish(contribution=contribution, by=secretariat)
    ActionPlanFactory(process=workshop.process, title="Fifth plan", slug="nap-5", language="en")
    return contribution


def _public_pages(idea):
    return [
        reverse("cocreation:contribution_board", args=[idea.workshop_id]),
        reverse("actionplans:register", args=["nap-5"]),
        reverse("actionplans:register_csv", args=["nap-5"]),
        reverse("open_data_workshops_csv"),
        reverse("open_data_workshops_json"),
        reverse("open_data_file", args=["contributions.json"]),
        "/api/v1/contributions/",
        f"/api/v1/contributions/{idea.pk}/",
    ]


def _read(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def test_the_public_response_names_a_draft_commitment_only_once_it_is_public(
    client, secretariat, idea
):
    commitment = services.commitment_create(
        plan=idea.workshop.process.action_plans.get(),
        title=TITLE,
        contributions=[idea],
        by=secretariat,
    )

    response = ReasonedResponse.objects.get(contribution=idea)
    assert response.disposition == "taken_into_commitment"
    assert response.explanation == (
        "Taken into a commitment of Fifth plan; it is named here once it is public."
    )
    for address in _public_pages(idea):
        page = _read(client, address)
        assert TITLE not in page, address
        assert commitment.get_absolute_url() not in page, address

    Commitment.objects.filter(pk=commitment.pk).update(status="forum_review")
    board = _read(client, reverse("cocreation:contribution_board", args=[idea.workshop_id]))
    register = _read(client, reverse("actionplans:register", args=["nap-5"]))
    assert TITLE in board and commitment.get_absolute_url() in board
    assert TITLE in register


def test_the_response_is_written_in_the_workshop_s_language_not_the_linker_s(client, idea):
    secretariat = UserFactory(roles=["secretariat"], preferred_language="el")
    client.force_login(secretariat)

    response = client.post(
        reverse("actionplans:commitment_create", args=["nap-5"]),
        {"title": TITLE, "contributions": [idea.pk]},
        HTTP_ACCEPT_LANGUAGE="el",
    )

    assert response.status_code == 302
    explanation = ReasonedResponse.objects.get(contribution=idea).explanation
    assert explanation.startswith("Taken into a commitment of Fifth plan")


def test_linking_contributions_later_answers_them_and_tells_each_author(
    client, secretariat, idea, django_capture_on_commit_callbacks
):
    plan = idea.workshop.process.action_plans.get()
    commitment = services.commitment_create(plan=plan, title=TITLE, by=secretariat)
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actionplans:commitment_contributions", args=["nap-5", commitment.number]),
            {"contributions": [idea.pk]},
        )

    assert response.status_code == 302
    assert list(commitment.contributions.all()) == [idea]
    assert ReasonedResponse.objects.get(contribution=idea).disposition == "taken_into_commitment"
    entry = AuditEntry.objects.get(action="contribution.responded", about_id=str(idea.pk))
    assert entry.actor == secretariat
    told = Notification.objects.get(recipient=idea.author, kind="contribution_responded")
    assert "Taken into a commitment of Fifth plan" in told.body
    assert TITLE not in told.body
    assert [m.to for m in mail.outbox] == [[idea.author.email]]


def test_a_co_drafter_who_may_not_answer_contributions_is_told_so_and_nothing_changes(
    client, idea, drafters
):
    plan = idea.workshop.process.action_plans.get()
    commitment = services.commitment_create(
        plan=plan, title=TITLE, co_drafters=drafters, by=UserFactory(roles=["secretariat"])
    )
    client.force_login(drafters[0])

    response = client.post(
        reverse("actionplans:commitment_contributions", args=["nap-5", commitment.number]),
        {"contributions": [idea.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "secretariat" in response.content.decode()
    assert not commitment.contributions.exists()
    assert not ReasonedResponse.objects.filter(contribution=idea).exists()


def test_responses_written_before_no_longer_name_a_draft(secretariat, idea):
    """The migration rewrites what the portal wrote (the draft's number and title); a
    response a facilitator wrote, or one about a public commitment, stays."""
    plan = idea.workshop.process.action_plans.get()
    draft = services.commitment_create(plan=plan, title=TITLE, by=secretariat)
    draft.contributions.add(idea)
    ReasonedResponse.objects.filter(contribution=idea).delete()
    old = ReasonedResponse.objects.create(
        contribution=idea,
        disposition="taken_into_commitment",
        explanation=f"Taken into commitment {draft.number} of Fifth plan: {TITLE}.",
    )
    public = services.commitment_create(plan=plan, title="Open budgets", by=secretariat)
    Commitment.objects.filter(pk=public.pk).update(status="validated")
    other = ContributionFactory(workshop=idea.workshop)
    public.contributions.add(other)
    kept = f"Taken into commitment {public.number} of Fifth plan: Open budgets."
    ReasonedResponse.objects.create(
        contribution=other, disposition="taken_into_commitment", explanation=kept
    )

    MIGRATION.forwards(apps, None)

    old.refresh_from_db()
    assert old.explanation == (
        "Taken into a commitment of Fifth plan; it is named here once it is public."
    )
    assert ReasonedResponse.objects.get(contribution=other).explanation == kept
