"""The Open Gov Week calendar: campaigns, the events members submit, and registrations."""

import secrets
import zoneinfo
from decimal import Decimal

from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.calendar import calendar_token
from core.timezones import zone_names

# Any language an event may be held in, named in the reader's language.
LANGUAGE_CHOICES = [(code, _(name)) for code, name in global_settings.LANGUAGES]


def language_choices() -> list[tuple[str, str]]:
    """Django's list of languages, read at run time: it grows with Django's releases, and
    the migrations must not depend on the version installed."""
    return LANGUAGE_CHOICES


def validate_timezone(value: str):
    if value not in zone_names():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Campaign(models.Model):
    """A period of events under one banner, e.g. "Open Gov Week 2026"."""

    forum = models.ForeignKey(
        "members.Forum",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("forum"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    accepts_submissions = models.BooleanField(
        _("accepts submissions"),
        default=True,
        help_text=_("Members can choose it when they submit an event."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign must end on or after its start.")})


class Event(models.Model):
    class Format(models.TextChoices):
        SEMINAR = "seminar", _("Seminar")
        PUBLIC_DEBATE = "public_debate", _("Public debate")
        CONFERENCE = "conference", _("Conference")
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        HACKATHON = "hackathon", _("Hackathon")
        OTHER = "other", _("Other")

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid: in person and online")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Not approved")

    forum = models.ForeignKey(
        "members.Forum",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("forum"),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("campaign"),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("submitted by"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    attendance = models.CharField(
        _("in person or online"), max_length=20, choices=Attendance.choices
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    online_link = models.URLField(_("link to join online"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_timezone],
        help_text=_("Times are shown in this zone, e.g. Europe/Athens."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=language_choices, default="en"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising organisation"),
    )
    partners = models.TextField(
        _("partners"), blank=True, help_text=_("The organisations you work with, one per line.")
    )
    link = models.URLField(_("web page"), blank=True)
    # The inclusion checklist OGP asks of Open Gov Week events.
    accessible_venue = models.BooleanField(_("the venue or platform is accessible"), default=False)
    vulnerable_groups = models.BooleanField(
        _("vulnerable or under-represented groups are involved"), default=False
    )
    gender_balanced = models.BooleanField(_("the speakers are gender-balanced"), default=False)
    civil_society_partners = models.BooleanField(
        _("civil-society organisations are partners"), default=False
    )
    inclusion_notes = models.TextField(_("more about inclusion"), blank=True)
    registration_required = models.BooleanField(_("registration through the forum"), default=False)
    open_to_guests = models.BooleanField(
        _("open to people without an account"),
        default=False,
        help_text=_(
            "Anyone may register with a name and an e-mail address they confirm, without "
            "joining an organisation. Their name and address are erased after the event."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: no limit. When the places are taken, people join a waiting list."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    rejection_reason = models.TextField(_("why it was not approved"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    sequence = models.PositiveIntegerField(
        _("calendar sequence"), default=0, help_text=_("Raised at every change of time or place.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="event_coordinates_both_or_none",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["status", "submitted_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both the latitude and the longitude, or neither.")
        if self.attendance in (self.Attendance.IN_PERSON, self.Attendance.HYBRID):
            if not self.city:
                errors["city"] = _("Say in which city the event takes place.")
            if not self.country:
                errors["country"] = _("Say in which country the event takes place.")
        if self.capacity and not self.registration_required:
            errors["capacity"] = _("Places are counted only when registration is on.")
        if self.open_to_guests and not self.registration_required:
            errors["open_to_guests"] = _(
                "People without an account register through the forum: turn registration on."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def in_person(self) -> bool:
        return self.attendance in (self.Attendance.IN_PERSON, self.Attendance.HYBRID)

    @property
    def online(self) -> bool:
        return self.attendance in (self.Attendance.ONLINE, self.Attendance.HYBRID)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def inclusion_checklist(self) -> list[tuple[str, bool]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in INCLUSION_FIELDS
        ]

    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


INCLUSION_FIELDS = [
    "accessible_venue",
    "vulnerable_groups",
    "gender_balanced",
    "civil_society_partners",
]


def guest_token() -> str:
    """The secret in the links e-mailed to a guest: it confirms their address, shows their
    place and cancels it (they have no account to log in to)."""
    return secrets.token_urlsafe(32)


class EventRegistration(models.Model):
    """A place at an event, or a numbered place on its waiting list: a member's, or a
    guest's (someone without an account, by name and a confirmed e-mail address)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("member"),
        help_text=_("Empty for a guest without an account."),
    )
    guest_name = models.CharField(_("guest's name"), max_length=200, blank=True)
    guest_email = models.EmailField(_("guest's e-mail address"), blank=True)
    guest_language = models.CharField(_("guest's language"), max_length=10, blank=True)
    guest_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    verified_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("place confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"],
                condition=~Q(status="cancelled"),
                name="event_registration_one_per_member",
            ),
            # A guest's name and address are erased after the event (emptied): the rule
            # holds for the addresses still there.
            models.UniqueConstraint(
                fields=["event", "guest_email"],
                condition=Q(member__isnull=True) & ~Q(status="cancelled") & ~Q(guest_email=""),
                name="event_registration_one_per_guest",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=True)
                | Q(guest_name="", guest_email="", guest_token__isnull=True),
                name="event_registration_member_or_guest",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "id"])]

    def __str__(self):
        return f"{self.person_name} – {self.event}"

    @property
    def is_guest(self) -> bool:
        return self.member_id is None

    @property
    def person_name(self) -> str:
        if self.member_id is None:
            return self.guest_name or gettext("a guest (name erased)")
        return self.member.get_full_name()

    @property
    def person_email(self) -> str:
        return self.guest_email if self.member_id is None else self.member.email


class GuestRequest(models.Model):
    """Someone without an account who asked for a place at an event open to guests, until
    they open the link e-mailed to them: then it becomes their registration (and only then
    counts for a place). Unconfirmed requests are deleted after GUEST_REQUEST_HOURS."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="guest_requests", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=guest_token)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("guest's request waiting for confirmation")
        verbose_name_plural = _("guests' requests waiting for confirmation")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="guest_request_one_per_email")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.name} – {self.event}"


class EventCalendarFeed(models.Model):
    """The secret address of a member's "my events" calendar feed."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=calendar_token)

    class Meta:
        verbose_name = _("event calendar feed")
        verbose_name_plural = _("event calendar feeds")

    def __str__(self):
        return str(self.member)
