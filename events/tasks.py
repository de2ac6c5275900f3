"""Thin Celery wrappers around the event services (periodic jobs in settings)."""

import logging

from celery import shared_task

from core.notifications.services import TRANSIENT_MAIL_ERRORS
from events import guest_mail, services

logger = logging.getLogger(__name__)

GUEST_MAIL_RETRIES = 6  # 1 + 2 + 4 + ... + 32 minutes


@shared_task(name="events.send_event_reminders")
def send_event_reminders() -> int:
    return services.event_reminders_send()


@shared_task(name="events.send_guest_mail", bind=True, max_retries=GUEST_MAIL_RETRIES)
def send_guest_mail(self, kind: str, pk: int) -> bool:
    """A guest's e-mail; a mail server that fails is tried again later, with backoff (run
    eagerly, with no worker to retry, the failure is logged and the guest's page is not
    broken: they can ask again, which sends the e-mail again)."""
    try:
        return guest_mail.guest_mail_send(kind=kind, pk=pk)
    except TRANSIENT_MAIL_ERRORS as exc:
        if self.request.is_eager:
            logger.warning("Could not send the guest e-mail %s %s", kind, pk, exc_info=True)
            return False
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
