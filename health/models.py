from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HealthThresholds(models.Model):
    """The limits OGP leaves to a forum, edited by its secretariat; one row per forum."""

    # The limits, in the order the form and the report show them.
    FIELDS = [
        "meeting_interval_days",
        "implementation_meetings_per_year",
        "repository_update_days",
        "notice_days",
        "minutes_days",
        "response_days",
        "warning_days",
    ]

    forum = models.OneToOneField(
        "members.Forum",
        on_delete=models.CASCADE,
        related_name="health_thresholds",
        verbose_name=_("forum"),
    )
    meeting_interval_days = models.PositiveIntegerField(
        _("forum meetings at most this many days apart"),
        validators=[MinValueValidator(1)],
        default=182,
        help_text=_("OGP: the forum meets at least every six months (182 days)."),
    )
    implementation_meetings_per_year = models.PositiveIntegerField(
        _("implementation meetings a year"),
        validators=[MinValueValidator(1)],
        default=2,
        help_text=_("OGP: at least two meetings a year with civil society during implementation."),
    )
    repository_update_days = models.PositiveIntegerField(
        _("repository updated at least every (days)"),
        validators=[MinValueValidator(1)],
        default=183,
        help_text=_("OGP: the repository is updated at least twice a year."),
    )
    notice_days = models.PositiveIntegerField(
        _("notice period (days)"),
        default=14,
        help_text=_("Workshops are announced at least this many days before they start."),
    )
    minutes_days = models.PositiveIntegerField(
        _("minutes published within (days)"),
        validators=[MinValueValidator(1)],
        default=14,
        help_text=_("Days after a workshop ends by which its minutes are public."),
    )
    response_days = models.PositiveIntegerField(
        _("reasoned responses within (days)"),
        validators=[MinValueValidator(1)],
        default=30,
        help_text=_("Days after a workshop ends by which each published contribution is answered."),
    )
    warning_days = models.PositiveIntegerField(
        _("warn this many days ahead"),
        default=30,
        help_text=_("The secretariat is warned when a deadline is this close."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("forum health thresholds")
        verbose_name_plural = _("forum health thresholds")

    def __str__(self):
        return str(_("Forum health thresholds: %(forum)s") % {"forum": self.forum})

    @classmethod
    def of(cls, forum) -> "HealthThresholds":
        """The forum's thresholds; OGP's defaults until its secretariat sets them."""
        return cls.objects.get_or_create(forum=forum)[0]


class EvidencePack(models.Model):
    """The IRM evidence pack of an action plan: one ZIP of its public record, built by a task
    in the language it was asked in, reused while the plan's public record is unchanged
    (the same fingerprint)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    plan = models.ForeignKey(
        "actionplans.ActionPlan",
        on_delete=models.CASCADE,
        related_name="evidence_packs",
        verbose_name=_("plan"),
    )
    language = models.CharField(_("language"), max_length=10)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="evidence-packs/%Y/", blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("IRM evidence pack")
        verbose_name_plural = _("IRM evidence packs")
        indexes = [models.Index(fields=["plan", "language", "fingerprint"])]

    def __str__(self):
        return f"{self.plan} ({self.language}, {self.get_status_display()})"


class StoredReport(models.Model):
    """A forum's public health report (the whole forum, or one of its plans'), in one
    language, as the worker last computed it (health/stored.py): the pages and the JSON are
    served from it, not computed for each request."""

    forum = models.ForeignKey(
        "members.Forum", on_delete=models.CASCADE, related_name="+", verbose_name=_("forum")
    )
    plan = models.ForeignKey(
        "actionplans.ActionPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan"),
    )
    scope = models.CharField(max_length=20)  # "forum", or the plan's primary key
    language = models.CharField(_("language"), max_length=10)
    computed_at = models.DateTimeField(_("computed"))
    # The report as its JSON gives it (at most EVIDENCE_SHOWN items of evidence per check).
    summary = models.JSONField()
    # The JSON answer ready to serve: the summary and the participation figures.
    body = models.TextField()
    # The participation page's figures, compact (health.stored.participation_stored); its
    # rows per workshop are StoredItems.
    participation = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("stored health report")
        verbose_name_plural = _("stored health reports")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "scope", "language"], name="stored_report_once"
            )
        ]

    def __str__(self):
        return f"{self.forum} ({self.scope}, {self.language}, {self.computed_at:%Y-%m-%d %H:%M})"


class StoredItem(models.Model):
    """One item of a long list of a stored report: every item of evidence of a check, its
    warnings, the participation of each workshop. A page reads only its own items (a range
    of positions), whatever the length of the list."""

    report = models.ForeignKey(StoredReport, on_delete=models.CASCADE, related_name="items")
    # "evidence:<check key>", "warnings:<check key>" (soonest due first), "workshops"
    # (the latest first)
    list = models.CharField(max_length=60)
    position = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        verbose_name = _("stored health report item")
        verbose_name_plural = _("stored health report items")
        constraints = [
            models.UniqueConstraint(fields=["report", "list", "position"], name="stored_item_once")
        ]

    def __str__(self):
        return f"{self.list} {self.position}"
