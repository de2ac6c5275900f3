"""Members and organisations in the back office (/manage/<forum>/organisations/): the
membership queue, new organisations, verify, sector, merge a duplicate, and the member's
answer to the secretariat's question."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit.models import AuditEntry
from core.errors import NotAllowed
from members import services
from members.models import ForumSeat, MembershipStatus, Organisation, StakeholderGroup
from tests.factories import (
    CommitmentFactory,
    ForumFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
    seat_give,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo", country="RS")


@pytest.fixture
def secretariat(city):
    member = UserFactory()
    role_give(member, "secretariat", city)
    return member


def url(name, forum, *args):
    return reverse(f"manage:{name}", args=[forum.slug, *args])


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("member", 403),
        ("facilitator", 403),
        ("other forum's secretariat", 403),  # at its own forum's address instead
        ("secretariat", 200),
        ("superuser", 200),
    ],
)
def test_the_forums_secretariat_opens_the_organisations_page(client, city, kind, expected):
    user = UserFactory(is_superuser=kind == "superuser")
    if kind == "facilitator":
        role_give(user, "facilitator", city)
    elif kind == "other forum's secretariat":
        role_give(user, "secretariat")
    elif kind == "secretariat":
        role_give(user, "secretariat", city)
    client.force_login(user)
    assert client.get(url("organisations", city)).status_code == expected


def test_members_are_portal_wide_so_each_secretariat_decides_from_its_own_back_office(client, city):
    applicant = UserFactory(membership_status="pending")
    other = ForumFactory(name="National forum", slug="national")
    elsewhere = UserFactory()
    role_give(elsewhere, "secretariat", other)
    client.force_login(elsewhere)

    page = client.get(url("organisations", other))

    assert page.status_code == 200 and applicant.email in page.text


def test_an_unknown_forum_is_not_found_and_anonymous_visitors_log_in(client, secretariat):
    response = client.get("/manage/pancevo/organisations/")
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(secretariat)
    assert client.get("/manage/no-such-forum/organisations/").status_code == 404


def test_a_plain_member_cannot_verify(client, city):
    organisation = OrganisationFactory(verified=False)
    client.force_login(UserFactory())

    assert client.post(url("organisation_verify", city, organisation.pk)).status_code == 403
    organisation.refresh_from_db()
    assert not organisation.verified


def test_the_queue_shows_waiting_members_with_new_organisations_flagged(client, city, secretariat):
    proposed = OrganisationFactory(name="Brand New NGO", verified=False)
    UserFactory(full_name="Waiting Person", membership_status="pending", organisation=proposed)
    UserFactory(full_name="Approved Person")
    client.force_login(secretariat)

    page = client.get(url("organisations", city)).content.decode()

    assert "Waiting Person" in page and "Approved Person" not in page
    assert "Brand New NGO" in page and ">new<" in page


def test_the_queue_decides_from_the_back_office(client, city, secretariat):
    waiting = UserFactory(membership_status="pending")
    client.force_login(secretariat)

    response = client.post(
        url("membership_decide", city, waiting.pk), {"decision": "approve"}, follow=True
    )

    waiting.refresh_from_db()
    assert waiting.membership_status == MembershipStatus.APPROVED
    assert "is approved and has been told" in response.content.decode()


def test_asking_without_a_question_is_refused(client, city, secretariat):
    waiting = UserFactory(membership_status="pending")
    client.force_login(secretariat)

    response = client.post(
        url("membership_decide", city, waiting.pk), {"decision": "ask", "note": " "}, follow=True
    )

    waiting.refresh_from_db()
    assert waiting.membership_status == MembershipStatus.PENDING
    assert "Write the question for the member." in response.content.decode()


def test_the_organisations_page_costs_the_same_queries_for_1_and_3(client, city, secretariat):
    client.force_login(secretariat)
    UserFactory(membership_status="pending", organisation=OrganisationFactory(verified=False))
    client.get(url("organisations", city))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("organisations", city)).status_code == 200
        return len(queries)

    one = count()
    for _ in range(2):
        UserFactory(membership_status="pending", organisation=OrganisationFactory(verified=False))
    assert count() == one


def test_organisations_are_searched_and_new_ones_filtered(client, city, secretariat):
    OrganisationFactory(name="Transparency Serbia", verified=True)
    OrganisationFactory(name="Transparency Watch", verified=False)
    OrganisationFactory(name="Ministry of Finance", verified=True)
    client.force_login(secretariat)

    page = client.get(url("organisations", city), {"q": "transparency"}).content.decode()
    assert "Transparency Serbia" in page and "Transparency Watch" in page
    assert "Ministry of Finance" not in page

    page = client.get(url("organisations", city), {"q": "transp", "new": "on"}).content.decode()
    assert "Transparency Watch" in page and "Transparency Serbia" not in page


def test_an_organisation_is_verified(client, city, secretariat):
    organisation = OrganisationFactory(name="Brand New NGO", verified=False)
    client.force_login(secretariat)

    response = client.post(
        url("organisation_verify", city, organisation.pk),
        {"sector": organisation.sector_id},
        follow=True,
    )

    organisation.refresh_from_db()
    assert organisation.verified
    assert "Brand New NGO is verified." in response.content.decode()
    assert AuditEntry.objects.filter(action="organisation.verify").exists()


def test_the_sector_is_edited_and_a_bad_choice_is_shown_beside_the_field(client, city, secretariat):
    organisation = OrganisationFactory()
    other = SectorFactory(slug="academia", name="Academia")
    client.force_login(secretariat)
    assert client.get(url("organisation_edit", city, organisation.pk)).status_code == 200

    response = client.post(url("organisation_edit", city, organisation.pk), {"sector": 999999})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()

    response = client.post(url("organisation_edit", city, organisation.pk), {"sector": other.pk})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.sector == other
    assert AuditEntry.objects.filter(action="organisation.sector").exists()


def test_an_organisation_with_seats_does_not_change_group(client, city, secretariat):
    member = UserFactory()
    seat_give(member, forum=city)
    ministries = SectorFactory(
        slug="ministries", name="Ministries", stakeholder_group=StakeholderGroup.GOVERNMENT
    )
    client.force_login(secretariat)

    response = client.post(
        url("organisation_edit", city, member.organisation.pk), {"sector": ministries.pk}
    )

    assert response.status_code == 400
    assert "holds seats" in response.content.decode()


def test_a_malformed_or_unknown_organisation_is_not_found(client, city, secretariat):
    client.force_login(secretariat)
    assert client.get(url("organisation_edit", city, 999999)).status_code == 404
    assert client.get(f"/manage/{city.slug}/organisations/x/").status_code == 404


def test_a_duplicate_is_merged_after_confirmation(client, city, secretariat):
    into = OrganisationFactory(name="Transparency Serbia", verified=True)
    duplicate = OrganisationFactory(name="Transparency Srbija", verified=False)
    member = UserFactory(organisation=duplicate)
    seat = seat_give(member, forum=city)
    workshop = WorkshopFactory()
    workshop.facilitating_organisations.add(duplicate)
    commitment = CommitmentFactory(lead_agency=duplicate)
    client.force_login(secretariat)

    # First the choice, then the confirmation page: nothing moves yet.
    response = client.post(url("organisation_merge", city, duplicate.pk), {"into": into.pk})
    assert response.status_code == 200
    assert "Yes, merge and delete the duplicate" in response.content.decode()
    assert Organisation.objects.filter(pk=duplicate.pk).exists()

    response = client.post(
        url("organisation_merge", city, duplicate.pk),
        {"into": into.pk, "confirm": "on"},
        follow=True,
    )

    assert "is merged into Transparency Serbia" in response.content.decode()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    member.refresh_from_db()
    seat.refresh_from_db()
    commitment.refresh_from_db()
    assert member.organisation == into and seat.organisation == into
    assert commitment.lead_agency == into
    assert list(workshop.facilitating_organisations.all()) == [into]
    entry = AuditEntry.objects.get(action="organisation.merge")
    assert entry.data["duplicate"] == "Transparency Srbija"


def test_an_organisation_is_not_merged_into_itself(client, city, secretariat):
    organisation = OrganisationFactory()
    client.force_login(secretariat)

    response = client.post(
        url("organisation_merge", city, organisation.pk),
        {"into": organisation.pk, "confirm": "on"},
    )

    assert response.status_code == 400
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_the_merge_service_checks_its_permission():
    with pytest.raises(NotAllowed):
        services.organisation_merge(
            duplicate=OrganisationFactory(), into=OrganisationFactory(), by=UserFactory()
        )


# --- The member answers the secretariat's question -------------------------------------------


def test_the_member_reads_the_question_and_answers_it(client, city, secretariat):
    member = UserFactory(membership_status="pending", full_name="Asked Person")
    services.membership_request_information(
        member=member, question="Which organisation do you work for?", by=secretariat
    )
    client.force_login(member)
    assert (
        reverse("members:membership_reply")
        in client.get(reverse("members:my_forum")).content.decode()
    )

    page = client.get(reverse("members:membership_reply")).content.decode()
    assert "Which organisation do you work for?" in page

    response = client.post(
        reverse("members:membership_reply"), {"reply": "The city's youth office."}, follow=True
    )

    assert "Your answer is sent" in response.content.decode()
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.PENDING
    assert AuditEntry.objects.filter(action="membership.reply", about_id=str(member.pk)).exists()

    client.force_login(secretariat)
    queue = client.get(url("organisations", city)).content.decode()
    assert "Asked Person" in queue
    assert "The city&#x27;s youth office." in queue


def test_an_empty_answer_is_shown_beside_the_field(client, secretariat):
    member = UserFactory(membership_status="pending")
    services.membership_request_information(member=member, question="Who?", by=secretariat)
    client.force_login(member)

    response = client.post(reverse("members:membership_reply"), {"reply": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.INFORMATION_REQUESTED


def test_a_member_who_was_not_asked_cannot_answer(client):
    member = UserFactory(membership_status="approved")
    client.force_login(member)

    assert (
        "has not asked you anything"
        in client.get(reverse("members:membership_reply")).content.decode()
    )
    client.post(reverse("members:membership_reply"), {"reply": "Hello"})
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.APPROVED
    assert not ForumSeat.objects.exists()


def test_the_question_e_mail_links_the_answer_page(secretariat, django_capture_on_commit_callbacks):
    member = UserFactory(membership_status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request_information(member=member, question="Who?", by=secretariat)

    body = "".join(message.body for message in mail.outbox if member.email in message.to)
    assert "Who?" in body
    assert reverse("members:membership_reply") in body


def test_the_old_queue_shows_the_answer_too(client, secretariat):
    member = UserFactory(membership_status="pending")
    services.membership_request_information(member=member, question="Who?", by=secretariat)
    services.membership_reply(member=member, reply="A journalist at Kathimerini.")
    client.force_login(secretariat)

    page = client.get(reverse("members:membership_queue")).content.decode()

    assert "A journalist at Kathimerini." in page


def test_paging_the_organisations_keeps_the_search_and_the_queues_place(client, city, secretariat):
    for n in range(30):
        OrganisationFactory(name=f"Open Data Lab {n:02d}")
    client.force_login(secretariat)

    page = client.get(url("organisations", city), {"q": "Open Data Lab", "queue": "1"}).text

    assert 'href="?q=Open+Data+Lab&amp;queue=1&amp;page=2"' in page
