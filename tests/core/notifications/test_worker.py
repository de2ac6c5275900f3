"""End to end on the real broker: a Celery worker consumes from Redis and sends the mail."""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail

from core.notifications.models import EmailStatus, Notification
from core.notifications.services import notification_send
from events import notices as events_notices
from forum.celery import app
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_notification_queued_through_redis():
    member = UserFactory(email="taras@example.org")
    organisation = OrganisationFactory(name="Kharkiv Institute of Public Policy")
    delivered = threading.Event()

    def on_task_done(sender=None, **kwargs):
        if sender is not None and sender.name == "notifications.deliver":
            delivered.set()

    task_postrun.connect(on_task_done, weak=False)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False):
            notification = notification_send(
                kind=events_notices.EVENT_APPROVED, recipient=member, about=organisation
            )  # autocommit: queued on commit, at once
            assert delivered.wait(timeout=30), "the worker did not deliver within 30 seconds"
    finally:
        task_postrun.disconnect(on_task_done)

    assert [message.to for message in mail.outbox] == [["taras@example.org"]]
    assert "Kharkiv Institute of Public Policy" in mail.outbox[0].subject
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.SENT
