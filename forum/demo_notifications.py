"""Demo notifications: each demo member has been told that their membership was approved."""

from core.notifications.models import EmailStatus, Notification
from core.notifications.services import NotificationItem, notifications_send_bulk
from members import notices as members_notices
from members.demo import DEMO_EMAIL_DOMAIN
from members.models import User


def demo_notifications_load() -> int:
    members = User.objects.filter(
        email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_superuser=False, membership_status="approved"
    )
    items = [NotificationItem(member, member, {"url": "/"}) for member in members]
    return notifications_send_bulk(kind=members_notices.MEMBERSHIP_APPROVED, items=items)


def demo_notifications_silence() -> int:
    """Demo data is history, not news: its notifications count as sent, so no e-mail goes
    out. Call inside the transaction that created them, before it commits."""
    return Notification.objects.filter(
        recipient__email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
        email_status__in=[
            EmailStatus.PENDING,
            EmailStatus.DAILY_DIGEST,
            EmailStatus.WEEKLY_DIGEST,
        ],
    ).update(email_status=EmailStatus.SENT)
