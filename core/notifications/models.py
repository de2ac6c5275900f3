from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications.kinds import Rhythm, kind_choices, kind_label
from core.notifications.timings import (
    reminder_timing_label,
    reminder_timing_of,
    reminder_value_parse,
)


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NOT_WANTED = "not_wanted", _("not sent: the member turned this kind off")
    DAILY_DIGEST = "daily_digest", _("waiting for the daily digest")
    WEEKLY_DIGEST = "weekly_digest", _("waiting for the weekly digest")
    IN_DIGEST = "in_digest", _("sent in a digest")


class Notification(models.Model):
    """One message to one member about one thing: shown on the site, and sent by e-mail once.

    `dedup_key` is unique: a job that runs twice, or a retry after a crash, cannot create a
    second notification for the same occasion. A few essential kinds go to a person without
    an account (yet): an invitation. Such a row has no `recipient` but an `email`, and is
    never shown on the site.
    """

    kind = models.CharField(_("kind"), max_length=50, choices=kind_choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(
        _("address without an account"),
        blank=True,
        help_text=_("For a person who has no account yet (an invitation)."),
    )
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    about_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    dedup_key = models.CharField(_("deduplication key"), max_length=255, unique=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest_items",
        verbose_name=_("sent in the digest"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["email_status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(email=""),
                name="notification_has_an_addressee",
            )
        ]

    def __str__(self):
        return f"{kind_label(self.kind)} → {self.recipient or self.email}"

    @property
    def address(self) -> str:
        """Where its e-mail goes: the member's address, or the one given without an account."""
        return self.recipient.email if self.recipient_id else self.email


class NotificationTemplate(models.Model):
    """The text of a kind of notification, edited by the secretariat instead of the file
    template. Django template syntax; leave the language empty to cover all languages."""

    kind = models.CharField(_("kind"), max_length=50, choices=kind_choices)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: used for every language that has no text of its own."),
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Django template syntax. Available: {{ recipient }}, {{ about }}, {{ site_name }} "
            "and the variables of the kind (see the file templates)."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification text")
        verbose_name_plural = _("notification texts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"], name="notification_template_unique"
            )
        ]

    def __str__(self):
        return f"{kind_label(self.kind)} ({self.language or _('all languages')})"

    def clean(self):
        for field in ("subject", "body"):
            try:
                Template(getattr(self, field))
            except TemplateSyntaxError as exc:
                raise ValidationError({field: str(exc)}) from exc


class NotificationRhythm(models.Model):
    """How a member wants e-mail of a (non-essential) kind: off, at once, or in a daily or
    weekly digest. A kind without a row has its declared default. Whatever the rhythm, the
    notification still shows on the site. (Once `EmailOptOut`: its rows became "off".)"""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_rhythms"
    )
    kind = models.CharField(max_length=50, choices=kind_choices)
    rhythm = models.CharField(
        _("e-mail"), max_length=10, choices=Rhythm.choices, default=Rhythm.OFF
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_rhythm_unique")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} ({self.rhythm})"


def _validate_hours(value: str):
    try:
        hours = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of hours separated by commas, e.g. 48,2.")
        ) from None
    if not hours or any(hour <= 0 for hour in hours):
        raise ValidationError(_("Give at least one number of hours, each above zero."))


class ReminderSetting(models.Model):
    """A reminder timing an app declared (core.notifications.reminders), as the secretariat
    set it; a timing without a row has its default."""

    key = models.CharField(_("timing"), max_length=100, unique=True)
    value = models.CharField(_("value"), max_length=100)

    class Meta:
        ordering = ["key"]
        verbose_name = _("reminder timing")
        verbose_name_plural = _("reminder timing")

    def __str__(self):
        return reminder_timing_label(self.key)

    def clean(self):
        timing = reminder_timing_of(self.key)
        if timing is None:
            raise ValidationError({"key": _("No app declares this reminder timing.")})
        try:
            reminder_value_parse(timing, self.value)
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None
