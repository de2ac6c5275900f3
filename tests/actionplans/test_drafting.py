"""Drafting: versions kept for every save, and no silent overwrite between two editors."""

import pytest
from django.core import mail

from actionplans import selectors, services
from actionplans.models import Commitment, CommitmentVersion
from cocreation.models import ReasonedResponse
from cocreation.services import contribution_post, contribution_publish, contribution_respond
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from tests.factories import ActionPlanFactory, RegistrationFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _form_data(commitment, **changes):
    data = {
        name: "" if getattr(commitment, name) is None else getattr(commitment, name)
        for name in services.DRAFTED_FIELDS
    }
    data["lead_agency"] = commitment.lead_agency_id or ""
    for name in ("start_date", "end_date"):
        data[name] = data[name].isoformat() if data[name] else ""
    for name in (
        "transparency",
        "civic_participation",
        "public_accountability",
        "technology_innovation",
        "inclusion",
    ):
        if not data[name]:
            data.pop(name)
    data["base_version"] = commitment.version
    data.update(changes)
    return data


def test_every_save_is_a_version_with_who_and_when(draft, drafters):
    services.commitment_save(
        commitment=draft, data={"problem": "New problem."}, base_version=1, by=drafters[0]
    )
    services.commitment_save(
        commitment=draft, data={"problem": "Newer problem."}, base_version=2, by=drafters[1]
    )
    versions = list(CommitmentVersion.objects.filter(commitment=draft).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.saved_by for v in versions[1:]] == drafters
    assert versions[2].fields["problem"] == "Newer problem."
    assert versions[0].fields["problem"] == "Contracts are published as scanned PDFs."


def test_a_save_without_change_makes_no_version(draft, drafters):
    services.commitment_save(
        commitment=draft, data={"problem": draft.problem}, base_version=1, by=drafters[0]
    )
    assert draft.versions.count() == 1


def test_the_second_save_from_an_old_version_is_refused(draft, drafters):
    services.commitment_save(
        commitment=draft, data={"problem": "Alice's text."}, base_version=1, by=drafters[0]
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.commitment_save(
            commitment=draft, data={"problem": "Bob's text."}, base_version=1, by=drafters[1]
        )
    assert conflict.value.current.number == 2
    assert drafters[0].public_name in str(conflict.value)
    draft.refresh_from_db()
    assert draft.problem == "Alice's text."


def test_any_two_versions_compare_word_by_word(draft, drafters):
    services.commitment_save(
        commitment=draft,
        data={"problem": "Contracts are published as open data.", "inclusion": True},
        base_version=1,
        by=drafters[0],
    )
    comparison = selectors.versions_compare(commitment=draft, older=1, newer=2)
    changes = {change.name: change.chunks for change in comparison["changes"]}
    assert set(changes) == {"problem", "inclusion"}
    assert ("removed", "scanned PDFs.") in changes["problem"]
    assert ("added", "open data.") in changes["problem"]


def test_two_editors_in_the_browser_flow(client, draft, drafters):
    """Alice and Bob open the same draft; Alice saves; Bob's save is refused, his text is
    kept in the form, and he sees what Alice changed."""
    first, second = drafters
    client.force_login(first)
    edit_url = draft.get_absolute_url() + "edit/"
    bob_form = _form_data(draft, problem="Bob's careful problem statement.")
    response = client.post(edit_url, _form_data(draft, title="Alice's better title"))
    assert response.status_code == 302

    client.force_login(second)
    response = client.post(edit_url, bob_form)
    page = response.content.decode()
    assert response.status_code == 409
    assert "while you were editing it" in page
    assert "Bob&#x27;s careful problem statement." in page  # his text is kept
    assert "<ins>Alice&#x27;s better title</ins>" in page  # what Alice changed meanwhile
    draft.refresh_from_db()
    assert draft.title == "Alice's better title"
    assert draft.problem == "Contracts are published as scanned PDFs."

    # Saving again from the form as redisplayed (now based on Alice's version) works.
    retry = _form_data(
        Commitment.objects.get(pk=draft.pk), problem="Bob's careful problem statement."
    )
    assert client.post(edit_url, retry).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.problem) == (
        "Alice's better title",
        "Bob's careful problem statement.",
    )
    assert draft.version == 3


def test_the_versions_page_compares_two_versions(client, draft, drafters):
    services.commitment_save(
        commitment=draft, data={"title": "A new title"}, base_version=1, by=drafters[0]
    )
    client.force_login(drafters[0])
    page = client.get(draft.get_absolute_url() + "versions/?older=2&newer=1").content.decode()
    assert "Version 1 compared with version 2" in page
    assert "<ins>" in page and "<del>" in page
    bad = client.get(draft.get_absolute_url() + "versions/?older=1&newer=9").content.decode()
    assert "Choose two versions" in bad


def test_a_commitment_grows_from_contributions_and_they_show_it(secretariat):
    workshop = WorkshopFactory()
    plan = ActionPlanFactory(process=workshop.process)
    author = RegistrationFactory(workshop=workshop).member  # a seated participant
    idea = contribution_post(
        workshop=workshop, author=author, kind="idea", title="Open contracts", text="All of them."
    )
    contribution_publish(contribution=idea, by=secretariat)
    commitment = services.commitment_create(
        plan=plan, title="Open contracting", contributions=[idea], by=secretariat
    )
    assert list(commitment.contributions.all()) == [idea]
    response = ReasonedResponse.objects.get(contribution=idea)
    assert response.disposition == ReasonedResponse.Disposition.TAKEN_INTO_COMMITMENT
    assert plan.title in response.explanation
    assert "Open contracting" not in response.explanation  # named once it is public
    assert list(idea.commitments.all()) == [commitment]


def test_a_facilitators_other_answer_is_not_overwritten(secretariat):
    workshop = WorkshopFactory()
    plan = ActionPlanFactory(process=workshop.process)
    idea = contribution_post(
        workshop=workshop,
        author=RegistrationFactory(workshop=workshop).member,
        kind="idea",
        title="X",
        text="Y",
    )
    contribution_respond(
        contribution=idea,
        disposition="not_taken_forward",
        explanation="Out of scope.",
        by=secretariat,
    )
    services.commitment_create(plan=plan, title="Z", contributions=[idea], by=secretariat)
    assert ReasonedResponse.objects.get(contribution=idea).disposition == "not_taken_forward"


def test_creating_a_commitment_from_the_page(client, secretariat):
    plan = ActionPlanFactory()
    other = UserFactory()
    client.force_login(secretariat)
    response = client.post(
        f"/action-plans/{plan.slug}/commitments/new/",
        {"title": "Open parliament", "co_drafters": [other.pk]},
    )
    commitment = plan.commitments.get()
    assert response.url == commitment.get_absolute_url() + "edit/"
    assert set(commitment.co_drafters.all()) == {secretariat, other}
    assert commitment.number == 1


def test_members_cannot_create_commitments(client):
    plan = ActionPlanFactory()
    client.force_login(UserFactory())
    assert client.get(f"/action-plans/{plan.slug}/commitments/new/").status_code == 403


def test_the_contribution_board_links_to_the_public_commitment(client, secretariat):
    workshop = WorkshopFactory()
    plan = ActionPlanFactory(process=workshop.process)
    idea = contribution_post(
        workshop=workshop,
        author=RegistrationFactory(workshop=workshop).member,
        kind="idea",
        title="Open data",
        text="Now.",
    )
    contribution_publish(contribution=idea, by=secretariat)
    commitment = services.commitment_create(
        plan=plan, title="Open data law", contributions=[idea], by=secretariat
    )
    board = f"/workshops/{workshop.pk}/contributions/"
    assert commitment.get_absolute_url() not in client.get(board).content.decode()  # a draft
    Commitment.objects.filter(pk=commitment.pk).update(status="validated")
    assert commitment.get_absolute_url() in client.get(board).content.decode()


def test_an_end_before_the_start_is_refused_and_the_text_kept(client, draft, drafters):
    client.force_login(drafters[0])
    data = _form_data(draft, start_date="2027-06-01", end_date="2027-01-01", problem="Kept.")
    response = client.post(draft.get_absolute_url() + "edit/", data)
    page = response.content.decode()
    assert "The end date is before the start date." in page
    assert "Kept." in page
    draft.refresh_from_db()
    assert draft.version == 1


def test_only_the_secretariat_and_facilitators_create_commitments_whoever_calls():
    plan = ActionPlanFactory()
    with pytest.raises(NotAllowed):
        services.commitment_create(plan=plan, title="Open budgets", by=UserFactory())
    assert not plan.commitments.exists()


def test_a_contribution_taken_into_a_commitment_tells_its_author_and_is_audited(
    secretariat, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory()
    plan = ActionPlanFactory(process=workshop.process, title="Fifth plan")
    author = RegistrationFactory(workshop=workshop).member
    idea = contribution_post(
        workshop=workshop, author=author, kind="idea", title="Open contracts", text="All."
    )
    contribution_publish(contribution=idea, by=secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        services.commitment_create(
            plan=plan, title="Open contracting", contributions=[idea], by=secretariat
        )

    [told] = [message for message in mail.outbox if message.to == [author.email]]
    assert "Taken into a commitment of Fifth plan" in told.body
    assert "Open contracting" not in told.body  # a draft's title is not said yet
    entry = AuditEntry.objects.get(action="contribution.responded", about_id=str(idea.pk))
    assert (entry.actor, entry.data["after"]) == (secretariat, "taken_into_commitment")
