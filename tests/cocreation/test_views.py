from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from cocreation.models import OutreachAttachment, Registration, Workshop
from cocreation.services import waiting_position, workshop_register, workshop_reschedule
from members.models import StakeholderGroup
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

GOV = StakeholderGroup.GOVERNMENT
NGO = StakeholderGroup.NON_GOVERNMENT


def test_the_list_shows_published_workshops_with_free_seats_per_group(client):
    WorkshopFactory(title="Open data and access to information", government_quota=3)
    WorkshopFactory(title="A draft nobody may see", status=Workshop.Status.DRAFT)

    html = client.get(reverse("cocreation:index")).content.decode()

    assert "Open data and access to information" in html
    assert "A draft nobody may see" not in html
    assert "Free seats: 3 government, 2 non-government" in html


def test_the_list_costs_the_same_queries_for_few_and_many(client, django_assert_max_num_queries):
    WorkshopFactory()
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("cocreation:index"))
    WorkshopFactory.create_batch(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cocreation:index"))


def test_filters_narrow_the_list(client):
    upcoming = WorkshopFactory(title="Upcoming one")
    WorkshopFactory(title="Other process")

    html = client.get(
        reverse("cocreation:index"), {"process": upcoming.process_id}
    ).content.decode()

    assert "Upcoming one" in html
    assert "Other process" not in html


def test_seats_for_my_group_hides_workshops_full_for_my_group(client):
    full = WorkshopFactory(title="Full for government", government_quota=1)
    RegistrationFactory(workshop=full, group=GOV)
    WorkshopFactory(title="Room for government")
    client.force_login(member_of(GOV))

    html = client.get(reverse("cocreation:index"), {"seats_for_me": "on"}).content.decode()

    assert "Room for government" in html
    assert "Full for government" not in html


def test_a_member_registers_and_sees_the_seat_and_the_online_link(client):
    workshop = WorkshopFactory(online_link="https://meet.example.org/ogp")
    member = member_of(NGO)
    client.force_login(member)
    before = client.get(workshop.get_absolute_url()).content.decode()
    assert "https://meet.example.org/ogp" not in before

    response = client.post(
        reverse("cocreation:workshop_register", args=[workshop.pk]),
        {"accessibility_needs": "Step-free access", "agrees_to_be_named": "on"},
        follow=True,
    )

    html = response.content.decode()
    assert "Your seat is confirmed." in html
    assert "You have a seat at this workshop." in html
    assert "https://meet.example.org/ogp" in html
    registration = Registration.objects.get(member=member)
    assert registration.accessibility_needs == "Step-free access"
    assert registration.agrees_to_be_named


def test_a_full_group_puts_the_member_on_the_waiting_list_with_a_number(client):
    workshop = WorkshopFactory(government_quota=1)
    RegistrationFactory(workshop=workshop, group=GOV)
    client.force_login(member_of(GOV))

    response = client.post(reverse("cocreation:workshop_register", args=[workshop.pk]), follow=True)

    assert "you are number 1 on the waiting list" in response.content.decode()
    assert "You are number 1 on your group" in response.content.decode()


@pytest.mark.parametrize("ahead", [0, 1, 5])
def test_registering_costs_the_same_eleven_queries_for_a_seat_or_a_waiting_place(
    client, django_assert_num_queries, ahead
):
    # The registration storm (benchmarks/storm.py) sends 100 a second. The session, the
    # member, the workshop; what the registration reads about the member, and whether the
    # secretariat wrote its own texts of the notices (none here: no texts to read), in one
    # query; then, in the transaction (a savepoint here), the workshop's lock, one count of
    # its places, the place, its audit entry and its notification.
    workshop = WorkshopFactory(government_quota=1)
    for _ in range(ahead):
        workshop_register(workshop=workshop, member=member_of(GOV))
    member = member_of(GOV)
    client.force_login(member)
    url = reverse("cocreation:workshop_register", args=[workshop.pk])
    # A running process has the content types of the audit entry and the notification
    # cached after its first registration.
    ContentType.objects.get_for_models(Registration, Workshop)

    with django_assert_num_queries(11):
        response = client.post(url, {"agrees_to_be_named": "on"})

    assert response.status_code == 302
    registration = Registration.objects.get(workshop=workshop, member=member)
    if ahead:
        assert registration.status == Registration.Status.WAITING
        assert waiting_position(registration) == ahead
    else:
        assert registration.status == Registration.Status.CONFIRMED
        assert registration.seat_group == GOV


def test_a_refused_registration_keeps_the_answers_and_says_why(client):
    workshop = WorkshopFactory()
    member = member_of(NGO)
    client.force_login(member)
    url = reverse("cocreation:workshop_register", args=[workshop.pk])
    client.post(url)

    response = client.post(url, {"accessibility_needs": "Captions, please"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "already registered" in html


def test_cancelling_from_the_page_frees_the_seat(client):
    workshop = WorkshopFactory()
    member = member_of(NGO)
    client.force_login(member)
    client.post(reverse("cocreation:workshop_register", args=[workshop.pk]))

    response = client.post(
        reverse("cocreation:registration_cancel", args=[workshop.pk]), follow=True
    )

    assert "Your registration is cancelled." in response.content.decode()
    assert Registration.objects.get(member=member).status == Registration.Status.CANCELLED


def test_anonymous_visitors_are_asked_to_log_in_to_register(client):
    workshop = WorkshopFactory()

    page = client.get(workshop.get_absolute_url()).content.decode()
    response = client.post(reverse("cocreation:workshop_register", args=[workshop.pk]))

    assert "Log in to register." in page
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_drafts_are_not_found(client):
    workshop = WorkshopFactory(status=Workshop.Status.DRAFT)
    client.force_login(UserFactory())

    assert client.get(workshop.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("cocreation:workshop_register", args=[workshop.pk])).status_code == 404
    )


def test_the_page_shows_times_in_the_workshops_own_zone_and_a_reschedule_notice(client):
    start = datetime(2027, 6, 1, 13, 0, tzinfo=UTC)
    workshop = WorkshopFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    workshop_reschedule(
        workshop=workshop,
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=3),
        by=UserFactory(roles=["secretariat"]),
    )

    html = client.get(workshop.get_absolute_url()).content.decode()
    listing = client.get(reverse("cocreation:index")).content.decode()

    assert "June 1, 2027, 5 p.m. EEST" in html
    assert "June 1, 2027, 5 p.m. EEST" in listing
    assert "Rescheduled on" in html


def test_the_outreach_kit_is_listed_and_downloads(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    workshop = WorkshopFactory()
    item = OutreachAttachment(workshop=workshop, title="Invitation letter")
    item.file.save("invitation.pdf", ContentFile(b"%PDF-1.4 invitation"))

    page = client.get(workshop.get_absolute_url()).content.decode()
    response = client.get(item.get_absolute_url())

    assert "Invitation letter" in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 invitation"
    assert 'filename="invitation.pdf"' in response["Content-Disposition"]


def test_a_moderator_sees_the_moderation_link(client):
    facilitator = member_of(NGO)
    WorkshopFactory().facilitators.add(facilitator)

    assert "Moderation" not in client.get("/").content.decode()
    client.force_login(facilitator)
    assert 'href="/workshops/moderation/"' in client.get("/").content.decode()
