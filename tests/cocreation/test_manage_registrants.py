"""A forum's secretariat sees a workshop's registrants at
/manage/<forum>/workshops/<pk>/registrants/: by group and status, their accessibility needs
and whether they agree to be named; downloads them as CSV; messages them; and moves someone
from the waiting list to a seat by hand."""

import csv
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cocreation import services
from cocreation.models import Registration
from core.audit.models import AuditEntry
from core.errors import NotAllowed
from core.notifications.models import Notification
from members.models import StakeholderGroup
from tests.factories import (
    CoCreationProcessFactory,
    ForumFactory,
    RegistrationFactory,
    UserFactory,
    WorkshopFactory,
    role_give,
)

pytestmark = pytest.mark.django_db

GOV = StakeholderGroup.GOVERNMENT
NGO = StakeholderGroup.NON_GOVERNMENT


@pytest.fixture
def city():
    return ForumFactory(name="Pančevo local forum", slug="pancevo")


@pytest.fixture
def secretariat(city):
    member = UserFactory()
    role_give(member, "secretariat", city)
    return member


@pytest.fixture
def workshop(city):
    return WorkshopFactory(
        process=CoCreationProcessFactory(forum=city),
        title="Open budgets of Pančevo",
        government_quota=1,
        non_government_quota=1,
        time_zone="Europe/Belgrade",
    )


def place(workshop, group=GOV, status="confirmed", **fields):
    return RegistrationFactory(
        workshop=workshop,
        group=group,
        status=status,
        seat_group=group if status == "confirmed" else "",
        **fields,
    )


def url(workshop, name="manage:registrants", *extra):
    return reverse(name, args=[workshop.process.forum.slug, workshop.pk, *extra])


def test_the_secretariat_sees_registrants_by_group_and_status(client, secretariat, workshop):
    seated = place(
        workshop,
        accessibility_needs="Step-free access, please",
        agrees_to_be_named=True,
        attendance="attended",
    )
    first = place(workshop, status="waiting")
    second = place(workshop, status="waiting")
    gone = place(workshop, NGO, status="cancelled")
    client.force_login(secretariat)

    response = client.get(url(workshop))

    assert response.status_code == 200
    page = response.content.decode()
    for registration in (seated, first, second, gone):
        assert registration.member.full_name in page
    assert "Step-free access, please" in page
    assert "Checked in" in page
    assert "Waiting, number 1" in page and "Waiting, number 2" in page
    assert re.search(r" CES?T</time>", page)  # times in the workshop's zone, named
    rows = {row["group"]: row for row in response.context["counts"]}
    assert rows[GOV]["confirmed"] == 1 and rows[GOV]["waiting"] == 2
    assert rows[GOV]["checked_in"] == 1 and rows[NGO]["cancelled"] == 1
    order = [r.pk for r in response.context["page"].object_list]
    assert order == [seated.pk, first.pk, second.pk, gone.pk]


def test_the_search_finds_a_registrant_and_keeps_the_others_out(client, secretariat, workshop):
    wanted = place(workshop)
    wanted.member.full_name = "Jelena Marković"
    wanted.member.save()
    other = place(workshop, NGO)
    client.force_login(secretariat)

    response = client.get(url(workshop), {"q": "markov"})

    assert wanted.member.full_name in response.content.decode()
    assert other.member.full_name not in response.content.decode()
    waiting_only = client.get(url(workshop), {"status": "waiting"})
    assert "Nobody registered matches this search." in waiting_only.content.decode()


@pytest.mark.parametrize("who", ["member", "other_secretariat"])
def test_members_and_another_forums_secretariat_get_403(client, workshop, who):
    user = UserFactory()
    if who == "other_secretariat":
        role_give(user, "secretariat", ForumFactory(slug="elsewhere"))
    client.force_login(user)

    for name in ("manage:registrants", "manage:registrants_csv"):
        assert client.get(url(workshop, name)).status_code == 403
    response = client.post(
        url(workshop, "manage:registrants_message"),
        {"audience": "all", "subject": "Hello", "text": "Hi"},
    )
    assert response.status_code == 403


def test_anonymous_people_are_sent_to_log_in(client, workshop):
    response = client.get(url(workshop))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_forums_workshop_or_a_malformed_id_is_a_404(client, secretariat, workshop):
    elsewhere = WorkshopFactory()  # the default forum's
    client.force_login(secretariat)

    wrong = reverse("manage:registrants", args=["pancevo", elsewhere.pk])
    assert client.get(wrong).status_code == 404
    assert client.get("/manage/pancevo/workshops/abc/registrants/").status_code == 404


def test_the_list_costs_the_same_queries_however_many_registrants(client, secretariat, workshop):
    place(workshop)
    place(workshop, status="waiting")
    client.force_login(secretariat)
    client.get(url(workshop))  # warm the session and the caches

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(workshop)).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        place(workshop, status="waiting", accessibility_needs="Captions")
        place(workshop, NGO, status="cancelled")
    assert count() == few


def test_the_csv_lists_everyone_and_neutralises_formulas(client, secretariat, workshop):
    place(workshop, accessibility_needs='=HYPERLINK("http://evil")', agrees_to_be_named=True)
    waiting = place(workshop, status="waiting")
    client.force_login(secretariat)

    response = client.get(url(workshop, "manage:registrants_csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Name" and len(rows) == 3
    assert rows[1][9] == '\'=HYPERLINK("http://evil")'
    assert rows[1][10] == "yes"
    assert rows[2][0] == waiting.member.full_name and rows[2][5] == "1"


def test_a_message_goes_to_the_waiting_list_only_each_in_their_language(
    client, secretariat, workshop, django_capture_on_commit_callbacks
):
    seated = place(workshop)
    first = place(workshop, status="waiting")
    second = place(workshop, status="waiting")
    second.member.preferred_language = "el"
    second.member.save()
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(workshop, "manage:registrants_message"),
            {
                "audience": "waiting",
                "subject": "A bigger room",
                "text": "We may have more seats =soon.",
            },
            follow=True,
        )

    assert "on its way to 2 people" in response.content.decode()
    notices = Notification.objects.filter(kind="registrants_message").order_by("recipient_id")
    assert {n.recipient_id for n in notices} == {first.member_id, second.member_id}
    by_member = {n.recipient_id: n for n in notices}
    assert by_member[second.member_id].language == "el"
    assert "We may have more seats =soon." in by_member[first.member_id].body
    assert "number 1 on your group's waiting list" in by_member[first.member_id].body
    # The frame around the message is in the Greek member's own language.
    assert "Είστε αριθμός 2 στη λίστα αναμονής" in by_member[second.member_id].body
    assert "A bigger room" in by_member[first.member_id].subject
    assert workshop.title in by_member[first.member_id].subject
    assert not [m for m in mail.outbox if m.to == [seated.member.email]]
    entry = AuditEntry.objects.get(action="workshop.registrants_messaged")
    assert entry.actor == secretariat and entry.data["recipients"] == 2


def test_a_message_to_one_group(secretariat, workshop):
    place(workshop)
    civil = place(workshop, NGO)

    sent = services.registrants_message(
        workshop=workshop, audience=NGO, subject="Hello", text="Bring your ideas.", by=secretariat
    )

    assert sent == 1
    assert Notification.objects.get(kind="registrants_message").recipient == civil.member


def test_a_message_without_text_is_shown_again_with_the_error(client, secretariat, workshop):
    place(workshop)
    client.force_login(secretariat)

    response = client.post(
        url(workshop, "manage:registrants_message"),
        {"audience": "all", "subject": "Kept subject", "text": ""},
    )

    assert response.status_code == 400
    assert "Kept subject" in response.content.decode()
    assert response.context["message_form"].errors["text"]
    assert not Notification.objects.filter(kind="registrants_message").exists()


def test_a_message_to_nobody_is_refused(client, secretariat, workshop):
    client.force_login(secretariat)
    response = client.post(
        url(workshop, "manage:registrants_message"),
        {"audience": "waiting", "subject": "Hi", "text": "Hello"},
    )
    assert response.status_code == 400
    assert "Nobody registered for this workshop would receive it." in response.content.decode()


def test_only_the_secretariat_may_message(workshop):
    place(workshop)
    with pytest.raises(NotAllowed):
        services.registrants_message(
            workshop=workshop, audience="all", subject="Hi", text="Hello", by=UserFactory()
        )


def test_a_free_seat_is_given_by_hand_after_confirmation(
    client, secretariat, workshop, django_capture_on_commit_callbacks
):
    workshop.government_quota, workshop.capacity = 2, 3
    workshop.save()
    place(workshop)
    first = place(workshop, status="waiting")
    chosen = place(workshop, status="waiting")
    client.force_login(secretariat)
    seat_url = url(workshop, "manage:registration_seat_give", chosen.pk)

    confirm = client.get(seat_url)
    assert confirm.status_code == 200
    assert "A seat of this group is free" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(seat_url, follow=True)

    assert "has a seat now" in response.content.decode()
    chosen.refresh_from_db()
    first.refresh_from_db()
    assert chosen.status == "confirmed" and chosen.seat_group == GOV
    assert first.status == "waiting"
    assert [m for m in mail.outbox if m.to == [chosen.member.email]]
    entry = AuditEntry.objects.get(action="registration.promoted", about_id=str(chosen.pk))
    assert entry.actor == secretariat and entry.data["reason"] == "by hand"


def test_a_seat_over_the_quota_needs_the_secretariats_confirmation(client, secretariat, workshop):
    place(workshop)
    waiting = place(workshop, status="waiting")
    client.force_login(secretariat)
    seat_url = url(workshop, "manage:registration_seat_give", waiting.pk)

    refused = client.post(seat_url)
    assert refused.status_code == 400
    assert "Confirm a seat over the quota" in refused.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "waiting"

    client.post(seat_url, {"over_quota": "on"})
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    entry = AuditEntry.objects.get(action="registration.promoted")
    assert entry.data["reason"] == "by hand, over the quota"
    # The quota stays: the group's seats stay full until a cancellation.
    workshop.refresh_from_db()
    assert workshop.government_quota == 1


def test_only_someone_waiting_can_be_given_a_seat(client, secretariat, workshop):
    seated = place(workshop)
    client.force_login(secretariat)
    assert client.get(url(workshop, "manage:registration_seat_give", seated.pk)).status_code == 404
    with pytest.raises(services.RegistrationError):
        services.registration_seat_give(registration=seated, by=secretariat)


def test_another_forums_secretariat_cannot_give_a_seat(workshop):
    waiting = place(workshop, status="waiting")
    other = UserFactory()
    role_give(other, "secretariat", ForumFactory(slug="elsewhere"))
    with pytest.raises(NotAllowed):
        services.registration_seat_give(registration=waiting, by=other, over_quota=True)
    assert Registration.objects.get(pk=waiting.pk).status == "waiting"


def test_the_workshop_page_links_its_secretariat_to_the_registrants(client, secretariat, workshop):
    client.force_login(secretariat)
    assert url(workshop) in client.get(workshop.get_absolute_url()).content.decode()
    client.force_login(UserFactory())
    assert url(workshop) not in client.get(workshop.get_absolute_url()).content.decode()


def test_no_seat_is_given_in_a_cancelled_workshop(secretariat, workshop):
    waiting = place(workshop, status="waiting")
    workshop.status = "cancelled"
    workshop.save()
    with pytest.raises(services.RegistrationError):
        services.registration_seat_give(registration=waiting, by=secretariat, over_quota=True)
