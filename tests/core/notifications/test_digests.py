"""Notifications in each member's rhythm: daily and weekly digests, and the one-click
unsubscribe every e-mail of a kind that can be turned off carries (RFC 8058)."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone, translation

from actionplans import notices as actionplans_notices
from cocreation import notices as cocreation_notices
from core.notifications import unsubscribe
from core.notifications.kinds import Rhythm, optional_kinds
from core.notifications.models import EmailStatus, Notification, NotificationRhythm
from core.notifications.notices import DIGEST
from core.notifications.services import notification_send, notifications_digest_send
from core.personal_data import personal_data_erase, personal_data_export
from events import notices as events_notices
from tests.factories import ForumFactory, OrganisationFactory, UserFactory, WorkshopFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

ANNOUNCED = cocreation_notices.WORKSHOP_ANNOUNCED
REMINDER = events_notices.EVENT_REMINDER
CLOSING = actionplans_notices.CONSULTATION_CLOSING


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service as a view or a task does: what it queues on commit runs."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def weekly_member(**fields):
    member = UserFactory(**fields)
    for kind in (ANNOUNCED, REMINDER, CLOSING):
        NotificationRhythm.objects.create(user=member, kind=kind, rhythm=Rhythm.WEEKLY)
    return member


def unsubscribe_link(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    return header[1:-1].removeprefix("http://127.0.0.1:8000")


@pytest.mark.parametrize(
    ("rhythm", "status"),
    [
        (Rhythm.DAILY, EmailStatus.DAILY_DIGEST),
        (Rhythm.WEEKLY, EmailStatus.WEEKLY_DIGEST),
        (Rhythm.OFF, EmailStatus.NOT_WANTED),
    ],
)
def test_a_member_on_a_digest_or_off_gets_no_email_at_once(committed, rhythm, status):
    member = UserFactory()
    NotificationRhythm.objects.create(user=member, kind=ANNOUNCED, rhythm=rhythm)

    notification = committed(
        notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory()
    )

    assert mail.outbox == []
    assert notification.email_status == status
    assert member.notifications.count() == 1  # still on the site


def test_the_daily_digest_goes_once_a_day(committed):
    member = UserFactory(email="ana@example.org")
    NotificationRhythm.objects.create(user=member, kind=ANNOUNCED, rhythm=Rhythm.DAILY)
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())

    assert committed(notifications_digest_send, rhythm="daily") == 1
    assert committed(notifications_digest_send, rhythm="daily") == 0
    assert committed(notifications_digest_send, rhythm="weekly") == 0

    assert [message.subject for message in mail.outbox] == ["Your daily digest: 1 notification"]


def test_the_digest_is_not_listed_on_the_site_beside_its_items(client, committed):
    member = weekly_member()
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())
    committed(notifications_digest_send, rhythm="weekly")
    client.force_login(member)

    page = client.get("/notifications/").content.decode()

    assert "New workshop" in page
    assert "Your weekly digest" not in page


def test_the_weekly_digest_goes_once_grouped_by_forum_and_kind(committed):
    member = weekly_member()
    athens = ForumFactory(name="Athens local forum", slug="athens")
    workshop = WorkshopFactory(process__forum=athens, title="Open budgets")
    event = EventFactory(forum=athens, title="Budget seminar")
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=workshop)
    committed(notification_send, kind=REMINDER, recipient=member, about=event)
    committed(notification_send, kind=CLOSING, recipient=member, about=OrganisationFactory())

    assert committed(notifications_digest_send, rhythm="weekly") == 1
    assert committed(notifications_digest_send, rhythm="weekly") == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject == "Your weekly digest: 3 notifications"
    text = message.body
    # the forum first, its kinds within it; what belongs to no forum after the forums
    assert text.index("Athens local forum") < text.index(str(ANNOUNCED.label))
    assert text.index(str(ANNOUNCED.label)) < text.index("Open budgets")
    assert text.index(str(REMINDER.label)) < text.index("Budget seminar")
    assert text.index("Budget seminar") < text.index("Across the portal")
    assert text.index("Across the portal") < text.index(str(CLOSING.label))
    assert f"http://127.0.0.1:8000{workshop.get_absolute_url()}" in text
    html, _mimetype = message.alternatives[0]
    assert f'href="http://127.0.0.1:8000{workshop.get_absolute_url()}"' in html
    assert "<h2" in html and "Athens local forum" in html
    assert set(
        member.notifications.exclude(kind=DIGEST).values_list("email_status", flat=True)
    ) == {EmailStatus.IN_DIGEST}
    assert Notification.objects.get(kind=DIGEST).email_status == EmailStatus.SENT


def test_the_digest_is_in_the_members_language(committed):
    member = weekly_member(preferred_language="el")
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())

    committed(notifications_digest_send, rhythm="weekly")

    with translation.override("el"):
        greek_label = str(ANNOUNCED.label)
    assert greek_label != str(ANNOUNCED.label)  # the catalogue has it
    assert greek_label in mail.outbox[0].body
    assert Notification.objects.get(kind=DIGEST).language == "el"


def test_what_arrives_after_this_weeks_digest_waits_for_the_next_week(committed):
    member = weekly_member()
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())
    committed(notifications_digest_send, rhythm="weekly")
    later = committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())

    assert committed(notifications_digest_send, rhythm="weekly") == 0
    assert committed(notifications_digest_send, rhythm="daily") == 0  # not the daily one's
    assert (
        committed(
            notifications_digest_send, rhythm="weekly", now=timezone.now() + timedelta(days=7)
        )
        == 1
    )

    assert len(mail.outbox) == 2
    later.refresh_from_db()
    assert later.email_status == EmailStatus.IN_DIGEST


def test_a_kind_turned_off_drops_what_waited_for_its_digest(client, committed):
    member = weekly_member()
    waiting = committed(
        notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory()
    )
    client.force_login(member)
    chosen = {kind.value: kind.default_rhythm for kind in optional_kinds()}

    client.post("/notifications/preferences/", {**chosen, ANNOUNCED.value: Rhythm.OFF})

    waiting.refresh_from_db()
    assert waiting.email_status == EmailStatus.NOT_WANTED
    assert committed(notifications_digest_send, rhythm="weekly") == 0


def test_nothing_waiting_sends_nothing(committed):
    UserFactory()
    weekly_member()

    assert committed(notifications_digest_send, rhythm="daily") == 0
    assert committed(notifications_digest_send, rhythm="weekly") == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_the_digest_job_costs_the_same_queries_for_few_and_many_items(
    committed, django_assert_num_queries
):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    few_member, many_member = weekly_member(), weekly_member()
    committed(notification_send, kind=ANNOUNCED, recipient=few_member, about=WorkshopFactory())
    committed(notification_send, kind=REMINDER, recipient=few_member, about=EventFactory())
    with CaptureQueriesContext(connection) as few:
        notifications_digest_send(rhythm="weekly")
    for _ in range(6):
        workshop = WorkshopFactory(process__forum=ForumFactory())
        committed(notification_send, kind=ANNOUNCED, recipient=many_member, about=workshop)
        committed(notification_send, kind=REMINDER, recipient=many_member, about=EventFactory())

    with django_assert_num_queries(len(few.captured_queries)):
        notifications_digest_send(rhythm="weekly")


# --- One-click unsubscribe -------------------------------------------------------------------


def test_every_email_of_a_kind_that_can_be_turned_off_carries_a_one_click_unsubscribe(committed):
    member = UserFactory()

    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())

    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/notifications/unsubscribe/"
    )
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_essential_email_carries_no_unsubscribe_but_the_preferences_link(committed):
    member = UserFactory()

    committed(
        notification_send,
        kind=cocreation_notices.WORKSHOP_RESCHEDULED,
        recipient=member,
        about=WorkshopFactory(),
    )

    message = mail.outbox[0]
    assert "List-Unsubscribe" not in message.extra_headers
    assert "/notifications/preferences/" in message.body


def test_the_headers_url_posted_as_a_mail_provider_does_turns_the_kind_off(committed):
    member = UserFactory()
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())
    link = unsubscribe_link(mail.outbox[0])

    provider = Client(enforce_csrf_checks=True)  # no session, no cookie, no CSRF token
    response = provider.post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert str(ANNOUNCED.label) in response.content.decode()
    assert NotificationRhythm.objects.get(user=member, kind=ANNOUNCED).rhythm == Rhythm.OFF
    mail.outbox.clear()
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())
    assert mail.outbox == []


def test_following_the_link_changes_nothing_until_the_button_is_pressed(client, committed):
    member = UserFactory()
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())
    link = unsubscribe_link(mail.outbox[0])

    response = client.get(link)

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert not NotificationRhythm.objects.filter(user=member).exists()


def test_the_digests_unsubscribe_turns_off_the_kinds_it_carried(committed):
    member = weekly_member()
    committed(notification_send, kind=ANNOUNCED, recipient=member, about=WorkshopFactory())
    committed(notification_send, kind=REMINDER, recipient=member, about=EventFactory())
    committed(notifications_digest_send, rhythm="weekly")

    Client().post(unsubscribe_link(mail.outbox[0]), {"List-Unsubscribe": "One-Click"})

    rhythms = dict(NotificationRhythm.objects.filter(user=member).values_list("kind", "rhythm"))
    assert rhythms == {ANNOUNCED: Rhythm.OFF, REMINDER: Rhythm.OFF, CLOSING: Rhythm.WEEKLY}


def test_a_link_for_an_essential_kind_cannot_turn_it_off(client):
    member = UserFactory()
    token = unsubscribe.unsubscribe_token(
        user_id=member.pk, kinds=[cocreation_notices.WORKSHOP_RESCHEDULED]
    )

    response = client.post(f"/notifications/unsubscribe/{token}/")

    assert response.status_code == 200
    assert "nothing to turn off" in response.content.decode()
    assert not NotificationRhythm.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1]),
        lambda token: "not-a-token",
        lambda token: signing.dumps({"u": 1, "k": ["workshop_announced"]}),  # another salt
    ],
    ids=["signature", "payload", "garbage", "other-salt"],
)
def test_a_tampered_link_says_so_and_offers_to_log_in(client, tamper):
    member = UserFactory()
    token = unsubscribe.unsubscribe_token(user_id=member.pk, kinds=[ANNOUNCED])

    for method in (client.get, client.post):
        response = method(f"/notifications/unsubscribe/{tamper(token)}/")
        assert response.status_code == 400
        page = response.content.decode()
        assert "This unsubscribe link is not valid" in page
        assert "/accounts/login/?next=/notifications/preferences/" in page
    assert not NotificationRhythm.objects.exists()


def test_an_expired_link_says_so_and_offers_to_log_in(client, monkeypatch):
    member = UserFactory()
    token = unsubscribe.unsubscribe_token(user_id=member.pk, kinds=[ANNOUNCED])
    later = timezone.now() + unsubscribe.MAX_AGE + timedelta(minutes=1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())

    response = client.post(f"/notifications/unsubscribe/{token}/")

    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    assert "/notifications/preferences/" in response.content.decode()
    assert not NotificationRhythm.objects.exists()


def test_a_link_for_a_deleted_account_changes_nothing(client):
    member = UserFactory()
    token = unsubscribe.unsubscribe_token(user_id=member.pk, kinds=[ANNOUNCED])
    member.delete()

    response = client.post(f"/notifications/unsubscribe/{token}/")

    assert response.status_code == 400


# --- Personal data ---------------------------------------------------------------------------


def test_the_rhythms_are_in_the_data_export_and_go_with_the_account():
    member = weekly_member()

    exported = personal_data_export(member=member)

    assert exported["email_rhythms"][ANNOUNCED] == Rhythm.WEEKLY
    personal_data_erase(member=member)
    assert not NotificationRhythm.objects.filter(user=member).exists()


def test_the_unsubscribe_page_speaks_the_members_language(client):
    member = UserFactory(preferred_language="el")
    token = unsubscribe.unsubscribe_token(user_id=member.pk, kinds=[ANNOUNCED])

    response = client.get(f"/notifications/unsubscribe/{token}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "el"
