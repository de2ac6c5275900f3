from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists
from django.utils.translation import gettext as _

from core.notifications.kinds import (
    Rhythm,
    is_essential,
    kind_label,
    notice_forum_path,
    notice_kinds,
)
from core.notifications.models import Notification, NotificationRhythm, NotificationTemplate
from core.notifications.notices import DIGEST
from core.personal_data import rows
from core.site import absolute_url


def notifications_of(*, user):
    """A member's notifications on the site; the digests are left out (their items are
    listed themselves)."""
    return (
        Notification.objects.filter(recipient=user)
        .exclude(kind=DIGEST)
        .only("id", "kind", "subject", "body", "url", "created_at", "read_at")
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
    """Every kind on the preferences page with the rhythm its e-mail has for `user`,
    whether they may change it, and the app it belongs to (for grouping)."""
    chosen = dict(NotificationRhythm.objects.filter(user=user).values_list("kind", "rhythm"))
    preferences = []
    for kind in notice_kinds():
        if not kind.choosable:
            continue
        config = apps.get_containing_app_config(kind.module)
        preferences.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "essential": is_essential(kind),
                "rhythm": Rhythm.AT_ONCE
                if is_essential(kind)
                else chosen.get(kind.value, kind.default_rhythm),
                "default": kind.default_rhythm,
                "app": config.verbose_name if config is not None else "",
            }
        )
    return preferences


def forum_names_of(notifications: list[Notification]) -> dict[int, str]:
    """The name of the forum each of `notifications` is about, where its app registered how
    to find it (`notice_forum_register`): one query per kind of object, whatever the count."""
    ids_by_type: dict[int, set[str]] = defaultdict(set)
    for notification in notifications:
        if notification.about_type_id is not None:
            ids_by_type[notification.about_type_id].add(notification.about_id)
    names: dict[tuple[int, str], str] = {}
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        path = notice_forum_path(model) if model is not None else None
        if path is None:
            continue
        for pk, name in model._default_manager.filter(pk__in=list(ids)).values_list("pk", path):
            if name:
                names[(type_id, str(pk))] = name
    return {
        notification.pk: names[(notification.about_type_id, notification.about_id)]
        for notification in notifications
        if (notification.about_type_id, notification.about_id) in names
    }


def digest_groups(notifications: list[Notification], forum_names: dict[int, str] | None = None):
    """`notifications` grouped by forum (by name; what belongs to no forum last) and then by
    kind (in the order of the preferences page), each with its subject and full link. Call
    it in the reader's language (the kinds' labels)."""
    if forum_names is None:
        forum_names = forum_names_of(notifications)
    order = {kind.value: position for position, kind in enumerate(notice_kinds())}
    by_forum: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for notification in sorted(notifications, key=lambda n: (n.created_at, n.id)):
        by_forum[forum_names.get(notification.pk, "")][notification.kind].append(
            {"subject": notification.subject, "link": absolute_url(notification.url)}
        )
    return [
        {
            "forum": forum or _("Across the portal"),
            "kinds": [
                {"label": kind_label(kind), "items": items}
                for kind, items in sorted(kinds.items(), key=lambda pair: order.get(pair[0], 999))
            ],
        }
        for forum, kinds in sorted(by_forum.items(), key=lambda pair: (pair[0] == "", pair[0]))
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
        "email_rhythms": dict(
            NotificationRhythm.objects.filter(user=member).values_list("kind", "rhythm")
        ),
    }
