"""A member's change of organisation is a request the secretariat decides (issue 20): until
it is approved nothing changes (group, seats, what the member may do for an organisation);
on approval their seats in workshops to come move to the new group's quota or waiting list
and the next person waiting in the old group takes each seat freed; what the member did
before keeps the organisation and group they had then."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans.services import (
    ActionPlanError,
    DocumentUpload,
    document_add,
    milestone_progress_update,
)
from cocreation.models import Contribution, Registration
from cocreation.services import (
    RegistrationAnswers,
    contribution_comment,
    contribution_post,
    contribution_support,
    workshop_register,
)
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from health.participation import participation
from members import services
from members.models import OrganisationChange, StakeholderGroup
from members.services import OrganisationChangeError
from tests.factories import (
    CommitmentFactory,
    ForumFactory,
    MilestoneFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    WorkshopFactory,
    default_forum,
    member_of,
    role_give,
)

pytestmark = pytest.mark.django_db
GOV, NGO = StakeholderGroup.GOVERNMENT, StakeholderGroup.NON_GOVERNMENT
CONFIRMED = Registration.Status.CONFIRMED
WAITING = Registration.Status.WAITING
CANCELLED = Registration.Status.CANCELLED


@pytest.fixture
def ministry():
    sector = SectorFactory(slug="ministries", name="Ministries", stakeholder_group=GOV)
    return OrganisationFactory(name="Ministry of Digital Governance", sector=sector)


@pytest.fixture
def activist():
    sector = SectorFactory(slug="ngos", name="NGOs", stakeholder_group=NGO)
    return UserFactory(
        full_name="Ana Activist",
        organisation=OrganisationFactory(name="Transparency Watch", sector=sector),
    )


@pytest.fixture
def secretariat():
    member = UserFactory(full_name="Sofia Secretariat")
    role_give(member, "secretariat")
    return member


def profile_post(client, member, organisation):
    return client.post(
        reverse("members:profile"),
        {
            "full_name": member.full_name,
            "organisation": organisation.pk,
            "position": "",
            "preferred_language": "en",
        },
        follow=True,
    )


def mail_to(member):
    return [message for message in mail.outbox if message.to == [member.email]]


def register(workshop, member):
    return workshop_register(workshop=workshop, member=member, answers=RegistrationAnswers())


# --- The request -----------------------------------------------------------------------------


def test_the_exploit_an_approved_member_cannot_switch_group_from_the_profile(
    client, activist, ministry
):
    """The issue's case: a civil-society member chose a ministry in their profile, at once
    took a government seat, marked the ministry's milestone complete and filed evidence as
    the ministry's. Now the choice is only a request."""
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    milestone = MilestoneFactory(commitment=CommitmentFactory(lead_agency=ministry))
    client.force_login(activist)

    page = profile_post(client, activist, ministry).content.decode()

    assert "Your change of organisation to Ministry of Digital Governance, asked on" in page
    assert "Until then you take part for your organisation as before." in page
    activist.refresh_from_db()
    assert activist.organisation.name == "Transparency Watch"
    change = OrganisationChange.objects.get(member=activist)
    assert change.status == OrganisationChange.Status.PENDING
    assert change.organisation == ministry
    # No government seat: the seat is the non-government group's.
    registration = register(workshop, activist)
    assert registration.stakeholder_group == NGO and registration.seat_group == NGO
    # Nothing done for the ministry.
    with pytest.raises(ActionPlanError):
        milestone_progress_update(milestone=milestone, data={"completion": "complete"}, by=activist)
    with pytest.raises(ActionPlanError):
        document_add(
            plan=milestone.commitment.plan,
            upload=DocumentUpload(
                kind="evidence",
                title="Proof",
                dated=timezone.localdate(),
                url="https://example.org/proof",
                milestone=milestone,
            ),
            by=activist,
        )
    milestone.refresh_from_db()
    assert milestone.completion == "not_started"
    assert AuditEntry.objects.filter(action="organisation_change.requested").exists()


def test_a_member_not_yet_approved_changes_organisation_directly(client, ministry):
    applicant = UserFactory(membership_status="pending")
    client.force_login(applicant)

    profile_post(client, applicant, ministry)

    applicant.refresh_from_db()
    assert applicant.organisation == ministry
    assert not OrganisationChange.objects.exists()


def test_a_new_choice_replaces_the_request_and_the_current_one_withdraws_it(
    client, activist, ministry
):
    other = OrganisationFactory(name="Open Knowledge")
    client.force_login(activist)
    before = activist.organisation

    profile_post(client, activist, ministry)
    profile_post(client, activist, other)
    statuses = dict(OrganisationChange.objects.values_list("organisation__name", "status"))
    assert statuses == {"Ministry of Digital Governance": "withdrawn", "Open Knowledge": "pending"}

    page = profile_post(client, activist, before).content.decode()
    assert not OrganisationChange.objects.filter(status="pending").exists()
    assert "Until then you take part for your organisation as before." not in page


def test_the_profile_requires_an_organisation(client, activist):
    client.force_login(activist)
    response = client.post(
        reverse("members:profile"),
        {"full_name": "Ana", "organisation": "", "position": "", "preferred_language": "en"},
    )
    assert response.status_code == 400
    activist.refresh_from_db()
    assert activist.organisation is not None


def test_the_site_administrator_without_an_organisation_saves_their_profile(client):
    admin = UserFactory(is_superuser=True, is_staff=True, organisation=None)
    client.force_login(admin)

    response = client.post(
        reverse("members:profile"),
        {"full_name": "Admin", "organisation": "", "position": "", "preferred_language": "el"},
    )

    assert response.status_code == 302
    admin.refresh_from_db()
    assert admin.preferred_language == "el" and admin.organisation is None


# --- Approval ----------------------------------------------------------------------------------


def test_approval_moves_seats_to_come_promotes_the_next_waiting_and_tells_everyone(
    activist, ministry, secretariat, django_capture_on_commit_callbacks
):
    room = WorkshopFactory(title="Room to spare", government_quota=1, non_government_quota=1)
    full = WorkshopFactory(title="Full house", government_quota=1, non_government_quota=1)
    held = WorkshopFactory(
        title="Already held",
        status="held",
        starts_at=timezone.now() - timedelta(days=7),
    )
    past = Registration.objects.create(
        workshop=held, member=activist, stakeholder_group=NGO, seat_group=NGO, status=CONFIRMED
    )
    seat = register(room, activist)
    next_in_line = member_of(NGO)
    waiting = register(room, next_in_line)
    register(full, member_of(GOV))
    register(full, activist)
    assert waiting.status == WAITING and seat.status == CONFIRMED
    change = services.member_organisation_set(member=activist, organisation=ministry)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_change_approve(change=change, by=secretariat)

    activist.refresh_from_db()
    assert activist.organisation == ministry
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == secretariat
    # The old seats are released; the next person waiting in the old group takes them.
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert seat.status == CANCELLED
    assert waiting.status == CONFIRMED and waiting.seat_group == NGO
    assert any("is now yours" in m.subject for m in mail_to(next_in_line))
    # The member is in the new group: a seat where one is free, else its waiting list.
    now_room = Registration.objects.get(workshop=room, member=activist, status=CONFIRMED)
    assert now_room.stakeholder_group == GOV and now_room.seat_group == GOV
    assert now_room.organisation == ministry
    now_full = Registration.objects.get(workshop=full, member=activist, status=WAITING)
    assert now_full.stakeholder_group == GOV
    subjects = [m.subject for m in mail_to(activist)]
    approval = next(m for m in mail_to(activist) if "was approved" in m.subject)
    assert "you now take part for Ministry of Digital Governance" in approval.body
    assert "moved to that group's seats or waiting list" in approval.body
    assert any(
        "change of organisation to Ministry of Digital Governance was approved" in s
        for s in subjects
    )
    assert any("Your seat at Room to spare is confirmed" in s for s in subjects)
    assert any("waiting list" in s and "Full house" in s for s in subjects)
    # A workshop already held keeps the place as it was.
    past.refresh_from_db()
    assert past.status == CONFIRMED and past.stakeholder_group == NGO
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "organisation_change.approved",
        "registration.cancelled",
        "registration.created",
        "registration.promoted",
    } <= actions


def test_a_move_within_the_group_keeps_the_seats_to_come_for_the_new_organisation(
    activist, secretariat
):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    seat = register(workshop, activist)
    other_ngo = OrganisationFactory(name="Open Knowledge", sector=activist.organisation.sector)
    change = services.member_organisation_set(member=activist, organisation=other_ngo)

    services.organisation_change_approve(change=change, by=secretariat)

    seat.refresh_from_db()
    assert seat.status == CONFIRMED and seat.stakeholder_group == NGO
    assert seat.organisation == other_ngo
    assert AuditEntry.objects.filter(action="registration.organisation").exists()


def test_declining_changes_nothing_and_tells_the_member_why(
    client, activist, ministry, secretariat, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    seat = register(workshop, activist)
    change = services.member_organisation_set(member=activist, organisation=ministry)
    mail.outbox.clear()

    with pytest.raises(OrganisationChangeError):
        services.organisation_change_decline(change=change, reason="  ", by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_change_decline(
            change=change, reason="The ministry did not confirm you work there.", by=secretariat
        )

    activist.refresh_from_db()
    seat.refresh_from_db()
    assert activist.organisation.name == "Transparency Watch"
    assert seat.status == CONFIRMED and seat.stakeholder_group == NGO
    [message] = mail_to(activist)
    assert "was declined" in message.subject
    assert "The ministry did not confirm you work there." in message.body
    client.force_login(activist)
    page = client.get(reverse("members:profile")).content.decode()
    assert "The ministry did not confirm you work there." in page
    assert AuditEntry.objects.filter(action="organisation_change.declined").exists()
    with pytest.raises(OrganisationChangeError):  # decided once
        services.organisation_change_approve(change=change, by=secretariat)


def test_a_plain_member_cannot_decide(client, activist, ministry):
    change = services.member_organisation_set(member=activist, organisation=ministry)
    plain = UserFactory()

    with pytest.raises(NotAllowed):
        services.organisation_change_approve(change=change, by=plain)
    with pytest.raises(NotAllowed):
        services.organisation_change_approve(change=change, by=activist)
    client.force_login(plain)
    forum = default_forum()
    response = client.post(
        reverse("manage:organisation_change_decide", args=[forum.slug, change.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"
    activist.refresh_from_db()
    assert activist.organisation != ministry


def test_a_secretariat_member_does_not_decide_their_own_change(ministry, secretariat):
    change = services.member_organisation_set(member=secretariat, organisation=ministry)

    with pytest.raises(NotAllowed):
        services.organisation_change_approve(change=change, by=secretariat)
    change.refresh_from_db()
    assert change.status == "pending"
    colleague = UserFactory()
    role_give(colleague, "secretariat")
    services.organisation_change_approve(change=change, by=colleague)
    secretariat.refresh_from_db()
    assert secretariat.organisation == ministry


# --- What was done before keeps its organisation --------------------------------------------


def test_a_contribution_made_before_keeps_its_old_organisation_and_group(
    client, activist, ministry, secretariat
):
    workshop = WorkshopFactory(
        status="held", starts_at=timezone.now() - timedelta(hours=5), title="Open budgets"
    )
    Registration.objects.create(
        workshop=workshop,
        member=activist,
        stakeholder_group=NGO,
        seat_group=NGO,
        status=CONFIRMED,
        attendance="attended",
    )
    contribution = contribution_post(
        workshop=workshop, author=activist, kind="idea", title="Publish budgets", text="Monthly."
    )
    Contribution.objects.filter(pk=contribution.pk).update(status="published")
    contribution_support(contribution=contribution, member=activist)
    contribution_comment(contribution=contribution, author=activist, text="And spending too.")
    change = services.member_organisation_set(member=activist, organisation=ministry)
    services.organisation_change_approve(change=change, by=secretariat)

    contribution.refresh_from_db()
    assert contribution.organisation.name == "Transparency Watch"
    assert contribution.stakeholder_group == NGO
    board = client.get(reverse("cocreation:contribution_board", args=[workshop.pk]))
    text = board.content.decode()
    assert "Ana Activist, Transparency Watch" in text
    assert "Ministry of Digital Governance" not in text
    figures = participation(forum=default_forum())
    assert figures.by_group[NGO].contributions == 1
    assert figures.by_group[NGO].supports == 1 and figures.by_group[NGO].comments == 1
    assert figures.by_group[NGO].attended == 1
    assert figures.by_group.get(GOV) is None or figures.by_group[GOV].contributions == 0


def test_a_progress_report_keeps_the_organisation_it_was_made_for(client, ministry, secretariat):
    official = UserFactory(organisation=ministry)
    milestone = MilestoneFactory(commitment=CommitmentFactory(lead_agency=ministry))
    milestone_progress_update(milestone=milestone, data={"completion": "substantial"}, by=official)
    agency = OrganisationFactory(name="Open Data Agency", sector=ministry.sector)
    change = services.member_organisation_set(member=official, organisation=agency)
    services.organisation_change_approve(change=change, by=secretariat)

    milestone.refresh_from_db()
    assert milestone.progress_organisation == ministry


# --- The back office ---------------------------------------------------------------------------


def test_the_back_office_lists_the_change_and_decides_it(client, activist, ministry, secretariat):
    forum = default_forum()
    change = services.member_organisation_set(member=activist, organisation=ministry)
    client.force_login(secretariat)
    page_url = reverse("manage:organisations", args=[forum.slug])
    decide_url = reverse("manage:organisation_change_decide", args=[forum.slug, change.pk])

    page = client.get(page_url).content.decode()
    assert "Changes of organisation" in page
    assert "Ana Activist" in page and "Ministry of Digital Governance" in page
    assert "changes stakeholder group" in page

    refused = client.post(decide_url, {"decision": "decline", "reason": ""}, follow=True)
    assert "Give the reason: the member receives it." in refused.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"

    done = client.post(decide_url, {"decision": "approve"}, follow=True)
    assert "now takes part for Ministry of Digital Governance" in done.content.decode()
    activist.refresh_from_db()
    assert activist.organisation == ministry
    assert "No change of organisation is waiting." in done.content.decode()


def test_another_forums_secretariat_decides_from_its_own_back_office(client, activist, ministry):
    city = ForumFactory(slug="pancevo")
    elsewhere = UserFactory()
    role_give(elsewhere, "secretariat", city)
    change = services.member_organisation_set(member=activist, organisation=ministry)
    client.force_login(elsewhere)

    wrong = client.post(
        reverse("manage:organisation_change_decide", args=[default_forum().slug, change.pk]),
        {"decision": "approve"},
    )
    assert wrong.status_code == 403
    client.post(
        reverse("manage:organisation_change_decide", args=[city.slug, change.pk]),
        {"decision": "decline", "reason": "Not confirmed."},
    )
    change.refresh_from_db()
    assert change.status == "declined"


def test_an_unknown_change_is_not_found(client, secretariat):
    client.force_login(secretariat)
    forum = default_forum()
    response = client.post(
        reverse("manage:organisation_change_decide", args=[forum.slug, 999999]),
        {"decision": "approve"},
    )
    assert response.status_code == 404


def test_the_queue_of_changes_costs_the_same_queries_for_1_and_3(client, ministry, secretariat):
    forum = default_forum()
    page_url = reverse("manage:organisations", args=[forum.slug])
    client.force_login(secretariat)
    services.member_organisation_set(member=UserFactory(), organisation=ministry)
    client.get(page_url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url).status_code == 200
        return len(queries)

    one = count()
    for _ in range(2):
        services.member_organisation_set(member=UserFactory(), organisation=ministry)
    assert count() == one
