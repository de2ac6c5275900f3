from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists

from core.notifications.kinds import is_essential, notice_kinds
from core.notifications.models import EmailOptOut, Notification, NotificationTemplate
from core.personal_data import rows


def notifications_of(*, user):
    return Notification.objects.filter(recipient=user).only(
        "id", "kind", "subject", "body", "url", "created_at", "read_at"
    )


def custom_texts_exist(*, kinds: Iterable[str], language: str) -> Exists:
    """Whether the secretariat wrote its own text for any of `kinds` in `language` (or for
    every language), as an expression, for a caller that asks it within a query of its own
    and then reads no texts when there are none (see `notification_texts`)."""
    return Exists(
        NotificationTemplate.objects.filter(kind__in=list(kinds), language__in=[language, ""])
    )


def notifications_since_count(*, kind: str, dedup_prefix: str, since: datetime) -> int:
    """How many notifications of `kind` whose deduplication key starts with `dedup_prefix`
    were created since `since`: a sender's way to recognise the same occasion sent twice."""
    return Notification.objects.filter(
        kind=kind, dedup_key__startswith=dedup_prefix, created_at__gte=since
    ).count()


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_preferences(*, user) -> list[dict]:
    """Every kind with whether it goes by e-mail to `user` and whether they may change it."""
    opted_out = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            "essential": is_essential(kind),
            "by_email": is_essential(kind) or kind.value not in opted_out,
        }
        for kind in notice_kinds()
    ]


def personal_data_of(*, member) -> dict:
    """What the notifications hold on `member`, for "download my data"."""
    return {
        "notifications": rows(
            Notification.objects.filter(recipient=member),
            "kind",
            "subject",
            "created_at",
            "read_at",
        ),
        "email_turned_off_for": list(
            EmailOptOut.objects.filter(user=member).values_list("kind", flat=True)
        ),
    }
