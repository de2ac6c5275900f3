"""What a member meets on the public workshop pages: upcoming workshops first, the seat (or
waiting-list number) registering would give, a confirmation before cancelling, a reschedule
notice with the new end and their waiting-list number, and online workshops never called
hybrid."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cocreation import services
from cocreation.models import Registration
from members.models import StakeholderGroup
from tests.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_of

pytestmark = pytest.mark.django_db

GOV = StakeholderGroup.GOVERNMENT
NGO = StakeholderGroup.NON_GOVERNMENT


def test_the_list_shows_upcoming_workshops_soonest_first_then_past_ones(client):
    now = timezone.now()
    for title, days in [("Later", 20), ("Long ago", -60), ("Soon", 2), ("Last week", -7)]:
        WorkshopFactory(title=title, starts_at=now + timedelta(days=days))

    response = client.get(reverse("cocreation:index"))

    titles = [workshop.title for workshop in response.context["page"]]
    assert titles == ["Soon", "Later", "Last week", "Long ago"]


def test_the_upcoming_filter_keeps_the_soonest_first(client):
    now = timezone.now()
    WorkshopFactory(title="Later", starts_at=now + timedelta(days=20))
    WorkshopFactory(title="Soon", starts_at=now + timedelta(days=2))
    WorkshopFactory(title="Past", starts_at=now - timedelta(days=2))

    response = client.get(reverse("cocreation:index"), {"when": "upcoming"})

    assert [workshop.title for workshop in response.context["page"]] == ["Soon", "Later"]


def test_a_member_is_told_which_groups_seat_they_would_get(client):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    official = member_of(GOV)
    client.force_login(official)

    page = client.get(workshop.get_absolute_url()).content.decode()

    assert "You would take a seat of your stakeholder group, Government." in page
    assert ">Register</button>" in page
    assert "Join the waiting list" not in page


def test_when_the_group_is_full_the_member_is_offered_the_waiting_list_with_a_number(client):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    RegistrationFactory(workshop=workshop, group=GOV)
    RegistrationFactory(workshop=workshop, group=GOV, status="waiting", seat_group="")
    official = member_of(GOV)
    client.force_login(official)

    page = client.get(workshop.get_absolute_url()).content.decode()

    assert "The seats of your stakeholder group, Government, are all taken." in page
    assert "you would be number 2" in page
    assert ">Join the waiting list</button>" in page
    assert ">Register</button>" not in page

    client.post(reverse("cocreation:workshop_register", args=[workshop.pk]))
    registration = Registration.objects.get(member=official)
    assert registration.status == "waiting" and services.waiting_position(registration) == 2


def test_the_other_groups_full_seats_do_not_stop_a_member(client):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    RegistrationFactory(workshop=workshop, group=GOV)
    client.force_login(member_of(NGO))

    page = client.get(workshop.get_absolute_url()).content.decode()

    assert "You would take a seat of your stakeholder group, Non-government." in page


def test_seats_kept_for_first_timers_mean_waiting_for_someone_who_came_before(client):
    past = WorkshopFactory(starts_at=timezone.now() - timedelta(days=30))
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1, first_time_seats=2)
    veteran = member_of(GOV)
    RegistrationFactory(workshop=past, member=veteran, group=GOV, attendance="attended")
    client.force_login(veteran)

    page = client.get(workshop.get_absolute_url()).content.decode()

    assert ">Join the waiting list</button>" in page


def test_cancelling_a_seat_asks_for_confirmation_first(client):
    registration = RegistrationFactory(workshop=WorkshopFactory(), group=GOV)
    client.force_login(registration.member)
    url = registration.workshop.get_absolute_url()

    page = client.get(url).content.decode()

    details = page[page.index('<details class="confirm-cancel">') :]
    details = details[: details.index("</details>")]
    assert "<summary>Cancel my seat</summary>" in details
    assert "goes at once to the first person waiting" in details
    assert ">Yes, cancel my seat</button>" in details
    client.post(reverse("cocreation:registration_cancel", args=[registration.workshop_id]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_cancelling_is_post_only(client):
    registration = RegistrationFactory(workshop=WorkshopFactory(), group=GOV)
    client.force_login(registration.member)

    response = client.get(
        reverse("cocreation:registration_cancel", args=[registration.workshop_id])
    )

    assert response.status_code == 405
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_leaving_the_waiting_list_names_the_place_given_up(client):
    workshop = WorkshopFactory(government_quota=1, non_government_quota=1)
    RegistrationFactory(workshop=workshop, group=GOV)
    waiting = RegistrationFactory(workshop=workshop, group=GOV, status="waiting", seat_group="")
    client.force_login(waiting.member)

    page = client.get(workshop.get_absolute_url()).content.decode()

    assert "<summary>Leave the waiting list</summary>" in page
    assert "You give up number 1 on the waiting list" in page


@pytest.mark.django_db(transaction=True)
def test_a_reschedule_notice_gives_the_new_end_and_the_waiting_number():
    start = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)
    workshop = WorkshopFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        government_quota=1,
        non_government_quota=1,
        time_zone="Europe/Athens",
    )
    seated = RegistrationFactory(workshop=workshop, group=GOV)
    first = RegistrationFactory(workshop=workshop, group=GOV, status="waiting", seat_group="")
    second = RegistrationFactory(workshop=workshop, group=GOV, status="waiting", seat_group="")

    services.workshop_reschedule(
        workshop=workshop,
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=3),
        by=UserFactory(roles=["secretariat"]),
    )

    def body(registration):
        (message,) = [m for m in mail.outbox if m.to == [registration.member.email]]
        return message.body

    assert "Ends: March 11, 2027, 7 p.m. EET" in body(seated)
    assert "Your registration stays valid" in body(seated)
    assert "waiting list, at number 1" in body(first)
    assert "waiting list, at number 2" in body(second)
    assert "Ends: March 11, 2027, 7 p.m. EET" in body(second)


@pytest.mark.parametrize(
    ("venue", "link", "listed", "detail"),
    [
        ("", "https://meet.example.org/x", "Online", "Online only"),
        ("   ", "https://meet.example.org/x", "Online", "Online only"),
        ("City hall", "https://meet.example.org/x", "Hybrid", "Hybrid: in person and online"),
        ("City hall", "", "City hall", "In person"),
    ],
)
def test_an_online_only_workshop_is_never_called_hybrid(client, venue, link, listed, detail):
    workshop = WorkshopFactory(title="The meeting", venue=venue, online_link=link)

    listing = client.get(reverse("cocreation:index")).content.decode()
    page = client.get(workshop.get_absolute_url()).content.decode()

    assert f"· {listed}" in listing
    assert f"<dd>{detail}</dd>" in page
    if listed == "Online":
        assert "Hybrid" not in listing and "Hybrid" not in page
