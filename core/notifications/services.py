"""The one way the portal tells members something: `notification_send` (and its bulk form
for reminder jobs). Every app calls these; nothing else sends mail to members.

A notification is rendered once, in the recipient's language, and stored. E-mail goes out
after the transaction commits, through Celery when a broker is configured. If the broker
is down the row simply stays pending, and the periodic sweep (`notifications_deliver_due`)
sends it later. Mail-server failures are retried with exponential backoff, kept in the
database, so they survive restarts.

A member chooses a rhythm per kind (`notification_rhythms_set`): a notification of a kind
they read in a daily or weekly digest waits (`EmailStatus.DAILY_DIGEST`/`WEEKLY_DIGEST`)
until `notifications_digest_send` gathers it into one digest notification per member and
period, sent through this same outbox.
"""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr, make_msgid, parseaddr
from urllib.parse import urlsplit

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from core.member_header import member_header_forget
from core.notifications.kinds import (
    NoticeKind,
    Rhythm,
    is_essential,
    notice_kind_of,
    optional_kinds,
)
from core.notifications.models import (
    EmailStatus,
    Notification,
    NotificationRhythm,
    NotificationTemplate,
)
from core.notifications.notices import DIGEST
from core.notifications.selectors import digest_groups, forum_names_of
from core.notifications.unsubscribe import unsubscribe_url
from core.queue import task_enqueue_on_commit
from core.site import absolute_url

# Django 6.1 replaces get_connection() with the configured mailers (settings.MAILERS).
if django.VERSION >= (6, 1):
    from django.core.mail import mailers
else:
    from django.core.mail import get_connection

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 7  # 1 + 2 + 4 + ... + 32 minutes: about an hour of trying before "failed"
SENDING_LEASE = timedelta(minutes=15)  # a worker that died mid-send frees the row after this
BATCH_SIZE = 500
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Addressee:
    """A person without an account (yet) who receives an essential notification by e-mail
    only: an invitation. `notification_send(recipient=Addressee(...))`, with a
    `dedup_key`."""

    email: str
    preferred_language: str
    name: str = ""
    pk = None

    def __str__(self):
        return self.name or self.email


@dataclass
class NotificationItem:
    recipient: object
    about: object = None
    context: dict = field(default_factory=dict)
    dedup_key: str = ""


# --- Rendering ---------------------------------------------------------------------------


class _TextSource:
    """Finds the text of a kind in a language: the secretariat's own, else the file template.
    Caches what it read, so a bulk job asks the database once per language."""

    def __init__(self):
        self._custom: dict[tuple[str, str], NotificationTemplate | None] = {}

    def preload(self, *, kinds: list[str], language: str) -> None:
        """Read the texts of several kinds in one query."""
        rows = {
            (row.kind, row.language): row
            for row in NotificationTemplate.objects.filter(
                kind__in=kinds, language__in=[language, ""]
            )
        }
        for kind in kinds:
            self._custom[(kind, language)] = rows.get((kind, language)) or rows.get((kind, ""))

    def none_custom(self, *, kinds: list[str], language: str) -> None:
        """Known without reading: none of `kinds` has a text of the secretariat's."""
        for kind in kinds:
            self._custom[(kind, language)] = None

    def custom(self, kind: str, language: str) -> NotificationTemplate | None:
        if (kind, language) not in self._custom:
            rows = {
                row.language: row
                for row in NotificationTemplate.objects.filter(
                    kind=kind, language__in=[language, ""]
                )
            }
            self._custom[(kind, language)] = rows.get(language) or rows.get("")
        return self._custom[(kind, language)]

    def render(self, *, kind: str, language: str, data: dict) -> tuple[str, str]:
        custom = self.custom(kind, language)
        if custom is not None:
            context = Context(data, autoescape=False)
            subject = Template(custom.subject).render(context)
            body = Template(custom.body).render(context)
        else:
            subject = render_to_string(f"notifications/kinds/{kind}.subject.txt", data)
            body = render_to_string(f"notifications/kinds/{kind}.body.txt", data)
        return " ".join(subject.split())[:300], body.strip()


def _link_for(about, context: dict) -> str:
    if context.get("url"):
        return context["url"]
    get_absolute_url = getattr(about, "get_absolute_url", None)
    return get_absolute_url() if get_absolute_url else ""


def _default_dedup_key(kind: str, recipient, about) -> str:
    if about is None:
        return f"{kind}:{recipient.pk}"
    about_type = ContentType.objects.get_for_model(about)
    return f"{kind}:{recipient.pk}:{about_type.pk}:{about.pk}"


_STATUS_OF_RHYTHM = {
    Rhythm.OFF: EmailStatus.NOT_WANTED,
    Rhythm.AT_ONCE: EmailStatus.PENDING,
    Rhythm.DAILY: EmailStatus.DAILY_DIGEST,
    Rhythm.WEEKLY: EmailStatus.WEEKLY_DIGEST,
}


def _build(*, kind: str, item: NotificationItem, texts: _TextSource, rhythm: str):
    recipient, about = item.recipient, item.about
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    data = {"recipient": recipient, "about": about, "site_name": settings.SITE_NAME}
    data.update(item.context)
    with translation.override(language):
        subject, body = texts.render(kind=kind, language=language, data=data)
    addressee = isinstance(recipient, Addressee)
    return Notification(
        kind=kind,
        recipient=None if addressee else recipient,
        email=recipient.email if addressee else "",
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=str(about.pk) if about is not None else "",
        dedup_key=item.dedup_key or _default_dedup_key(kind, recipient, about),
        language=language,
        subject=subject,
        body=body,
        url=_link_for(about, item.context),
        email_status=_STATUS_OF_RHYTHM[rhythm],
    )


def _default_rhythm(kind: str) -> str:
    declared = notice_kind_of(str(kind))
    return declared.default_rhythm if declared is not None else Rhythm.AT_ONCE


def _rhythms(kind: str, recipient_ids: Iterable[int]) -> dict[int, str]:
    """The rhythm of `kind` each of `recipient_ids` chose, for those who chose one; the
    others have the kind's default. Essential kinds go at once whatever a row says."""
    if is_essential(kind):
        return {}
    return dict(
        NotificationRhythm.objects.filter(kind=kind, user_id__in=list(recipient_ids)).values_list(
            "user_id", "rhythm"
        )
    )


# --- Sending -----------------------------------------------------------------------------


def notification_texts(*, kinds: Iterable[str], language: str, custom: bool = True) -> _TextSource:
    """The texts of `kinds` in `language`, read now: for a caller that sends one of them
    later while holding a lock (see `notification_send`'s `texts`). `custom=False` from a
    caller that knows the secretariat wrote none of them (`custom_texts_exist`, asked in its
    own query): the file templates, with nothing to read."""
    texts = _TextSource()
    if custom:
        texts.preload(kinds=list(kinds), language=language)
    else:
        texts.none_custom(kinds=list(kinds), language=language)
    return texts


def notification_send(
    *,
    kind: NoticeKind | str,
    recipient,
    about=None,
    context: dict | None = None,
    dedup_key: str = "",
    texts: _TextSource | None = None,
    new_key: bool = False,
) -> Notification | None:
    """Tell `recipient` about `about`. Returns the new notification, or None when one with
    the same deduplication key exists already (the occasion was notified before).

    The default key is kind + recipient + object: pass `dedup_key` for occasions that can
    recur (a reminder 48 hours before, a second reschedule). A caller in a hurry (holding a
    lock) passes the `texts` it read beforehand, and `new_key=True` when its key cannot exist
    yet (it names a row created in the same transaction): then no savepoint is needed."""
    if isinstance(recipient, Addressee) and not (is_essential(kind) and dedup_key):
        raise ValueError("a person without an account receives essential kinds, with a key")
    item = NotificationItem(recipient, about, context or {}, dedup_key)
    notification = _build(
        kind=kind,
        item=item,
        texts=texts or _TextSource(),
        rhythm=_rhythms(kind, [recipient.pk]).get(recipient.pk, _default_rhythm(kind)),
    )
    if new_key:
        notification.save(force_insert=True)
    else:
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the caller's work intact
                notification.save()
        except IntegrityError:
            if Notification.objects.filter(dedup_key=notification.dedup_key).exists():
                return None
            raise
    if notification.email_status == EmailStatus.PENDING:
        task_enqueue_on_commit("notifications.deliver", notification.pk)
    return notification


def notifications_send_bulk(*, kind: NoticeKind | str, items: Iterable[NotificationItem]) -> int:
    """Create many notifications of one kind (a reminder job) in a few queries, skipping
    those already created; one delivery sweep is queued for all. Returns how many are new."""
    items = list(items)
    for item in items:
        item.dedup_key = item.dedup_key or _default_dedup_key(kind, item.recipient, item.about)
    keys = [item.dedup_key for item in items]
    existing: set[str] = set()
    for start in range(0, len(keys), BATCH_SIZE):
        existing.update(
            Notification.objects.filter(dedup_key__in=keys[start : start + BATCH_SIZE]).values_list(
                "dedup_key", flat=True
            )
        )
    items = [item for item in items if item.dedup_key not in existing]
    texts = _TextSource()
    chosen = _rhythms(kind, {item.recipient.pk for item in items})
    default = _default_rhythm(kind)
    new = [
        _build(kind=kind, item=item, texts=texts, rhythm=chosen.get(item.recipient.pk, default))
        for item in items
    ]
    # ignore_conflicts: a job running at the same moment cannot make a duplicate either.
    Notification.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    member_header_forget({notification.recipient_id for notification in new})
    if any(notification.email_status == EmailStatus.PENDING for notification in new):
        task_enqueue_on_commit("notifications.deliver_due")
    return len(new)


# --- Delivery ----------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    pending = Q(email_status=EmailStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(email_status=EmailStatus.SENDING, next_attempt_at__lte=now)
    return pending | abandoned


def _mail_backend():
    if django.VERSION >= (6, 1):
        return mailers.default
    return get_connection()


def sender_address() -> str:
    """DEFAULT_FROM_EMAIL, with the site's name shown as the sender unless it names one."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or settings.SITE_NAME, address))


def _unsubscribable_kinds(notification: Notification) -> list[str]:
    """What the one-click unsubscribe of `notification`'s e-mail turns off: its kind, or
    for a digest the kinds it carried; nothing for an essential kind (it cannot be off)."""
    if notification.kind == DIGEST:
        return sorted({item.kind for item in notification.digest_items.all()})
    if is_essential(notification.kind) or notice_kind_of(notification.kind) is None:
        return []
    return [notification.kind]


def email_message(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of `notification`: plain text and HTML in the recipient's language, a link
    to the preferences page, a Message-ID of the site's domain, and the files its kind
    attaches (a calendar entry for a seat or a place).

    A kind the member may turn off carries a one-click unsubscribe (RFC 8058:
    `List-Unsubscribe` with a signed link naming the member and the kind, and
    `List-Unsubscribe-Post`); an essential kind carries none, since it cannot be turned
    off, only the link to the preferences page in its text."""
    kind = notice_kind_of(notification.kind)
    link = ""
    if kind is not None and kind.link is not None and notification.about is not None:
        # A secret link (an invitation's) is made as the e-mail goes, never stored.
        link = kind.link(notification.about)
    link = link or absolute_url(notification.url)
    kinds = _unsubscribable_kinds(notification)
    unsubscribe = unsubscribe_url(user_id=notification.recipient_id, kinds=kinds) if kinds else ""
    with translation.override(notification.language):
        data = {
            "notification": notification,
            "link": link,
            "site_name": settings.SITE_NAME,
            # A person without an account has no preferences page.
            "preferences": absolute_url(reverse("notifications:preferences"))
            if notification.recipient_id
            else "",
            "unsubscribe": unsubscribe,
        }
        if notification.kind == DIGEST:
            data["groups"] = digest_groups(list(notification.digest_items.all()))
        text = render_to_string("notifications/email.txt", data)
        html = render_to_string(
            "notifications/digest.html"
            if notification.kind == DIGEST
            else "notifications/email.html",
            data,
        )
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    headers = {
        "Auto-Submitted": "auto-generated",
        "X-Forum-Notification": notification.kind,
        "Message-ID": make_msgid(idstring=f"notification-{notification.pk}", domain=domain),
    }
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=text,
        from_email=sender_address(),
        to=[notification.address],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    if kind is not None and kind.attachments is not None and notification.about is not None:
        for filename, content, mimetype in kind.attachments(
            notification.about, notification.recipient
        ):
            message.attach(filename, content, mimetype)
    return message


def _claim(ids_query, now: datetime) -> list[Notification]:
    with transaction.atomic():
        ids = list(
            ids_query.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("created_at", "id")
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        Notification.objects.filter(id__in=ids).update(
            email_status=EmailStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + SENDING_LEASE,
        )
    return list(Notification.objects.filter(id__in=ids).select_related("recipient"))


def _send(notifications: list[Notification], now: datetime) -> int:
    sent: list[int] = []
    failed: dict[int, list[int]] = defaultdict(list)  # ids by attempt number
    errors: dict[int, str] = {}

    def fail(notification: Notification, exc: Exception) -> None:
        failed[notification.attempts].append(notification.id)
        errors.setdefault(notification.attempts, repr(exc))

    backend = _mail_backend()
    try:
        backend.open()
    except TRANSIENT_MAIL_ERRORS as exc:  # the mail server cannot be reached at all
        for notification in notifications:
            fail(notification, exc)
    else:
        for notification in notifications:
            try:
                backend.send_messages([email_message(notification)])
            except TRANSIENT_MAIL_ERRORS as exc:
                fail(notification, exc)
            else:
                sent.append(notification.id)
        try:
            backend.close()
        except TRANSIENT_MAIL_ERRORS:  # what was sent stays sent
            logger.info("Closing the mail connection failed", exc_info=True)

    Notification.objects.filter(id__in=sent).update(
        email_status=EmailStatus.SENT, sent_at=now, next_attempt_at=None, last_error=""
    )
    for attempts, ids in failed.items():
        logger.warning(
            "Mail to %d recipients failed (attempt %d): %s", len(ids), attempts, errors[attempts]
        )
        if attempts >= MAX_ATTEMPTS:
            changes = {"email_status": EmailStatus.FAILED, "next_attempt_at": None}
        else:
            backoff = timedelta(minutes=2 ** (attempts - 1))
            changes = {"email_status": EmailStatus.PENDING, "next_attempt_at": now + backoff}
        Notification.objects.filter(id__in=ids).update(
            last_error=errors[attempts][:2000], **changes
        )
    return len(sent)


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one notification's e-mail if it is due. True when it went out now."""
    now = now or timezone.now()
    claimed = _claim(Notification.objects.filter(pk=notification_id), now)
    return bool(claimed) and _send(claimed, now) == 1


def notifications_deliver_due(*, now: datetime | None = None, max_batches: int = 100) -> int:
    """The sweep: send every due e-mail (new, retried after a failure, or abandoned by a
    worker that died). Returns how many went out."""
    now = now or timezone.now()
    total = 0
    for _batch in range(max_batches):
        claimed = _claim(Notification.objects.all(), now)
        if not claimed:
            break
        total += _send(claimed, now)
    return total


# --- Digests -----------------------------------------------------------------------------

_WAITING_FOR = {Rhythm.DAILY: EmailStatus.DAILY_DIGEST, Rhythm.WEEKLY: EmailStatus.WEEKLY_DIGEST}


def _digest_period(rhythm: str, now: datetime) -> str:
    """The period a digest made at `now` covers, in the portal's time zone: a day
    (2026-12-05) or an ISO week (2026-W49)."""
    day = timezone.localdate(now)
    if rhythm == Rhythm.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _digest_texts(*, rhythm: str, recipient, items: list, forum_names: dict) -> tuple[str, str]:
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        if rhythm == Rhythm.DAILY:
            subject = ngettext(
                "Your daily digest: %(count)d notification",
                "Your daily digest: %(count)d notifications",
                len(items),
            )
        else:
            subject = ngettext(
                "Your weekly digest: %(count)d notification",
                "Your weekly digest: %(count)d notifications",
                len(items),
            )
        body = render_to_string(
            "notifications/digest.txt",
            {"groups": digest_groups(items, forum_names), "site_name": settings.SITE_NAME},
        )
    return subject % {"count": len(items)}, body.strip()


def notifications_digest_send(*, rhythm: str, now: datetime | None = None) -> int:
    """Gather what waits for the `rhythm` ("daily" or "weekly") digest into one digest
    notification per member, sent through the outbox like any other. Its deduplication key
    names the member and the period, so a second run in the same period makes nothing (what
    arrived since waits for the next period); a member with nothing waiting gets nothing.
    The items are marked as included in the same transaction that creates the digest.
    Returns how many digests were made. Queries: a few per member, none per item."""
    now = now or timezone.now()
    rhythm = Rhythm(rhythm)
    status = _WAITING_FOR[rhythm]
    period = _digest_period(rhythm, now)
    waiting = list(
        Notification.objects.filter(email_status=status, created_at__lte=now)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    forum_names = forum_names_of(waiting)
    by_member: dict[int, list[Notification]] = defaultdict(list)
    for notification in waiting:
        by_member[notification.recipient_id].append(notification)
    made = 0
    for items in by_member.values():
        recipient = items[0].recipient
        subject, body = _digest_texts(
            rhythm=rhythm, recipient=recipient, items=items, forum_names=forum_names
        )
        digest = Notification(
            kind=DIGEST,
            recipient=recipient,
            dedup_key=f"digest:{rhythm}:{recipient.pk}:{period}",
            language=recipient.preferred_language or settings.LANGUAGE_CODE,
            subject=subject,
            body=body,
            url=reverse("notifications:list"),
            read_at=now,  # its items are on the site themselves
            created_at=now,
        )
        with transaction.atomic():
            try:
                with transaction.atomic():
                    digest.save(force_insert=True)
            except IntegrityError:
                continue  # this period's digest is made already
            ids = [item.pk for item in items]
            taken = Notification.objects.filter(id__in=ids, email_status=status).update(
                email_status=EmailStatus.IN_DIGEST, digest=digest
            )
            if taken == 0:  # another run took them all in the meantime
                digest.delete()
                continue
            if taken != len(ids):  # another run took some: say only what this one carries
                carried = list(digest.digest_items.all())
                digest.subject, digest.body = _digest_texts(
                    rhythm=rhythm, recipient=recipient, items=carried, forum_names=forum_names
                )
                digest.save(update_fields=["subject", "body"])
        made += 1
    if made:
        task_enqueue_on_commit("notifications.deliver_due")
    return made


# --- Reading and preferences -------------------------------------------------------------


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(id__in=list(ids))
    marked = unread.update(read_at=timezone.now())
    member_header_forget([user.pk])
    return marked


def notification_rhythms_set(*, user, rhythms: dict[str, str]) -> None:
    """Record the rhythm `user` chose for each optional kind in `rhythms`; a kind left at
    its default keeps no row (so a changed default reaches them). Essential kinds and
    unknown ones are ignored: they always go at once."""
    optional = {kind.value: kind for kind in optional_kinds()}
    chosen = {value: Rhythm(rhythm) for value, rhythm in rhythms.items() if value in optional}
    with transaction.atomic():
        NotificationRhythm.objects.filter(user=user, kind__in=list(chosen)).delete()
        NotificationRhythm.objects.bulk_create(
            [
                NotificationRhythm(user=user, kind=value, rhythm=rhythm)
                for value, rhythm in chosen.items()
                if rhythm != optional[value].default_rhythm
            ]
        )
        _digest_items_drop(
            user_id=user.pk,
            kinds=[value for value, rhythm in chosen.items() if rhythm == Rhythm.OFF],
        )


def _digest_items_drop(*, user_id: int, kinds: list[str]) -> None:
    """What waits for a digest of `kinds`, now turned off, no longer goes either."""
    if kinds:
        Notification.objects.filter(
            recipient_id=user_id,
            kind__in=kinds,
            email_status__in=[EmailStatus.DAILY_DIGEST, EmailStatus.WEEKLY_DIGEST],
        ).update(email_status=EmailStatus.NOT_WANTED)


def notification_kinds_turn_off(*, user_id: int, kinds: Iterable[str]) -> list[str]:
    """Turn e-mail of `kinds` off for the member (the one-click unsubscribe). Returns the
    kinds turned off: essential ones stay on."""
    optional = {kind.value for kind in optional_kinds()}
    kinds = sorted(set(kinds) & optional)
    with transaction.atomic():
        for value in kinds:
            NotificationRhythm.objects.update_or_create(
                user_id=user_id, kind=value, defaults={"rhythm": Rhythm.OFF}
            )
        _digest_items_drop(user_id=user_id, kinds=kinds)
    return kinds


def notifications_erase(*, member) -> None:
    """A deleted account's notifications and e-mail preferences go."""
    Notification.objects.filter(recipient=member).delete()
    NotificationRhythm.objects.filter(user=member).delete()
