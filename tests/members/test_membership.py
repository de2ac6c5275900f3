import pytest
from django.core import mail
from django.urls import reverse

from members.models import MembershipStatus, User
from members.services import membership_approve
from tests.factories import OrganisationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "members:membership_queue"


@pytest.fixture
def secretariat(client):
    user = UserFactory(roles=["secretariat"])
    client.force_login(user)
    return user


def pending(**kwargs):
    return UserFactory(membership_status=MembershipStatus.PENDING, **kwargs)


def decide(client, member, decision, note=""):
    return client.post(
        reverse("members:membership_decide", args=[member.pk]),
        {"decision": decision, "note": note},
        follow=True,
    )


def test_a_new_account_starts_pending():
    user = User.objects.create_user(email="new@example.org", password="x-long-password-1")

    assert user.membership_status == MembershipStatus.PENDING


def test_the_queue_lists_who_waits(client, secretariat):
    pending(full_name="Kostas Dimitriou")
    UserFactory(full_name="Already Approved")

    html = client.get(reverse(QUEUE)).content.decode()

    assert "Kostas Dimitriou" in html
    assert "Already Approved" not in html


def test_approving_records_who_and_tells_the_member_in_their_language(client, secretariat):
    member = pending(preferred_language="pt", full_name="Ana Ferreira")

    response = decide(client, member, "approve")

    assert "is approved and has been told" in response.content.decode()
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.APPROVED
    assert member.membership_decided_by == secretariat
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    assert "aprovada" in message.subject  # "A sua adesão a … foi aprovada"
    assert '<html lang="pt">' in message.alternatives[0][0]
    assert "http://127.0.0.1:8000/members/my-forum/" in message.body


def test_rejecting_needs_a_reason_which_the_member_receives(client, secretariat):
    member = pending()

    refused = decide(client, member, "reject", note="")
    assert "Give the reason" in refused.content.decode()
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.PENDING

    decide(client, member, "reject", note="This is not an organisation.")
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.REJECTED
    assert "This is not an organisation." in mail.outbox[-1].body


def test_asking_for_information_sends_the_question(client, secretariat):
    member = pending()

    decide(client, member, "ask", note="Which newsroom do you write for?")

    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.INFORMATION_REQUESTED
    assert "Which newsroom do you write for?" in mail.outbox[-1].body
    assert "Which newsroom" in client.get(reverse(QUEUE)).content.decode()  # still queued


def test_a_member_without_organisation_is_not_approved_blindly(client, secretariat):
    member = pending(organisation=None)

    response = decide(client, member, "approve")

    assert "has no organisation yet" in response.content.decode()
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.PENDING


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("pending", 403), ("member", 403), ("facilitator", 403)],
)
def test_only_the_secretariat_decides(client, who, status):
    users = {
        "pending": lambda: pending(),
        "member": lambda: UserFactory(),
        "facilitator": lambda: UserFactory(roles=["facilitator"]),
    }
    if who in users:
        client.force_login(users[who]())
    target = pending()

    assert client.get(reverse(QUEUE)).status_code == status
    assert (
        client.post(
            reverse("members:membership_decide", args=[target.pk]), {"decision": "approve"}
        ).status_code
        == status
    )
    target.refresh_from_db()
    assert target.membership_status == MembershipStatus.PENDING


def test_a_pending_member_is_refused_a_workshop_seat_with_a_clear_message(client):
    workshop = WorkshopFactory()
    member = pending(organisation=OrganisationFactory())
    client.force_login(member)

    page = client.get(workshop.get_absolute_url()).content.decode()
    response = client.post(reverse("cocreation:workshop_register", args=[workshop.pk]))

    assert "waiting for the secretariat&#x27;s approval" in page
    assert f'action="/workshops/{workshop.pk}/register/"' not in page
    assert response.status_code == 409
    assert "waiting for the secretariat" in response.content.decode()
    assert not workshop.registrations.exists()


def test_once_approved_the_member_takes_a_seat(client):
    workshop = WorkshopFactory()
    member = member_of("government", membership_status=MembershipStatus.PENDING)

    membership_approve(member=member, by=UserFactory(roles=["secretariat"]))
    client.force_login(member)
    response = client.post(reverse("cocreation:workshop_register", args=[workshop.pk]), follow=True)

    assert "Your seat is confirmed." in response.content.decode()
