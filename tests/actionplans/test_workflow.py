"""The commitment workflow: who may move it where, and validation by both co-chairs."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actionplans import permissions, services
from actionplans.models import Commitment
from core.audit.models import AuditEntry
from core.errors import ForumError
from members.models import StakeholderGroup
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ForumFactory,
    UserFactory,
    member_of,
    role_give,
    seat_give,
)

S = Commitment.Status
pytestmark = pytest.mark.django_db


def test_a_co_drafter_sends_the_draft_to_review(draft, drafters):
    services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=drafters[0])
    draft.refresh_from_db()
    assert draft.status == S.FORUM_REVIEW
    entry = AuditEntry.objects.get(action="commitment.transition")
    assert (entry.actor, entry.data["before"], entry.data["after"]) == (
        drafters[0],
        "draft",
        "forum_review",
    )


def test_someone_else_cannot_send_it_to_review(draft):
    with pytest.raises(services.ActionPlanError, match="may not"):
        services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=UserFactory())
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_nobody_validates_directly_not_even_the_secretariat(draft, secretariat):
    services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=secretariat)
    with pytest.raises(services.ActionPlanError, match="cannot go from"):
        services.commitment_transition(commitment=draft, to=S.VALIDATED, by=secretariat)


def test_validation_needs_both_co_chairs(draft, drafters, gov_chair, ngo_chair):
    services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=drafters[0])
    services.commitment_sign_off(commitment=draft, by=gov_chair)
    draft.refresh_from_db()
    assert draft.status == S.FORUM_REVIEW  # one group is not enough
    with pytest.raises(services.ActionPlanError, match="already signed"):
        services.commitment_sign_off(commitment=draft, by=gov_chair)
    services.commitment_sign_off(commitment=draft, by=ngo_chair)
    draft.refresh_from_db()
    assert draft.status == S.VALIDATED
    signed = {s.stakeholder_group: s.co_chair for s in draft.sign_offs.all()}
    assert signed == {"government": gov_chair, "non_government": ngo_chair}


def test_only_co_chairs_sign_off(draft, drafters, secretariat, gov_chair):
    services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=drafters[0])
    for person in (drafters[1], secretariat):
        with pytest.raises(services.ActionPlanError, match="co-chairs"):
            services.commitment_sign_off(commitment=draft, by=person)


def test_a_draft_cannot_be_signed_off(draft, gov_chair):
    with pytest.raises(services.ActionPlanError, match="forum review"):
        services.commitment_sign_off(commitment=draft, by=gov_chair)


def test_back_to_drafting_clears_the_sign_offs(draft, drafters, gov_chair, ngo_chair):
    services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=drafters[0])
    services.commitment_sign_off(commitment=draft, by=gov_chair)
    services.commitment_transition(commitment=draft, to=S.DRAFT, by=ngo_chair)
    assert draft.sign_offs.count() == 0
    assert permissions.can_edit_commitment(drafters[0], Commitment.objects.get(pk=draft.pk))


def test_secretariat_includes_a_validated_commitment(secretariat, drafters):
    commitment = CommitmentFactory(status=S.VALIDATED, co_drafters=drafters)
    with pytest.raises(services.ActionPlanError):
        services.commitment_transition(commitment=commitment, to=S.INCLUDED, by=drafters[0])
    services.commitment_transition(commitment=commitment, to=S.INCLUDED, by=secretariat)
    commitment.refresh_from_db()
    assert commitment.status == S.INCLUDED


def test_withdrawal_needs_a_reason(secretariat, draft):
    with pytest.raises(services.ActionPlanError, match="why"):
        services.commitment_transition(commitment=draft, to=S.WITHDRAWN, by=secretariat, reason=" ")
    services.commitment_transition(
        commitment=draft, to=S.WITHDRAWN, by=secretariat, reason="Covered by the strategy."
    )
    draft.refresh_from_db()
    assert (draft.status, draft.withdrawn_reason) == (S.WITHDRAWN, "Covered by the strategy.")


def test_only_drafts_are_edited(secretariat, drafters):
    for status in (S.FORUM_REVIEW, S.VALIDATED, S.INCLUDED, S.WITHDRAWN):
        commitment = CommitmentFactory(status=status, co_drafters=drafters)
        assert not permissions.can_edit_commitment(drafters[0], commitment)
        assert not permissions.can_edit_commitment(secretariat, commitment)


def test_a_pending_member_cannot_act_even_as_co_drafter(draft):
    pending = UserFactory(membership_status="pending")
    draft.co_drafters.add(pending)
    assert not permissions.can_edit_commitment(pending, draft)
    assert not permissions.can_transition(pending, draft, S.FORUM_REVIEW)


@pytest.mark.parametrize(
    ("status", "anonymous_sees"),
    [
        (S.DRAFT, False),
        (S.FORUM_REVIEW, True),
        (S.VALIDATED, True),
        (S.INCLUDED, True),
        (S.WITHDRAWN, True),
    ],
)
def test_who_sees_a_commitment(client, status, anonymous_sees, drafters):
    commitment = CommitmentFactory(status=status, co_drafters=drafters)
    response = client.get(commitment.get_absolute_url())
    assert response.status_code == (200 if anonymous_sees else 404)
    client.force_login(drafters[0])
    assert client.get(commitment.get_absolute_url()).status_code == 200


def test_the_page_shows_who_signed_and_when(client, draft, drafters, gov_chair, ngo_chair):
    services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=drafters[0])
    client.force_login(ngo_chair)
    response = client.post(draft.get_absolute_url() + "sign-off/", follow=True)
    page = response.content.decode()
    assert "The other co-chair" in page
    assert f"signed by {ngo_chair.public_name}" in page
    assert f"not yet signed (co-chair: {gov_chair.public_name})" in page
    client.force_login(gov_chair)
    page = client.post(draft.get_absolute_url() + "sign-off/", follow=True).content.decode()
    assert "it is validated" in page
    assert f"signed by {gov_chair.public_name}" in page


def test_withdraw_from_the_page_without_a_reason_keeps_it(client, secretariat, draft):
    client.force_login(secretariat)
    response = client.post(
        draft.get_absolute_url() + "status/", {"to": "withdrawn", "reason": ""}, follow=True
    )
    assert "Say why the commitment is withdrawn." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_co_chair_sees_what_waits_for_their_sign_off(client, draft, drafters, gov_chair):
    services.commitment_transition(commitment=draft, to=S.FORUM_REVIEW, by=drafters[0])
    client.force_login(gov_chair)
    page = client.get("/action-plans/my-commitments/").content.decode()
    assert "Sign-offs" in page  # the account menu's badge
    assert draft.title in page
    services.commitment_sign_off(commitment=draft, by=gov_chair)
    page = client.get("/action-plans/my-commitments/").content.decode()
    assert "No commitment waits for your sign-off." in page


def test_co_drafters_find_their_drafts(client, draft, drafters):
    client.force_login(drafters[1])
    page = client.get("/action-plans/my-commitments/").content.decode()
    assert draft.title in page and "Sign-offs" not in page


def test_the_admin_changes_a_plans_status_through_the_service(client):
    admin = get_user_model().objects.create_superuser(email="root@example.org", password="x-1")
    plan = ActionPlanFactory(status="drafting")
    client.force_login(admin)
    url = f"/admin/actionplans/actionplan/{plan.pk}/change/"
    data = {
        "forum": plan.forum_id,
        "title": plan.title,
        "slug": plan.slug,
        "country": "GR",
        "period_start": "2026-09-01",
        "period_end": "2028-08-31",
        "language": "en",
        "created_at_0": "2026-01-01",
        "created_at_1": "10:00:00",
        "status": "consultation",
    }
    response = client.post(url, data)
    assert "Set the consultation" in response.content.decode()  # refused, with the reason
    data.update(status="adopted")
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "adopted"
    assert AuditEntry.objects.filter(action="plan.status", data__after="adopted").exists()


# --- Two forums: the secretariat and co-chairs of one cannot act on the other's plans ------


@pytest.fixture
def two_forums(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    city = ForumFactory(name="Pančevo local forum")
    city_secretariat = UserFactory()
    role_give(city_secretariat, "secretariat", city)
    city_chair = member_of(StakeholderGroup.GOVERNMENT)
    seat_give(city_chair, forum=city, co_chair=True)
    plan = ActionPlanFactory(forum=city)
    return {
        "city": city,
        "plan": plan,
        "validated": CommitmentFactory(plan=plan, status=S.VALIDATED),
        "in_review": CommitmentFactory(plan=plan, status=S.FORUM_REVIEW),
        "city_secretariat": city_secretariat,
        "city_chair": city_chair,
    }


PLAN_FIELDS = {
    "title": "A plan",
    "slug": "a-plan",
    "country": "RS",
    "period_start": date(2027, 1, 1),
    "period_end": date(2028, 12, 31),
}

# What only the plan's own forum's secretariat may do to it; `slug` keeps each run apart.
SECRETARIAT_ACTS = {
    "create-plan": lambda f, by, slug: services.plan_create(
        forum=f["city"], fields={**PLAN_FIELDS, "slug": slug}, by=by
    ),
    "plan-status": lambda f, by, slug: services.plan_status_change(
        plan=f["plan"], status="adopted", by=by
    ),
    "include": lambda f, by, slug: services.commitment_transition(
        commitment=Commitment.objects.get(pk=f["validated"].pk), to=S.INCLUDED, by=by
    ),
    "assess": lambda f, by, slug: services.commitment_assess(
        commitment=f["validated"], data={"ogp_id": slug}, by=by
    ),
    "new-commitment": lambda f, by, slug: services.commitment_create(
        plan=f["plan"], title=slug, by=by
    ),
    "export-pdf": lambda f, by, slug: services.export_request(plan=f["plan"], by=by),
}


@pytest.mark.parametrize("act", list(SECRETARIAT_ACTS))
def test_another_forums_secretariat_cannot_act_on_a_plan(two_forums, secretariat, act):
    national_chair = member_of(StakeholderGroup.NON_GOVERNMENT)
    seat_give(national_chair, co_chair=True)  # a co-chair of the default (national) forum

    for outsider in (secretariat, national_chair, two_forums["city_chair"]):
        with pytest.raises(ForumError):
            SECRETARIAT_ACTS[act](two_forums, outsider, "refused")

    SECRETARIAT_ACTS[act](two_forums, two_forums["city_secretariat"], "allowed")


def test_another_forums_co_chair_cannot_sign_off_or_send_back(two_forums, secretariat):
    national_chair = member_of(StakeholderGroup.NON_GOVERNMENT)
    seat_give(national_chair, co_chair=True)
    commitment = two_forums["in_review"]

    for outsider in (national_chair, secretariat):
        with pytest.raises(services.ActionPlanError):
            services.commitment_sign_off(commitment=commitment, by=outsider)
        with pytest.raises(services.ActionPlanError, match="may not"):
            services.commitment_transition(commitment=commitment, to=S.DRAFT, by=outsider)
    assert commitment.sign_offs.count() == 0

    services.commitment_sign_off(commitment=commitment, by=two_forums["city_chair"])
    services.commitment_transition(commitment=commitment, to=S.DRAFT, by=two_forums["city_chair"])


def test_another_forums_secretariat_gets_403_on_the_pdf_export(client, two_forums, secretariat):
    plan = two_forums["plan"]
    client.force_login(secretariat)

    response = client.post(reverse("actionplans:export_pdf", args=[plan.slug]))

    assert response.status_code == 403
    assert not plan.exports.exists()
