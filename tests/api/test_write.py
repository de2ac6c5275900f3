"""Members act through the API under the same rules as the pages: a seat, its
cancellation, a contribution; refusals are 400/403 with the reason, never a 500."""

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cocreation.models import Contribution, Registration, Workshop
from members.models import StakeholderGroup
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

GOV = StakeholderGroup.GOVERNMENT
NGO = StakeholderGroup.NON_GOVERNMENT


def with_token(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_visitor_cannot_register(api):
    workshop = WorkshopFactory()
    response = api.post(f"/api/v1/workshops/{workshop.pk}/register/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Registration.objects.exists()


def test_a_member_takes_a_seat_with_a_token_and_gets_the_e_mail(django_capture_on_commit_callbacks):
    workshop = WorkshopFactory()
    member = member_of(NGO)

    with django_capture_on_commit_callbacks(execute=True):
        response = with_token(member).post(
            f"/api/v1/workshops/{workshop.pk}/register/",
            {"accessibility_needs": "Step-free access", "agrees_to_be_named": True},
            format="json",
        )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "confirmed"
    assert response.json()["waiting_position"] is None
    registration = Registration.objects.get(workshop=workshop, member=member)
    assert registration.accessibility_needs == "Step-free access"
    assert registration.agrees_to_be_named
    assert [m.to for m in mail.outbox] == [[member.email]]
    seats = with_token(member).get(f"/api/v1/workshops/{workshop.pk}/").json()["seats_free"]
    assert seats == {"government": 2, "non_government": 1}


def test_a_full_quota_gives_a_numbered_waiting_place():
    workshop = WorkshopFactory(non_government_quota=1)
    RegistrationFactory(workshop=workshop, group=NGO)

    response = with_token(member_of(NGO)).post(f"/api/v1/workshops/{workshop.pk}/register/")

    assert response.status_code == 201
    assert response.json()["status"] == "waiting"
    assert response.json()["waiting_position"] == 1


def test_registering_twice_is_refused_with_the_pages_message():
    workshop = WorkshopFactory()
    client = with_token(member_of(NGO))
    client.post(f"/api/v1/workshops/{workshop.pk}/register/")

    response = client.post(f"/api/v1/workshops/{workshop.pk}/register/")

    assert response.status_code == 400
    assert response.json() == {"detail": "You are already registered for this workshop."}
    assert Registration.objects.filter(workshop=workshop).count() == 1


def test_a_member_without_organisation_is_forbidden_with_the_reason():
    workshop = WorkshopFactory()
    response = with_token(UserFactory(organisation=None)).post(
        f"/api/v1/workshops/{workshop.pk}/register/"
    )
    assert response.status_code == 403
    assert "Choose your organisation" in response.json()["detail"]


def test_a_member_awaiting_approval_is_forbidden():
    workshop = WorkshopFactory()
    response = with_token(member_of(NGO, membership_status="pending")).post(
        f"/api/v1/workshops/{workshop.pk}/register/"
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_cancelled_or_draft_workshop_takes_no_registration():
    cancelled = WorkshopFactory(status=Workshop.Status.CANCELLED)
    draft = WorkshopFactory(status=Workshop.Status.DRAFT)
    client = with_token(member_of(NGO))

    refused = client.post(f"/api/v1/workshops/{cancelled.pk}/register/")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "This workshop is not open for registration."
    assert client.post(f"/api/v1/workshops/{draft.pk}/register/").status_code == 404


def test_bad_answers_are_a_400():
    workshop = WorkshopFactory()
    response = with_token(member_of(NGO)).post(
        f"/api/v1/workshops/{workshop.pk}/register/",
        {"agrees_to_be_named": "perhaps"},
        format="json",
    )
    assert response.status_code == 400
    assert "agrees_to_be_named" in response.json()


def test_cancelling_frees_the_seat_for_the_first_person_waiting(django_capture_on_commit_callbacks):
    workshop = WorkshopFactory(government_quota=1)
    holder = RegistrationFactory(workshop=workshop, group=GOV)
    waiting = Registration.objects.create(
        workshop=workshop,
        member=member_of(GOV, email="waiting@example.org"),
        stakeholder_group=GOV,
        status="waiting",
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = with_token(holder.member).post(f"/api/v1/workshops/{workshop.pk}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_cancelling_without_a_registration_is_a_404():
    workshop = WorkshopFactory()
    response = with_token(member_of(NGO)).post(f"/api/v1/workshops/{workshop.pk}/cancel/")
    assert response.status_code == 404


def test_a_member_reads_their_own_registration_only():
    registration = RegistrationFactory()
    workshop = registration.workshop

    mine = with_token(registration.member).get(f"/api/v1/workshops/{workshop.pk}/registration/")
    other = with_token(member_of(NGO)).get(f"/api/v1/workshops/{workshop.pk}/registration/")

    assert mine.status_code == 200
    assert mine.json()["status"] == "confirmed"
    assert other.status_code == 404


def test_session_clients_need_the_csrf_token():
    workshop = WorkshopFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member_of(NGO))

    response = client.post(f"/api/v1/workshops/{workshop.pk}/register/")

    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_a_participant_posts_a_contribution_that_waits_for_moderation(api):
    registration = RegistrationFactory()
    workshop = registration.workshop

    response = with_token(registration.member).post(
        f"/api/v1/workshops/{workshop.pk}/contributions/",
        {"kind": "idea", "title": " Open budgets ", "text": "Publish the budget monthly."},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    contribution = Contribution.objects.get()
    assert contribution.title == "Open budgets"
    assert contribution.author == registration.member
    assert api.get("/api/v1/contributions/").json()["count"] == 0


def test_someone_without_a_seat_cannot_post(api):
    workshop = WorkshopFactory()
    response = with_token(member_of(NGO)).post(
        f"/api/v1/workshops/{workshop.pk}/contributions/",
        {"kind": "idea", "title": "T", "text": "X"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only participants of this workshop can post contributions."
    assert api.post(f"/api/v1/workshops/{workshop.pk}/contributions/").status_code == 401
    assert not Contribution.objects.exists()


def test_a_contribution_with_a_bad_kind_is_a_400():
    registration = RegistrationFactory()
    response = with_token(registration.member).post(
        f"/api/v1/workshops/{registration.workshop_id}/contributions/",
        {"kind": "rant", "title": "", "text": "X"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "title"}


def test_reading_endpoints_refuse_writes(api):
    client = with_token(member_of(NGO))
    assert client.post("/api/v1/workshops/", {}).status_code == 405
    assert client.delete(f"/api/v1/workshops/{WorkshopFactory().pk}/").status_code == 405


def test_a_member_creates_and_replaces_their_token_on_a_page(client):
    member = member_of(NGO)
    client.force_login(member)

    assert "You have no API token yet." in client.get("/api/token/").content.decode()
    client.post("/api/token/")
    first = Token.objects.get(user=member).key
    assert first in client.get("/api/token/").content.decode()
    client.post("/api/token/")
    second = Token.objects.get(user=member).key

    assert second != first
    old = APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert old.get("/api/v1/workshops/").status_code == 401
    new = APIClient()
    new.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert new.get("/api/v1/workshops/").status_code == 200


def test_the_token_page_needs_a_login(client):
    assert client.get("/api/token/").status_code == 302
