"""Membership decisions leave an audit trail, are taken once, and are all-or-nothing."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from core.personal_data import personal_data_export
from members import services
from members.models import MembershipStatus
from members.selectors import membership_decisions
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def secretariat():
    return UserFactory(roles=["secretariat"], full_name="Eleni Secretariat")


def pending(**kwargs):
    return UserFactory(membership_status=MembershipStatus.PENDING, **kwargs)


def test_every_decision_is_kept_with_who_what_and_when(secretariat):
    member = pending()

    services.membership_request_information(member=member, question="Which team?", by=secretariat)
    services.membership_approve(member=member, by=secretariat)

    trail = [
        (entry.data["before"], entry.data["after"], entry.data["note"])
        for entry in membership_decisions(member=member)
    ]
    assert trail == [
        (MembershipStatus.PENDING, MembershipStatus.INFORMATION_REQUESTED, "Which team?"),
        (MembershipStatus.INFORMATION_REQUESTED, MembershipStatus.APPROVED, ""),
    ]
    assert {entry.actor for entry in membership_decisions(member=member)} == {secretariat}


def test_a_member_already_decided_is_not_decided_again(secretariat):
    """A double click, or two secretariat members on the same request: one decision, one
    e-mail."""
    member = pending()
    services.membership_approve(member=member, by=secretariat)
    sent = len(mail.outbox)

    with pytest.raises(services.MembershipError, match="no longer waiting"):
        services.membership_reject(member=member, reason="Too late.", by=secretariat)

    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.APPROVED
    assert membership_decisions(member=member).count() == 1
    assert len(mail.outbox) == sent


def test_a_proposed_organisation_is_verified_only_if_the_approval_goes_through(secretariat):
    organisation = OrganisationFactory(verified=False)
    member = pending(organisation=organisation)

    with (
        mock.patch("members.services.notification_send", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.membership_approve(member=member, by=secretariat)

    organisation.refresh_from_db()
    member.refresh_from_db()
    assert not organisation.verified
    assert member.membership_status == MembershipStatus.PENDING
    assert not membership_decisions(member=member).exists()

    services.membership_approve(member=member, by=secretariat)
    organisation.refresh_from_db()
    assert organisation.verified


def test_the_trail_is_in_my_data_and_its_words_go_with_my_account(secretariat):
    member = pending()
    services.membership_request_information(
        member=member, question="Your role at the ministry?", by=secretariat
    )

    exported = personal_data_export(member=member)["membership_decisions"]
    assert exported[0]["note"] == "Your role at the ministry?"
    assert exported[0]["decided_by"] == "Eleni Secretariat"

    services.member_delete(member=member)
    (decision,) = membership_decisions(member=member)
    assert decision.data["note"] == ""
    assert decision.data["after"] == MembershipStatus.INFORMATION_REQUESTED
    assert decision.actor == secretariat


def test_a_second_click_on_the_queue_says_the_decision_is_taken(client, secretariat):
    member = pending(full_name="Ana Ferreira")
    client.force_login(secretariat)
    url = reverse("members:membership_decide", args=[member.pk])

    client.post(url, {"decision": "approve"})
    again = client.post(url, {"decision": "reject", "note": "No."}, follow=True)

    assert again.status_code == 200
    assert "Ana Ferreira is no longer waiting for a decision (now: Approved)." in (
        again.content.decode()
    )
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.APPROVED
