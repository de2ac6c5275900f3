"""Demo notifications: each demo member has been told that their membership was approved."""

from django.db import transaction

from forum.notifications.kinds import Kind
from forum.notifications.models import EmailStatus, Notification
from forum.notifications.services import NotificationItem, notifications_send_bulk
from members.demo import DEMO_EMAIL_DOMAIN
from members.models import User


def demo_notifications_load() -> int:
    members = User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_superuser=False)
    items = [NotificationItem(member, member, {"url": "/"}) for member in members]
    with transaction.atomic():
        created = notifications_send_bulk(kind=Kind.MEMBERSHIP_APPROVED, items=items)
        # History, not news: these count as sent, so no demo e-mail goes out.
        Notification.objects.filter(recipient__in=members, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.SENT
        )
    return created
