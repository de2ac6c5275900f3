"""Thin Celery wrappers around the notification services; they take primary keys only."""

from celery import shared_task

from core.notifications import services


@shared_task(name="notifications.deliver")
def deliver(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="notifications.deliver_due")
def deliver_due() -> int:
    return services.notifications_deliver_due()


@shared_task(name="notifications.send_digests")
def send_digests(rhythm: str) -> int:
    return services.notifications_digest_send(rhythm=rhythm)
