import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from actionplans import notices as actionplans_notices
from cocreation import notices as cocreation_notices
from core.errors import ForumError, NotAllowed
from core.notifications import kinds, services, tasks
from core.notifications.kinds import Rhythm, notice_kinds
from core.notifications.models import (
    EmailStatus,
    Notification,
    NotificationRhythm,
    NotificationTemplate,
)
from core.notifications.reminders import reminder_timing, reminder_timing_set
from core.notifications.services import NotificationItem, notification_send
from core.notifications.timings import reminder_timings
from events import notices as events_notices
from forum.celery import app
from members import notices as members_notices
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """notification_send inside a committed transaction, as a view or task calls it."""

    def _send(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notification_send(**kwargs)

    return _send


@pytest.fixture
def failing_mail_server(monkeypatch):
    """The mail server refuses every message until `recover()` is called."""

    original = EmailBackend.send_messages
    state = {"down": True}

    def send_messages(self, messages):
        if state["down"]:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    state["recover"] = lambda: state.update(down=False)
    return state


@pytest.mark.parametrize("kind", [kind for kind in notice_kinds() if kind.choosable])
def test_every_kind_reaches_its_recipient_once_with_subject_text_and_link(send, kind):
    member = UserFactory(email="olena@example.org")
    if not kind.essential:  # a kind that defaults to a digest goes at once when so chosen
        NotificationRhythm.objects.create(user=member, kind=kind, rhythm=Rhythm.AT_ONCE)
    about = OrganisationFactory(name="Open Budget Ukraine")

    notification = send(kind=kind, recipient=member, about=about, context={"url": "/members/"})
    send(kind=kind, recipient=member, about=about, context={"url": "/members/"})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena@example.org"]
    assert message.subject == notification.subject
    assert message.subject and "{" not in message.subject
    assert notification.body in message.body
    assert "http://127.0.0.1:8000/members/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "http://127.0.0.1:8000/members/" in html
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_the_text_is_rendered_in_the_recipients_language(send):
    NotificationTemplate.objects.create(
        kind=members_notices.MEMBERSHIP_APPROVED,
        language="el",
        subject="Η συμμετοχή σας στο {{ site_name }} εγκρίθηκε",
        body="Καλώς ήρθατε, {{ recipient.full_name }}.",
    )
    greek = UserFactory(full_name="Ελένη Παπαδοπούλου", preferred_language="el")
    english = UserFactory(full_name="Ana Ferreira", preferred_language="en")

    send(kind=members_notices.MEMBERSHIP_APPROVED, recipient=greek, about=greek)
    send(kind=members_notices.MEMBERSHIP_APPROVED, recipient=english, about=english)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert (
        by_recipient[greek.email].subject == "Η συμμετοχή σας στο Open Government Forum εγκρίθηκε"
    )
    assert "Καλώς ήρθατε, Ελένη Παπαδοπούλου." in by_recipient[greek.email].body
    assert by_recipient[english.email].subject == (
        "Your membership of Open Government Forum was approved"
    )
    assert '<html lang="el">' in by_recipient[greek.email].alternatives[0][0]


def test_the_secretariats_text_for_all_languages_replaces_the_file_template(send):
    NotificationTemplate.objects.create(
        kind=members_notices.MEMBERSHIP_REJECTED,
        language="",
        subject="About your request",
        body="We are sorry. {{ reason }}",
    )
    member = UserFactory(preferred_language="pt")

    send(
        kind=members_notices.MEMBERSHIP_REJECTED,
        recipient=member,
        about=member,
        context={"reason": "Not an organisation."},
    )

    assert mail.outbox[0].subject == "About your request"
    assert "We are sorry. Not an organisation." in mail.outbox[0].body


def test_a_broken_template_is_refused_with_the_reason():
    template = NotificationTemplate(
        kind=events_notices.EVENT_APPROVED, subject="{% if %}", body="fine", language=""
    )

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    assert "subject" in error.value.message_dict


def test_the_database_refuses_a_second_notification_with_the_same_key():
    member = UserFactory()
    Notification.objects.create(
        kind=events_notices.EVENT_APPROVED,
        recipient=member,
        dedup_key="k",
        language="en",
        subject="s",
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            kind=events_notices.EVENT_APPROVED,
            recipient=member,
            dedup_key="k",
            language="en",
            subject="s",
        )


def test_a_duplicate_leaves_the_callers_transaction_intact(send):
    member = UserFactory()
    organisation = OrganisationFactory()

    with transaction.atomic():
        first = notification_send(
            kind=events_notices.EVENT_APPROVED, recipient=member, about=organisation
        )
        second = notification_send(
            kind=events_notices.EVENT_APPROVED, recipient=member, about=organisation
        )
        organisation.city = "Porto"
        organisation.save()

    assert first is not None and second is None
    organisation.refresh_from_db()
    assert organisation.city == "Porto"


def test_running_a_reminder_job_twice_sends_nothing_new(django_capture_on_commit_callbacks):
    members = UserFactory.create_batch(3)
    about = OrganisationFactory()

    def reminder_job():
        items = [
            NotificationItem(member, about, dedup_key=f"reminder:48h:{about.pk}:{member.pk}")
            for member in members
        ]
        with django_capture_on_commit_callbacks(execute=True):
            return services.notifications_send_bulk(
                kind=cocreation_notices.WORKSHOP_REMINDER, items=items
            )

    assert reminder_job() == 3
    assert reminder_job() == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in members)


def test_an_optional_kind_turned_off_is_listed_but_not_emailed(send):
    member = UserFactory()
    NotificationRhythm.objects.create(user=member, kind=events_notices.EVENT_REMINDER)

    notification = send(
        kind=events_notices.EVENT_REMINDER, recipient=member, about=OrganisationFactory()
    )

    assert mail.outbox == []
    assert notification.email_status == EmailStatus.NOT_WANTED
    assert member.notifications.count() == 1


@pytest.mark.parametrize("kind", [kind for kind in notice_kinds() if kind.essential])
def test_essential_kinds_go_by_email_whatever_the_preferences(send, kind):
    member = UserFactory()
    NotificationRhythm.objects.create(user=member, kind=kind)  # cannot be set through the page

    send(kind=kind, recipient=member, about=OrganisationFactory())

    assert len(mail.outbox) == 1


def test_a_mail_server_failure_is_retried_with_backoff(send, failing_mail_server):
    member = UserFactory()
    before = timezone.now()

    notification = send(
        kind=events_notices.EVENT_APPROVED, recipient=member, about=OrganisationFactory()
    )

    notification.refresh_from_db()
    assert mail.outbox == []
    assert notification.email_status == EmailStatus.PENDING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    assert notification.next_attempt_at >= before + timedelta(minutes=1)

    failing_mail_server["recover"]()
    assert services.notifications_deliver_due(now=before) == 0  # not due yet: backoff
    assert services.notifications_deliver_due(now=before + timedelta(minutes=2)) == 1
    assert services.notifications_deliver_due(now=before + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.attempts == 2


def test_after_the_last_attempt_the_notification_is_marked_failed(send, failing_mail_server):
    notification = send(
        kind=events_notices.EVENT_APPROVED, recipient=UserFactory(), about=UserFactory()
    )
    later = timezone.now()
    for _attempt in range(services.MAX_ATTEMPTS):
        later += timedelta(hours=2)
        services.notifications_deliver_due(now=later)

    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.FAILED
    assert notification.attempts == services.MAX_ATTEMPTS


def test_nothing_is_lost_when_the_broker_is_down(send, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver, "apply_async", broker_down)
    member = UserFactory()
    organisation = OrganisationFactory()

    # The member's action commits although the task could not be queued.
    with transaction.atomic():
        organisation.city = "Lviv"
        organisation.save()
        send(kind=events_notices.EVENT_APPROVED, recipient=member, about=organisation)

    organisation.refresh_from_db()
    assert organisation.city == "Lviv"
    assert mail.outbox == []
    assert Notification.objects.get().email_status == EmailStatus.PENDING

    # The broker is back: the periodic sweep sends it, once.
    assert tasks.deliver_due.apply().get() == 1
    assert tasks.deliver_due.apply().get() == 0
    assert len(mail.outbox) == 1


def test_a_send_abandoned_by_a_dead_worker_is_taken_up_after_its_lease(send):
    notification = send(
        kind=events_notices.EVENT_APPROVED, recipient=UserFactory(), about=UserFactory()
    )
    mail.outbox.clear()
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        email_status=EmailStatus.SENDING, next_attempt_at=now + services.SENDING_LEASE
    )

    assert services.notifications_deliver_due(now=now) == 0  # maybe still being sent
    assert services.notifications_deliver_due(now=now + services.SENDING_LEASE) == 1
    assert len(mail.outbox) == 1


def test_the_sweep_costs_the_same_queries_for_few_and_many(
    django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def queue(count):
        items = [NotificationItem(member, None) for member in UserFactory.create_batch(count)]
        services.notifications_send_bulk(kind=actionplans_notices.CONSULTATION_CLOSING, items=items)

    queue(2)
    with django_assert_max_num_queries(20) as few:
        assert services.notifications_deliver_due() == 2
    queue(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert services.notifications_deliver_due() == 40


def test_reminder_timings_are_declared_by_the_apps_and_set_by_the_secretariat(db):
    declared = {timing.key: timing for timing in reminder_timings()}
    assert set(declared) == {
        "workshop_reminder_hours",  # cocreation
        "event_reminder_hours",  # events
        "milestone_due_days",  # actionplans
        "milestone_escalation_days",
        "consultation_closing_days",
    }
    workshops = cocreation_notices.WORKSHOP_REMINDER_HOURS
    assert reminder_timing(workshops) == [48, 2]  # the default until set

    secretariat = UserFactory(roles=["secretariat"])
    with pytest.raises(ForumError, match="whole numbers of hours"):
        reminder_timing_set(timing=workshops, value="72, 24,x", by=secretariat)
    with pytest.raises(NotAllowed):
        reminder_timing_set(timing=workshops, value="72", by=UserFactory())
    reminder_timing_set(timing=workshops, value="24, 72", by=secretariat)
    assert reminder_timing(workshops) == [72, 24]
    assert reminder_timing(actionplans_notices.MILESTONE_DUE_DAYS) == 14


def test_the_sweep_is_on_the_beat_schedule(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "notifications.deliver_due" in schedule
    assert "notifications.deliver_due" in app.tasks


def test_a_kind_an_app_declares_needs_no_migration_and_is_offered_in_the_preferences(
    client, monkeypatch
):
    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))  # forgotten after the test
    new = kinds.notice_kind_register("forum_newsletter", "The monthly newsletter")

    call_command("makemigrations", "notifications", "--check", "--dry-run", verbosity=0)
    assert (new.value, new.label) in kinds.kind_choices()
    client.force_login(UserFactory())
    assert "The monthly newsletter" in client.get("/notifications/preferences/").content.decode()
