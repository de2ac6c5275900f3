"""The forum's body and roles in its back office (/manage/<forum>/body/): seats, the co-chair
replaced in one step, the secretariat and facilitators."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.audit.models import AuditEntry
from core.errors import NotAllowed
from members import services
from members.models import ForumRole, ForumSeat, StakeholderGroup
from tests.factories import (
    ForumFactory,
    OrganisationFactory,
    SectorFactory,
    UserFactory,
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


def government_member(**fields):
    sector = SectorFactory(
        slug="ministries", name="Ministries", stakeholder_group=StakeholderGroup.GOVERNMENT
    )
    return UserFactory(organisation=OrganisationFactory(sector=sector), **fields)


def civil_member(**fields):
    return UserFactory(**fields)  # the factories' sector is non-government


def url(name, forum, *args):
    return reverse(f"manage:{name}", args=[forum.slug, *args])


# --- Who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("member", 403),
        ("facilitator", 403),
        ("other forum's secretariat", 403),
        ("secretariat", 200),
        ("superuser", 200),
    ],
)
def test_only_the_forums_secretariat_opens_the_body_page(client, city, kind, expected):
    user = UserFactory(is_superuser=kind == "superuser")
    if kind == "facilitator":
        role_give(user, "facilitator", city)
    elif kind == "other forum's secretariat":
        role_give(user, "secretariat")  # the default forum's
    elif kind == "secretariat":
        role_give(user, "secretariat", city)
    client.force_login(user)
    assert client.get(url("body", city)).status_code == expected


def test_anonymous_visitors_are_sent_to_log_in(client, city):
    response = client.get(url("body", city))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_forums_secretariat_cannot_add_a_seat(client, city):
    other = UserFactory()
    role_give(other, "secretariat")
    client.force_login(other)
    member = civil_member()

    response = client.post(
        url("body_seat_add", city), {"member": member.email, "term_start": "2026-01-01"}
    )

    assert response.status_code == 403
    assert not ForumSeat.objects.filter(member=member).exists()


def test_the_service_refuses_someone_who_does_not_run_the_forum(city):
    with pytest.raises(NotAllowed):
        services.seat_add(
            forum=city,
            member=civil_member(),
            term_start=timezone.localdate(),
            by=UserFactory(),
        )


# --- Seats ------------------------------------------------------------------------------


def test_the_page_lists_the_forums_seats_only(client, city, secretariat):
    sitting = civil_member(full_name="Jelena Sits")
    seat_give(sitting, forum=city, co_chair=True)
    seat_give(civil_member(full_name="Elsewhere Person"))  # the default forum's body
    client.force_login(secretariat)

    page = client.get(url("body", city)).content.decode()

    assert "Jelena Sits" in page and "co-chair" in page
    assert "Elsewhere Person" not in page
    assert url("body_seat_add", city) in page
    assert url("body_co_chair_replace", city) in page


def test_the_body_page_costs_the_same_queries_for_1_and_3_seats(client, city, secretariat):
    client.force_login(secretariat)
    seat_give(civil_member(), forum=city, alternate=civil_member())
    role_give(UserFactory(), "facilitator", city)
    client.get(url("body", city))  # warm caches (sessions, content types)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("body", city)).status_code == 200
        return len(queries)

    one = count()
    for _ in range(2):
        seat_give(civil_member(), forum=city, alternate=civil_member())
        role_give(UserFactory(), "facilitator", city)
    # the header's cached facts, dropped by these changes, are kept again
    client.get(url("body", city))
    assert count() == one


def test_a_seat_is_added_by_e_mail_for_the_members_organisation(client, city, secretariat):
    member = government_member(email="minister@example.org")
    alternate = government_member()
    client.force_login(secretariat)

    response = client.post(
        url("body_seat_add", city),
        {
            "member": "Minister@Example.org",
            "term_start": "2026-01-01",
            "term_end": "2027-12-31",
            "alternate": alternate.email,
            "voting": "on",
        },
        follow=True,
    )

    seat = ForumSeat.objects.get(forum=city, member=member)
    assert seat.organisation == member.organisation
    assert seat.stakeholder_group == StakeholderGroup.GOVERNMENT
    assert seat.alternate == alternate and seat.voting and not seat.co_chair
    assert str(seat.term_end) == "2027-12-31"
    assert "has a seat on the forum" in response.content.decode()
    assert AuditEntry.objects.filter(action="seat.add", about_id=str(seat.pk)).exists()


def test_an_unknown_e_mail_is_shown_beside_the_field(client, city, secretariat):
    client.force_login(secretariat)

    response = client.post(
        url("body_seat_add", city), {"member": "nobody@example.org", "term_start": "2026-01-01"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "No member has this e-mail address: nobody@example.org." in page
    assert 'value="nobody@example.org"' in page  # the form keeps what was typed
    assert not ForumSeat.objects.filter(forum=city).exists()


def test_a_term_that_ends_before_it_starts_is_refused(client, city, secretariat):
    member = civil_member()
    client.force_login(secretariat)

    response = client.post(
        url("body_seat_add", city),
        {"member": member.email, "term_start": "2026-06-01", "term_end": "2026-01-01"},
    )

    assert response.status_code == 400
    assert "The term cannot end before it starts." in response.content.decode()


def test_a_second_co_chair_of_a_group_is_refused_beside_the_box(client, city, secretariat):
    seat_give(civil_member(), forum=city, co_chair=True)
    newcomer = civil_member()
    client.force_login(secretariat)

    response = client.post(
        url("body_seat_add", city),
        {"member": newcomer.email, "term_start": "2026-01-01", "co_chair": "on"},
    )

    assert response.status_code == 400
    assert "already has a co-chair" in response.content.decode()
    assert not ForumSeat.objects.filter(member=newcomer).exists()


def test_a_seat_is_edited(client, city, secretariat):
    seat = seat_give(civil_member(), forum=city)
    alternate = civil_member()
    client.force_login(secretariat)
    assert client.get(url("body_seat_edit", city, seat.pk)).status_code == 200

    response = client.post(
        url("body_seat_edit", city, seat.pk),
        {"term_end": "2030-01-01", "alternate": alternate.email},
    )

    assert response.status_code == 302
    seat.refresh_from_db()
    assert str(seat.term_end) == "2030-01-01"
    assert seat.alternate == alternate
    assert seat.voting is False
    assert AuditEntry.objects.filter(action="seat.update", about_id=str(seat.pk)).exists()


def test_a_seat_of_another_forum_or_a_malformed_id_is_not_found(client, city, secretariat):
    elsewhere = seat_give(civil_member())
    client.force_login(secretariat)
    assert client.get(url("body_seat_edit", city, elsewhere.pk)).status_code == 404
    assert client.get(f"/manage/{city.slug}/body/seats/abc/").status_code == 404
    assert client.post(url("body_seat_end", city, 999999)).status_code == 404


def test_a_seat_is_ended_today_after_confirmation(client, city, secretariat):
    seat = seat_give(civil_member(), forum=city)
    client.force_login(secretariat)
    page = client.get(url("body", city)).content.decode()
    assert "Yes, end the seat" in page  # the second button, inside <details>
    assert client.get(url("body_seat_end", city, seat.pk)).status_code == 405

    response = client.post(url("body_seat_end", city, seat.pk), follow=True)

    seat.refresh_from_db()
    assert seat.term_end == timezone.localdate()
    assert "has ended" in response.content.decode()
    assert AuditEntry.objects.filter(action="seat.end", about_id=str(seat.pk)).exists()


# --- Co-chairs --------------------------------------------------------------------------------


def test_the_co_chair_is_replaced_in_one_step(client, city, secretariat):
    old = seat_give(civil_member(), forum=city, co_chair=True)
    newcomer = civil_member(email="new.chair@example.org")
    client.force_login(secretariat)

    response = client.post(
        url("body_co_chair_replace", city),
        {"stakeholder_group": "non_government", "member": newcomer.email},
        follow=True,
    )

    assert "is now the non-government co-chair" in response.content.decode()
    old.refresh_from_db()
    assert old.co_chair is False and old.term_end is None  # keeps the seat
    new = ForumSeat.objects.get(forum=city, member=newcomer)
    assert new.co_chair and new.term_end is None and new.term_start == timezone.localdate()
    entry = AuditEntry.objects.get(action="seat.co_chair_replace")
    assert entry.data["after"] == "new.chair@example.org"


def test_replacing_can_end_the_old_seat_and_reuses_the_new_ones_seat(city, secretariat):
    old = seat_give(civil_member(), forum=city, co_chair=True)
    newcomer = civil_member()
    existing = seat_give(newcomer, forum=city)

    seat = services.co_chair_replace(
        forum=city,
        stakeholder_group="non_government",
        member=newcomer,
        end_seat=True,
        by=secretariat,
    )

    assert seat == existing and seat.co_chair
    old.refresh_from_db()
    assert old.co_chair and old.term_end == timezone.localdate() - timedelta(days=1)
    assert ForumSeat.objects.filter(forum=city, co_chair=True, term_end__isnull=True).count() == 1


def test_a_co_chair_from_the_other_group_is_a_translated_field_error(client, city, secretariat):
    seat_give(civil_member(), forum=city, co_chair=True)
    minister = government_member()
    client.force_login(secretariat)

    response = client.post(
        url("body_co_chair_replace", city),
        {"stakeholder_group": "non_government", "member": minister.email},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "is in the other stakeholder group" in page
    assert "UNIQUE" not in page and "constraint" not in page
    assert not ForumSeat.objects.filter(member=minister).exists()


# --- Roles ------------------------------------------------------------------------------------


def test_a_facilitator_is_named_by_e_mail_and_removed(client, city, secretariat):
    member = civil_member(email="helper@example.org")
    client.force_login(secretariat)

    response = client.post(
        url("body_role_give", city), {"email": member.email, "role": "facilitator"}, follow=True
    )

    held = ForumRole.objects.get(forum=city, member=member, role="facilitator")
    assert "is now facilitator of the forum" in response.content.decode()
    assert not member.is_staff and not member.is_superuser
    assert AuditEntry.objects.filter(action="forum_role.give").exists()

    response = client.post(url("body_role_remove", city, held.pk), follow=True)

    assert not ForumRole.objects.filter(pk=held.pk).exists()
    assert "is no longer facilitator" in response.content.decode()
    assert AuditEntry.objects.filter(action="forum_role.remove").exists()


def test_no_one_is_raised_to_superuser_or_staff_here(client, city, secretariat):
    member = civil_member()
    client.force_login(secretariat)

    response = client.post(
        url("body_role_give", city),
        {"email": member.email, "role": "superuser", "is_staff": "on", "is_superuser": "on"},
    )

    assert response.status_code == 400
    member.refresh_from_db()
    assert not member.is_staff and not member.is_superuser
    assert not ForumRole.objects.filter(member=member).exists()


def test_the_only_secretariat_member_cannot_remove_their_own_role(client, city, secretariat):
    held = ForumRole.objects.get(forum=city, member=secretariat)
    client.force_login(secretariat)

    response = client.post(url("body_role_remove", city, held.pk), follow=True)

    assert ForumRole.objects.filter(pk=held.pk).exists()
    assert "the forum&#x27;s only secretariat member" in response.content.decode()


def test_with_two_secretariat_members_one_may_step_down_the_other_stays(client, city, secretariat):
    role_give(UserFactory(), "secretariat", city)
    held = ForumRole.objects.get(forum=city, member=secretariat)
    client.force_login(secretariat)

    client.post(url("body_role_remove", city, held.pk))

    assert not ForumRole.objects.filter(pk=held.pk).exists()


def test_a_role_of_another_forum_cannot_be_removed_from_here(client, city, secretariat):
    elsewhere = role_give(UserFactory(), "facilitator")
    client.force_login(secretariat)

    assert client.post(url("body_role_remove", city, elsewhere.pk)).status_code == 404
    assert ForumRole.objects.filter(pk=elsewhere.pk).exists()


def test_a_secretariat_member_who_steps_down_lands_on_the_forums_page(client, city, secretariat):
    role_give(UserFactory(), "secretariat", city)
    held = ForumRole.objects.get(forum=city, member=secretariat)
    client.force_login(secretariat)

    response = client.post(url("body_role_remove", city, held.pk))

    assert response.status_code == 302
    assert response["Location"] == city.get_absolute_url()
    assert client.get(url("body", city)).status_code == 403


def test_an_alternate_who_is_not_approved_is_refused_beside_the_field(client, city, secretariat):
    seat = seat_give(civil_member(), forum=city)
    waiting = civil_member(membership_status="pending", email="waiting@example.org")
    client.force_login(secretariat)

    response = client.post(
        url("body_seat_edit", city, seat.pk), {"alternate": waiting.email, "voting": "on"}
    )

    assert response.status_code == 400
    assert "waiting@example.org is not an approved member yet." in response.content.decode()
    seat.refresh_from_db()
    assert seat.alternate is None


def test_a_huge_id_is_not_found(client, city, secretariat):
    client.force_login(secretariat)
    huge = "9" * 30
    assert client.get(f"/manage/{city.slug}/body/seats/{huge}/").status_code == 404
    assert client.get(f"/manage/{city.slug}/organisations/{huge}/").status_code == 404
    assert client.post(f"/manage/{city.slug}/organisations/queue/{huge}/").status_code == 404


def test_the_role_service_refuses_another_forums_secretariat(city):
    other = UserFactory()
    role_give(other, "secretariat")  # the default forum's
    with pytest.raises(NotAllowed):
        services.forum_role_give(forum=city, member=UserFactory(), role="secretariat", by=other)
    assert not ForumRole.objects.filter(forum=city).exists()
