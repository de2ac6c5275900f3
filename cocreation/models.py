import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreation.seat_pass import new_seat_code, registration_token
from core.calendar import calendar_token
from core.timezones import zone_names
from members.models import StakeholderGroup, User


def organisation_now(member_id) -> tuple[int | None, str]:
    """(organisation id, stakeholder group) of a member today: what a seat or a contribution
    keeps of its member when it is made."""
    row = (
        User.objects.filter(pk=member_id)
        .values_list("organisation_id", "organisation__sector__stakeholder_group")
        .first()
    )
    return (row[0], row[1] or "") if row else (None, "")


def validate_timezone(value: str):
    if value not in zone_names():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class CoCreationProcess(models.Model):
    """E.g. "Co-creation of the 2nd National Action Plan": groups themed workshops."""

    forum = models.ForeignKey(
        "members.Forum",
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("forum"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("co-creation process")
        verbose_name_plural = _("co-creation processes")

    def __str__(self):
        return self.title


class Theme(models.Model):
    process = models.ForeignKey(
        CoCreationProcess,
        on_delete=models.CASCADE,
        related_name="themes",
        verbose_name=_("process"),
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["process", "name"], name="theme_unique")]

    def __str__(self):
        return self.name


class Workshop(models.Model):
    class Kind(models.TextChoices):
        COCREATION = "cocreation", _("Co-creation workshop")
        FORUM_MEETING = "forum_meeting", _("Forum meeting")
        IMPLEMENTATION_REVIEW = "implementation_review", _("Implementation review")
        TRAINING = "training", _("Training")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    process = models.ForeignKey(
        CoCreationProcess,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("process"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="workshops",
        null=True,
        blank=True,
        verbose_name=_("theme"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.COCREATION)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    facilitating_organisations = models.ManyToManyField(
        "members.Organisation",
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("facilitating partner organisations"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("facilitators"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_timezone],
        help_text=_("Times are shown in this zone, e.g. Europe/Athens."),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to confirmed participants.")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    accessibility = models.TextField(_("accessibility information"), blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    government_quota = models.PositiveIntegerField(_("seats for government"), default=10)
    non_government_quota = models.PositiveIntegerField(_("seats for non-government"), default=10)
    first_time_seats = models.PositiveIntegerField(
        _("seats kept for first-time participants"),
        default=0,
        help_text=_(
            "Of the capacity, this many seats go only to people who have never attended a "
            "workshop before, shared between the groups in proportion to their seats. From the "
            "quota release time, those left free go to the waiting list."
        ),
    )
    quota_release_hours = models.PositiveIntegerField(
        _("quota release (hours before the start)"),
        null=True,
        blank=True,
        help_text=_(
            "From this many hours before the start, seats left free in one group go to the "
            "other group's waiting list. Empty: never."
        ),
    )
    check_in_opens_hours_before = models.PositiveIntegerField(
        _("check-in opens (hours before the start)"),
        null=True,
        blank=True,
        help_text=_("Empty: check-in opens on the workshop's day, in its own time zone."),
    )
    reminder_hours = models.CharField(
        _("reminders (hours before the start)"),
        max_length=100,
        blank=True,
        help_text=_("Empty: the forum's default reminder timing."),
    )
    sequence = models.PositiveIntegerField(
        _("calendar sequence"), default=0, help_text=_("Raised at every reschedule.")
    )
    rescheduled_at = models.DateTimeField(_("last rescheduled"), null=True, blank=True)
    announced_at = models.DateTimeField(
        _("announced"), null=True, blank=True, help_text=_("When it was first published.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(
                    capacity=models.F("government_quota") + models.F("non_government_quota")
                ),
                name="workshop_quotas_add_up_to_capacity",
            ),
            models.CheckConstraint(
                condition=Q(first_time_seats__lte=models.F("capacity")),
                name="workshop_first_time_seats_within_capacity",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cocreation:workshop_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The workshop must end after it starts.")
        if self.government_quota + self.non_government_quota != self.capacity:
            errors["capacity"] = _(
                "The seats for government and non-government must add up to the capacity."
            )
        if self.first_time_seats > self.capacity:
            errors["first_time_seats"] = _(
                "No more seats can be kept for first-time participants than the capacity."
            )
        if self.theme_id and self.theme.process_id != self.process_id:
            errors["theme"] = _("This theme belongs to another process.")
        if errors:
            raise ValidationError(errors)

    def quota(self, group: str) -> int:
        if group == StakeholderGroup.GOVERNMENT:
            return self.government_quota
        return self.non_government_quota

    def first_time_seats_of(self, group: str) -> int:
        """The seats of `group`'s quota kept for first-time participants: the reservation
        shared in proportion to the quotas, the government's share rounded down."""
        if not self.first_time_seats or not self.capacity:
            return 0
        government = self.first_time_seats * self.government_quota // self.capacity
        if group == StakeholderGroup.GOVERNMENT:
            return government
        return min(self.first_time_seats - government, self.non_government_quota)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def attendance_mode(self) -> str:
        """ "hybrid" (a venue and an online link), "online" (a link, no venue) or
        "in_person". A venue of blanks is no venue: an online workshop is never hybrid."""
        venue, online = bool(self.venue.strip()), bool(self.online_link.strip())
        if venue and online:
            return "hybrid"
        return "online" if online else "in_person"

    def check_in_opens_at(self) -> datetime:
        """From when attendance can be taken: the set number of hours before the start, or
        else midnight of the workshop's day in its own zone."""
        if self.check_in_opens_hours_before is not None:
            return self.starts_at - timedelta(hours=self.check_in_opens_hours_before)
        day = self.starts_at.astimezone(self.zone).date()
        return datetime.combine(day, time.min, tzinfo=self.zone)

    def check_in_open(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.check_in_opens_at()

    def quota_release_at(self):
        if self.quota_release_hours is None:
            return None
        return self.starts_at - timedelta(hours=self.quota_release_hours)


class Registration(models.Model):
    """A member's seat, or numbered place on their group's waiting list, in a workshop."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("workshop")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workshop_registrations",
        verbose_name=_("member"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_registrations",
        verbose_name=_("organisation"),
        help_text=_("The member's organisation when they took the place."),
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    seat_group = models.CharField(
        _("seat from the quota of"),
        max_length=20,
        choices=StakeholderGroup.choices,
        blank=True,
        help_text=_("Differs from the member's group only after a quota release."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not checked in")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    checked_in_at = models.DateTimeField(
        _("checked in"),
        null=True,
        blank=True,
        help_text=_("When a facilitator checked them in (empty for check-ins before it was kept)."),
    )
    seat_code = models.CharField(
        _("seat code"),
        max_length=6,
        default=new_seat_code,
        editable=False,
        help_text=_("Shown under the seat's QR code, typed at check-in without a camera."),
    )
    walk_in = models.BooleanField(_("walk-in"), default=False)
    first_time = models.BooleanField(
        _("first-time participant"),
        default=False,
        help_text=_("Had attended no workshop before registering."),
    )
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    agrees_to_be_named = models.BooleanField(_("agrees to be named in the minutes"), default=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("seat confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "member"],
                condition=~Q(status="cancelled"),
                name="registration_one_place_per_member",
            ),
            models.UniqueConstraint(
                fields=["workshop", "seat_code"], name="registration_seat_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status", "stakeholder_group", "id"])]

    def __str__(self):
        return f"{self.member} – {self.workshop}"

    def save(self, *args, **kwargs):
        # A new place keeps its member's organisation of the moment (services pass it).
        if self._state.adding and self.organisation_id is None and self.member_id:
            self.organisation_id = organisation_now(self.member_id)[0]
        super().save(*args, **kwargs)

    @property
    def seat_token(self) -> str:
        """The signed token of this seat's QR code (cocreation.seat_pass): no member id."""
        return registration_token(self)

    @property
    def seat_pass_shown(self) -> bool:
        """Whether its member is shown the seat's QR code: a confirmed seat in a workshop
        that has not ended (nor been cancelled)."""
        workshop = self.workshop
        return (
            self.status == self.Status.CONFIRMED
            and workshop.status != Workshop.Status.CANCELLED
            and workshop.ends_at > timezone.now()
        )


def new_calendar_token() -> str:
    return calendar_token()


class WalkIn(models.Model):
    """Someone who came to a workshop without an account: recorded by name and stakeholder
    group, so the attendance figures count them. Not named in the minutes."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="walk_ins", verbose_name=_("workshop")
    )
    name = models.CharField(_("name"), max_length=200)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("walk-in without an account")
        verbose_name_plural = _("walk-ins without an account")

    def __str__(self):
        return self.name


class CalendarFeed(models.Model):
    """The secret address of a member's "my workshops" calendar feed."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.member)


class Contribution(models.Model):
    """What a participant posts in a workshop: a challenge or an idea for a commitment."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", _("Challenge")
        IDEA = "idea", _("Idea")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("workshop")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="contributions",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("organisation"),
        help_text=_("The author's organisation when they posted it."),
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"),
        max_length=20,
        choices=StakeholderGroup.choices,
        blank=True,
        help_text=_("The author's stakeholder group when they posted it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    hidden_reason = models.TextField(_("why it is hidden"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    tags = models.ManyToManyField("ContributionTag", blank=True, verbose_name=_("tags"))
    created_at = models.DateTimeField(_("posted"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["workshop", "status", "created_at"]),
            # The API's and open data's list of every published contribution, newest first:
            # read from the index page by page instead of sorting them all.
            models.Index(
                fields=["status", "-created_at", "-id"], name="contribution_public_newest"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A new contribution keeps its author's organisation and group of the moment
        # (cocreation.services.contribution_post passes them).
        if self._state.adding and self.author_id and self.organisation_id is None:
            self.organisation_id, group = organisation_now(self.author_id)
            self.stakeholder_group = self.stakeholder_group or group
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cocreation:contribution_link", args=[self.workshop_id, self.pk])


class ContributionTag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Support(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="supports"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contribution_supports",
        verbose_name=_("organisation"),
        help_text=_("The member's organisation when they gave the support."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "member"], name="one_support_per_member"
            )
        ]

    def __str__(self):
        return f"{self.member} supports {self.contribution}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.organisation_id is None and self.member_id:
            self.organisation_id = organisation_now(self.member_id)[0]
        super().save(*args, **kwargs)


class Comment(models.Model):
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contribution_comments",
        verbose_name=_("organisation"),
        help_text=_("The author's organisation when they wrote the comment."),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:50]

    def save(self, *args, **kwargs):
        if self._state.adding and self.organisation_id is None and self.author_id:
            self.organisation_id = organisation_now(self.author_id)[0]
        super().save(*args, **kwargs)


class AbuseReport(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    reason = models.TextField(_("what is wrong"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self):
        return f"Report on {self.contribution}"


class ReasonedResponse(models.Model):
    """The public answer to a contribution: what became of it, and why."""

    class Disposition(models.TextChoices):
        UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
        MERGED = "merged", _("Merged into another contribution")
        TAKEN_INTO_COMMITMENT = "taken_into_commitment", _("Taken into a commitment")
        NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="response"
    )
    disposition = models.CharField(_("status"), max_length=30, choices=Disposition.choices)
    explanation = models.TextField(_("explanation"))
    commitment_reference = models.CharField(
        _("commitment"),
        max_length=200,
        blank=True,
        help_text=_("Which commitment it was taken into."),
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reasoned response")
        verbose_name_plural = _("reasoned responses")

    def __str__(self):
        return f"{self.get_disposition_display()}: {self.contribution}"


class Minutes(models.Model):
    """What was decided at a workshop, written by its facilitators."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), help_text=_("Formatted text; HTML is cleaned."))
    source = models.TextField(
        _("minutes as written"),
        blank=True,
        help_text=_("The Markdown the facilitators wrote; empty for minutes written in HTML."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.workshop)


class OutreachAttachment(models.Model):
    """A file of a workshop's outreach kit: invitation, agenda, background paper, visuals."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("workshop")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="workshops/outreach/%Y/")
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("outreach kit file")
        verbose_name_plural = _("outreach kit")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cocreation:attachment", args=[self.workshop_id, self.pk])


class PastMeeting(models.Model):
    """A meeting the forum held outside the portal (before it had one, most often), that its
    secretariat records by hand or from a spreadsheet so that forum health counts the
    history the portal did not see: its day, title and kind, its minutes (a link, or a file
    uploaded here) and, when known, how many of each stakeholder group were present."""

    forum = models.ForeignKey(
        "members.Forum",
        on_delete=models.CASCADE,
        related_name="past_meetings",
        verbose_name=_("forum"),
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=Workshop.Kind.choices, default=Workshop.Kind.FORUM_MEETING
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    minutes_url = models.URLField(_("minutes: link"), max_length=500, blank=True)
    minutes_file = models.FileField(_("minutes: file"), upload_to="past-meetings/%Y/", blank=True)
    present_government = models.PositiveIntegerField(
        _("present: government"), null=True, blank=True
    )
    present_non_government = models.PositiveIntegerField(
        _("present: non-government"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # The spreadsheet it came from, while the import is kept (members.imports).
    member_import = models.ForeignKey(
        "members.MemberImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("past meeting")
        verbose_name_plural = _("past meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "held_on", "title"], name="past_meeting_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["forum", "kind", "held_on"])]

    def __str__(self):
        return f"{self.title} ({self.held_on:%Y-%m-%d})"

    @property
    def attendance_known(self) -> bool:
        return self.present_government is not None or self.present_non_government is not None

    @property
    def minutes_link(self) -> str:
        """Where the minutes are read: the file kept here, else the link given, else none."""
        if self.minutes_file:
            return reverse("cocreation:past_meeting_minutes", args=[self.pk])
        return self.minutes_url
