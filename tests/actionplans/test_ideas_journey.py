""" "What became of my idea" (issue #23, item 1): a member's contributions with their reasoned
responses, the commitments they fed, those commitments' status and milestones; each step told
to the contributor in their language unless they turned it off; the commitment's page says
where it came from; open data links contribution -> commitment -> milestone."""

import csv
import io
import json

import pytest
from django.core import mail
from django.urls import reverse

from actionplans import services
from actionplans.models import ConsultationComment
from cocreation.models import Contribution
from core.notifications.models import EmailStatus, Notification, NotificationRhythm
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    UserFactory,
    WorkshopFactory,
    member_of,
)
from tests.factories.health import ContributionFactory, ReasonedResponseFactory

pytestmark = pytest.mark.django_db

STEPS = ["idea_commitment_validated", "idea_commitment_included", "idea_milestone_completed"]


@pytest.fixture
def author(db):
    return member_of("non_government", full_name="Olena Kovalenko", preferred_language="uk")


@pytest.fixture
def idea(author):
    workshop = WorkshopFactory(title="Open data and access to information", language="en")
    return ContributionFactory(
        workshop=workshop, author=author, title="Publish municipal budgets as open data"
    )


@pytest.fixture
def plan(idea):
    return ActionPlanFactory(process=idea.workshop.process, title="Fifth plan", slug="nap-5")


def _to_the_plan(commitment, secretariat, gov_chair, ngo_chair):
    services.commitment_transition(commitment=commitment, to="forum_review", by=secretariat)
    services.commitment_sign_off(commitment=commitment, by=gov_chair)
    services.commitment_sign_off(commitment=commitment, by=ngo_chair)
    services.commitment_transition(commitment=commitment, to="included", by=secretariat)


def _complete(milestone, by):
    return services.milestone_progress_update(
        milestone=milestone, data={"completion": "complete"}, by=by
    )


def _kinds(member) -> list[str]:
    return list(
        Notification.objects.filter(recipient=member)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def test_each_step_tells_the_contributor_once_in_their_language(
    author, idea, plan, secretariat, gov_chair, ngo_chair, django_capture_on_commit_callbacks
):
    second = ContributionFactory(workshop=idea.workshop, author=author, title="A second idea")
    with django_capture_on_commit_callbacks(execute=True):
        commitment = services.commitment_create(
            plan=plan, title="Open budget data", contributions=[idea, second], by=secretariat
        )
        first, last = (
            MilestoneFactory(commitment=commitment, activity="Publish the budget data set"),
            MilestoneFactory(commitment=commitment, activity="Evaluate with the forum"),
        )
        _to_the_plan(commitment, secretariat, gov_chair, ngo_chair)
        _complete(first, secretariat)

    # One reasoned response per contribution, then one notice per step (not per idea).
    assert _kinds(author) == ["contribution_responded", "contribution_responded", *STEPS]
    told = {n.kind: n for n in Notification.objects.filter(recipient=author)}
    for kind in STEPS:
        assert told[kind].language == "uk"
    # The disposition is in the author's language, not the secretariat's page's.
    assert "Враховано в зобов'язанні" in told["contribution_responded"].body
    assert "Open budget data" in told["idea_commitment_included"].body
    assert "Publish municipal budgets as open data" in told["idea_commitment_validated"].body
    assert "A second idea" in told["idea_commitment_validated"].body
    assert "/action-plans/my-ideas/" in told["idea_milestone_completed"].body
    assert "Виконано 1 з його 2 етапів." in told["idea_milestone_completed"].body  # in Ukrainian
    assert told["idea_milestone_completed"].url == f"{commitment.get_absolute_url()}#m{first.pk}"
    subjects = [m.subject for m in mail.outbox if m.to == [author.email]]
    assert len(subjects) == 5
    assert any("Open budget data" in s for s in subjects)

    # The same steps again (taken out of the plan and back, a milestone reopened and
    # completed again) tell nobody twice; the next milestone is a new step.
    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_transition(commitment=commitment, to="validated", by=secretariat)
        services.commitment_transition(commitment=commitment, to="included", by=secretariat)
        services.milestone_progress_update(
            milestone=first, data={"completion": "substantial"}, by=secretariat
        )
        _complete(first, secretariat)
        _complete(last, secretariat)
    assert _kinds(author).count("idea_commitment_included") == 1
    assert _kinds(author).count("idea_milestone_completed") == 2
    assert len([m for m in mail.outbox if m.to == [author.email]]) == 6


def test_a_step_turned_off_shows_on_the_site_but_sends_no_e_mail(
    author, idea, plan, secretariat, gov_chair, ngo_chair, django_capture_on_commit_callbacks
):
    NotificationRhythm.objects.create(user=author, kind="idea_commitment_included")
    with django_capture_on_commit_callbacks(execute=True):
        commitment = services.commitment_create(
            plan=plan, title="Open budget data", contributions=[idea], by=secretariat
        )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _to_the_plan(commitment, secretariat, gov_chair, ngo_chair)

    included = Notification.objects.get(recipient=author, kind="idea_commitment_included")
    assert included.email_status == EmailStatus.NOT_WANTED
    sent = [m.extra_headers["X-Forum-Notification"] for m in mail.outbox if m.to == [author.email]]
    assert sent == ["idea_commitment_validated"]


def test_who_is_told_authors_of_published_ideas_and_of_comments_taken_in(
    author, idea, plan, secretariat, gov_chair, ngo_chair
):
    hidden = ContributionFactory(workshop=idea.workshop, status=Contribution.Status.HIDDEN)
    commitment = services.commitment_create(
        plan=plan, title="Open budget data", contributions=[idea, hidden], by=secretariat
    )
    services.commitment_transition(commitment=commitment, to="forum_review", by=secretariat)
    taken, noted = UserFactory(), UserFactory()
    for member, disposition in ((taken, "partly_taken"), (noted, "noted")):
        ConsultationComment.objects.create(
            commitment=commitment, author=member, text="Add a training.", disposition=disposition
        )
    former = UserFactory()
    ContributionFactory(workshop=idea.workshop, author=former).commitments.add(commitment)
    former.is_active = False
    former.save()

    services.commitment_sign_off(commitment=commitment, by=gov_chair)
    services.commitment_sign_off(commitment=commitment, by=ngo_chair)

    validated = Notification.objects.filter(kind="idea_commitment_validated")
    assert set(validated.values_list("recipient", flat=True)) == {author.pk, taken.pk}
    assert "consultation" in validated.get(recipient=taken).body


def test_a_milestone_of_a_draft_tells_nobody(author, idea, plan, secretariat):
    commitment = services.commitment_create(
        plan=plan, title="Open budget data", contributions=[idea], by=secretariat
    )
    _complete(MilestoneFactory(commitment=commitment), secretariat)

    assert not Notification.objects.filter(kind="idea_milestone_completed").exists()


def test_the_kinds_can_be_turned_off_on_the_preferences_page(client, author):
    client.force_login(author)

    page = client.get(reverse("notifications:preferences"), HTTP_ACCEPT_LANGUAGE="en")

    for kind in STEPS:
        assert f'name="{kind}"' in page.content.decode()


# --- The member's page -----------------------------------------------------------------------


def _journey(author, n: int):
    """`n` ideas of `author`, each fed into an included commitment with two milestones, one
    complete."""
    workshop = WorkshopFactory(title="Open data and access to information")
    plan = ActionPlanFactory(title="Fifth plan")
    for i in range(n):
        contribution = ContributionFactory(
            workshop=workshop, author=author, title=f"Idea number {i}"
        )
        ReasonedResponseFactory(
            contribution=contribution,
            disposition="taken_into_commitment",
            explanation=f"Taken into commitment {i}.",
        )
        commitment = CommitmentFactory(
            plan=plan, title=f"Commitment from idea {i}", status="included"
        )
        commitment.contributions.add(contribution)
        MilestoneFactory(
            commitment=commitment,
            activity=f"Milestone done {i}",
            completion="complete",
            completed_on="2027-01-15",
        )
        MilestoneFactory(commitment=commitment, activity=f"Milestone to do {i}")
    return plan


@pytest.fixture
def english(client):
    client.cookies.load({"django_language": "en"})  # the author's own language is Ukrainian
    return client


def test_my_ideas_shows_each_step_of_each_idea(english, client, author):
    _journey(author, 1)
    draft = CommitmentFactory(title="A secret draft", status="draft")
    ContributionFactory(author=author, title="Fed a draft").commitments.add(draft)
    ContributionFactory(author=author, title="Not yet published", status="submitted")
    client.force_login(author)

    page = client.get(reverse("actionplans:my_ideas"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    for text in (
        "Idea number 0",
        "Open data and access to information",
        "Reasoned response: Taken into a commitment",
        "Taken into commitment 0.",
        "Commitment from idea 0",
        "Included in the plan",
        "1 of 2 milestones complete",
        "Milestone done 0",
        "Complete",
        "Milestone to do 0",
        "Not started",
        "Fed a draft commitment of",
        "Not yet published",
        "Waiting for a facilitator to publish it.",
    ):
        assert text in page, text
    assert "A secret draft" not in page


def test_my_ideas_is_only_my_own_and_needs_a_log_in(english, client, author):
    _journey(UserFactory(), 1)
    assert client.get(reverse("actionplans:my_ideas")).status_code == 302
    client.force_login(author)
    page = client.get(reverse("actionplans:my_ideas"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Idea number 0" not in page
    assert "You have not posted any contribution yet." in page


def test_my_forum_links_to_my_ideas(english, client, author):
    client.force_login(author)
    page = client.get(reverse("members:my_forum"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("actionplans:my_ideas") in page


@pytest.mark.parametrize("n", [1, 6])
def test_my_ideas_reads_a_fixed_number_of_queries(
    client, author, n, django_assert_num_queries, settings
):
    _journey(author, n)
    client.force_login(author)
    client.get(reverse("actionplans:my_ideas"))  # the session and the header, read once

    with django_assert_num_queries(QUERIES):
        page = client.get(reverse("actionplans:my_ideas"))
    assert page.content.decode().count('class="idea"') == n


QUERIES = 6  # session, member, count, page, commitments, milestones


# --- The commitment's page -----------------------------------------------------------------


def test_the_commitment_says_where_it_came_from(client, author, idea, plan, secretariat):
    hidden = ContributionFactory(
        workshop=idea.workshop, status=Contribution.Status.HIDDEN, title="Hidden idea"
    )
    commitment = CommitmentFactory(plan=plan, title="Open budget data", status="validated")
    commitment.contributions.add(idea, hidden)
    commenter = member_of("government", full_name="Ana Silva")
    taken = ConsultationComment.objects.create(
        commitment=commitment,
        author=commenter,
        organisation=commenter.organisation,
        stakeholder_group="government",
        text="Add a training milestone for the civil servants.",
        disposition="taken",
        response="Added.",
    )
    ConsultationComment.objects.create(
        commitment=commitment, author=UserFactory(), text="Not taken in.", disposition="noted"
    )

    page = client.get(commitment.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    origins = page[page.index('id="origins"') :]
    origins = origins[: origins.index("</section>")]
    assert "Where this commitment came from" in origins
    assert "Publish municipal budgets as open data" in origins
    assert "Olena Kovalenko" in origins
    assert idea.organisation.name in origins
    assert "Non-government" in origins
    assert idea.workshop.title in origins
    assert "Hidden idea" not in origins
    assert f"#comment-{taken.pk}" in origins
    assert "Ana Silva" in origins and commenter.organisation.name in origins
    assert "Government" in origins
    assert "Not taken in." not in origins


def test_a_consultation_comment_keeps_its_author_s_organisation(consultation_plan):
    commitment = CommitmentFactory(plan=consultation_plan, status="forum_review")
    member = member_of("government")
    before = member.organisation

    comment = services.consultation_comment_post(commitment=commitment, author=member, text="Hi")
    member.organisation = member_of("non_government").organisation
    member.save()

    comment.refresh_from_db()
    assert (comment.organisation, comment.stakeholder_group) == (before, "government")


# --- Open data -------------------------------------------------------------------------------


def test_open_data_links_contributions_to_commitments_and_milestones(client, author, idea, plan):
    commitment = CommitmentFactory(plan=plan, status="included", ogp_id="GR0101")
    commitment.contributions.add(idea)
    done = MilestoneFactory(commitment=commitment, completion="complete", completed_on="2027-01-15")
    todo = MilestoneFactory(commitment=commitment)
    without = CommitmentFactory(plan=plan, status="validated")
    without.contributions.add(idea)
    draft = CommitmentFactory(plan=plan, status="draft")
    draft.contributions.add(idea)
    hidden = ContributionFactory(workshop=idea.workshop, status="hidden")
    commitment.contributions.add(hidden)

    response = client.get(reverse("open_data_links_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [(r["contribution_id"], r["commitment"], r["milestone"]) for r in rows] == [
        (str(idea.pk), str(commitment.pk), str(done.pk)),
        (str(idea.pk), str(commitment.pk), str(todo.pk)),
        (str(idea.pk), str(without.pk), ""),
    ]
    assert rows[0]["commitment_id"] == "GR0101"
    assert rows[0]["milestone_completion"] == "complete"
    assert rows[0]["milestone_completion_date"] == "2027-01-15"
    assert rows[0]["action_plan"] == "nap-5"

    data = json.loads(client.get(reverse("open_data_links_json")).getvalue())
    (record,) = data["contributions"]
    assert record["contribution_id"] == idea.pk
    assert [c["commitment"] for c in record["commitments"]] == [commitment.pk, without.pk]
    assert [m["milestone"] for m in record["commitments"][0]["milestones"]] == [done.pk, todo.pk]

    page = client.get(reverse("open_data"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("open_data_links_csv") in page
    assert "milestone_completion_date" in page
