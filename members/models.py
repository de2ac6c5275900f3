from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.voices import GENDER_CHOICES


def email_is(address: str) -> Exact:
    """A filter for the rows whose `email` is `address` but for case, as the indexes on
    Lower("email") read it (the users' and the open invitations'): Django's `iexact` compares
    UPPER(...) on PostgreSQL, which no index serves, so each look-up read the whole table
    (an import of 50,000 people slowed down as its invitations grew)."""
    return Exact(Lower("email"), (address or "").lower())


class StakeholderGroup(models.TextChoices):
    """The two sides that OGP balances in a forum."""

    GOVERNMENT = "government", _("Government")
    NON_GOVERNMENT = "non_government", _("Non-government")


class Sector(models.Model):
    """A kind of organisation inside a stakeholder group; data the secretariat edits."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta:
        ordering = ["stakeholder_group", "position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        # The default sectors' names are in the catalogues (members/defaults.py).
        return gettext(self.name)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("sector")
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("short description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Set by the secretariat.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organisation_detail", args=[self.pk])


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    INFORMATION_REQUESTED = "information_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        extra_fields.setdefault("membership_status", MembershipStatus.APPROVED)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account; they log in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    membership_status = models.CharField(
        _("membership"),
        max_length=30,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    membership_decided_at = models.DateTimeField(_("membership decided"), null=True, blank=True)
    membership_decided_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("membership decided by"),
    )
    membership_note = models.TextField(
        _("reason or question"),
        blank=True,
        help_text=_("The reason of a rejection, or the question asked to the member."),
    )
    membership_reply = models.TextField(
        _("answer to the secretariat"),
        blank=True,
        help_text=_("The member's answer to the secretariat's question."),
    )
    privacy_consented_at = models.DateTimeField(
        _("accepted the privacy notice"), null=True, blank=True
    )
    gender = models.CharField(
        _("gender (optional)"),
        max_length=20,
        blank=True,
        choices=GENDER_CHOICES,
        help_text=_(
            "The common answer, whatever the language it was given in; counted only in "
            "aggregate (members.voices), never shown beside the member."
        ),
    )
    self_described_gender = models.CharField(
        _("gender (self-described, optional)"),
        max_length=100,
        blank=True,
        help_text=_("Used only in aggregated balance statistics."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Addresses are looked up whatever their case, many at once (an import's rows).
        indexes = [models.Index(Lower("email"), name="user_email_lower")]

    def __str__(self):
        # Never the e-mail address: str() and get_full_name() end up on pages, and a member
        # without a name was shown to everyone by their address. The pages of the secretariat
        # that need the address print it themselves.
        return self.full_name or str(_("a member"))

    def get_full_name(self):
        return str(self)

    @property
    def public_name(self) -> str:
        """The name shown beside what a person posted; deleted accounts are anonymous."""
        if not self.is_active:
            return str(_("former member"))
        return self.full_name or str(_("a member"))

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ForumQuerySet(models.QuerySet):
    def default(self) -> "Forum":
        """The portal's first forum: the one the addresses made before there were several
        (/forum-health/, the forum body) serve. The migration makes it; an emptied database
        gets it back, named after the site."""
        forum = self.order_by("pk").first()
        if forum is None:
            forum, _created = self.get_or_create(
                slug=slugify(settings.SITE_NAME)[:60] or "forum",
                defaults={"name": settings.SITE_NAME, "kind": Forum.Kind.NATIONAL},
            )
        return forum


class Forum(models.Model):
    """A multi-stakeholder forum or a working group of one: its own body, workshops, action
    plans, repository and health report. Members and organisations are portal-wide."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National forum")
        LOCAL = "local", _("Local or subnational forum")
        WORKING_GROUP = "working_group", _("Working group of a forum")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        help_text=_(
            "Letters, digits and hyphens. It makes the forum's address: /forums/novi-sad/ for "
            "novi-sad."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), blank=True)
    region = models.CharField(
        _("city or region"), max_length=200, blank=True, help_text=_("For a local forum.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("part of"),
        help_text=_("A working group belongs to its forum."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:home", args=[self.slug])

    def clean(self):
        errors = {}
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                errors["parent"] = _("A forum cannot be part of itself.")
            elif self.parent.kind == Forum.Kind.WORKING_GROUP:
                errors["parent"] = _(
                    "A working group cannot have working groups of its own: choose the forum "
                    "it belongs to."
                )
        elif self.kind == Forum.Kind.WORKING_GROUP:
            errors["parent"] = _("Choose the forum this working group belongs to.")
        if (
            self.pk is not None
            and self.kind == Forum.Kind.WORKING_GROUP
            and Forum.objects.filter(parent_id=self.pk).exists()
        ):
            errors["kind"] = _("This forum has working groups, so it cannot become one.")
        if errors:
            raise ValidationError(errors)


class ForumRole(models.Model):
    """Who runs a forum: its secretariat and its facilitators. Roles are per forum; the
    site administrator (a superuser) names a forum's first secretariat."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        FACILITATOR = "facilitator", _("Facilitator")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="roles", verbose_name=_("forum")
    )
    member = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="forum_roles", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["forum", "role", "member"]
        verbose_name = _("forum role")
        verbose_name_plural = _("forum roles")
        constraints = [
            models.UniqueConstraint(fields=["forum", "member", "role"], name="forum_role_unique")
        ]

    def __str__(self):
        return f"{self.member} ({self.get_role_display()}, {self.forum})"


class ForumSeat(models.Model):
    """A seat on the formal multi-stakeholder forum (OGP's MSF): who sits, for which
    organisation and group, for which term, with which alternate."""

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="seats", verbose_name=_("forum")
    )
    member = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="forum_seats", verbose_name=_("member")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="forum_seats",
        verbose_name=_("organisation"),
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    alternate = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alternate_forum_seats",
        verbose_name=_("alternate"),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    voting = models.BooleanField(_("voting right"), default=True)
    co_chair = models.BooleanField(_("co-chair"), default=False)

    class Meta:
        ordering = ["stakeholder_group", "-co_chair", "organisation__name"]
        verbose_name = _("forum seat")
        verbose_name_plural = _("forum seats")
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "stakeholder_group"],
                condition=models.Q(co_chair=True, term_end__isnull=True),
                name="one_open_co_chair_per_group",
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="forum_seat_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.member} ({self.organisation})"

    def clean(self):
        if (
            self.organisation_id
            and self.stakeholder_group != self.organisation.sector.stakeholder_group
        ):
            raise ValidationError(
                {
                    "stakeholder_group": _(
                        "This organisation belongs to the other stakeholder group."
                    )
                }
            )


class OrganisationChange(models.Model):
    """An approved member's request to change organisation. The organisation decides the
    stakeholder group, and with it the member's seats, quotas and the right to act for the
    organisation: nothing changes until the secretariat approves the request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretariat")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    member = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="organisation_changes",
        verbose_name=_("member"),
    )
    organisation_before = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisation_changes_from",
        verbose_name=_("organisation until now"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="organisation_changes_to",
        verbose_name=_("requested organisation"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was declined."))

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("change of organisation")
        verbose_name_plural = _("changes of organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="one_pending_organisation_change_per_member",
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def with_state(self, now=None) -> "InvitationQuerySet":
        """Each invitation's state as `state_now`, computed by the database (to filter and
        count by it): revoked, accepted, expired or sent."""
        now = now or timezone.now()
        return self.annotate(
            state_now=models.Case(
                models.When(revoked_at__isnull=False, then=models.Value(Invitation.State.REVOKED)),
                models.When(
                    accepted_at__isnull=False, then=models.Value(Invitation.State.ACCEPTED)
                ),
                models.When(expires_at__lte=now, then=models.Value(Invitation.State.EXPIRED)),
                default=models.Value(Invitation.State.SENT),
                output_field=models.CharField(),
            )
        )

    def open(self) -> "InvitationQuerySet":
        """Neither accepted nor revoked (perhaps expired): at most one per forum and address."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """The secretariat of a forum invites a person, instead of letting them sign up and wait
    for approval: it vouches for them, so accepting makes them an approved member of the
    organisation (and so of its stakeholder group). A person who has an account already is
    invited to take part for the organisation instead (`user`), after they confirm.

    The link is signed (members.invitations) and names the invitation and a random nonce;
    only the current nonce opens it, and accepting (or a new e-mail, or revoking) replaces
    it: the link works once, and an older e-mail's link no longer does. The outbox stores
    the e-mail without the link, which is made as the e-mail goes."""

    class State(models.TextChoices):
        SENT = "sent", pgettext_lazy("invitation", "Sent")
        ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
        EXPIRED = "expired", pgettext_lazy("invitation", "Expired")
        REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("forum")
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("account"),
        help_text=_(
            "The account the address had when the invitation was sent, or the one made by "
            "accepting it."
        ),
    )
    seat_term_start = models.DateField(
        _("seat on the forum's body from"),
        null=True,
        blank=True,
        help_text=_(
            "Given: accepting also gives the person a seat on the forum's body, for the "
            "organisation and its stakeholder group, from this date (a voting seat, no "
            "co-chair: the body's page changes the rest)."
        ),
    )
    nonce = models.CharField(max_length=64, blank=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_count = models.PositiveSmallIntegerField(_("e-mails sent"), default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = InvitationQuerySet.as_manager()

    # Whether the last `invitation_send` that returned it sent an e-mail (not stored).
    sent_now = False

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "forum",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_forum_and_address",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.forum})"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.SENT

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class MemberImport(models.Model):
    """A spreadsheet of organisations and people that a forum's secretariat imports: the
    file as uploaded, how its columns map to the portal's fields, a preview of every row's
    fate (`ImportRow`) computed before anything is written, and, once confirmed, what the
    worker wrote (organisations made, people invited). members/imports.py does the work."""

    class State(models.TextChoices):
        MAPPING = "mapping", _("Columns to match")
        PREVIEWING = "previewing", _("Being checked")
        PREVIEWED = "previewed", _("Checked: waiting for confirmation")
        IMPORTING = "importing", _("Being imported")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="member_imports", verbose_name=_("forum")
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/")
    filename = models.CharField(_("file name"), max_length=255)
    # What the file holds: "members" (organisations and people), or what another app
    # registered (members.imports.ImportContent: "meetings", co-creation's past meetings).
    content = models.CharField(_("content"), max_length=20, default="members")
    kind = models.CharField(_("kind of file"), max_length=10)  # csv or xlsx
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, blank=True)
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("columns matched"), default=dict)
    default_language = models.CharField(
        _("language when none is given"), max_length=10, choices=settings.LANGUAGES
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.MAPPING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_new = models.PositiveIntegerField(_("new rows"), default=0)
    rows_existing = models.PositiveIntegerField(_("rows matching existing records"), default=0)
    rows_error = models.PositiveIntegerField(_("rows with errors"), default=0)
    organisations_created = models.PositiveIntegerField(_("organisations created"), default=0)
    people_invited = models.PositiveIntegerField(_("people invited"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import of members")
        verbose_name_plural = _("imports of members")

    def __str__(self):
        return f"{self.filename} ({self.forum})"


class ImportRow(models.Model):
    """One row of an import and its fate: new (something will be made), existing (it
    matches records the portal holds: nothing to make) or error (rejected, with reasons).
    `cells` are the row as the file has it (for the rejected rows' CSV), `values` the
    portal's fields read from it, `reasons` [code, {params}] pairs rendered in the reader's
    language (members/imports.py)."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("import row", "New")
        EXISTING = "existing", pgettext_lazy("import row", "Matches an existing record")
        ERROR = "error", pgettext_lazy("import row", "Error")

    member_import = models.ForeignKey(
        MemberImport, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    number = models.PositiveIntegerField(_("row"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    cells = models.JSONField(_("cells"), default=list)
    values = models.JSONField(_("values"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    matches = models.JSONField(_("matches"), default=dict)
    done = models.BooleanField(_("imported"), default=False)

    class Meta:
        ordering = ["member_import", "number"]
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        constraints = [
            models.UniqueConstraint(
                fields=["member_import", "number"], name="import_row_unique_number"
            )
        ]
        indexes = [models.Index(fields=["member_import", "status", "number"])]

    def __str__(self):
        return f"{self.member_import_id}:{self.number}"


class ImportMapping(models.Model):
    """The columns a forum's last import of a content matched, remembered for the next: a
    header's normalised name to the field it fed."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="import_mappings", verbose_name=_("forum")
    )
    content = models.CharField(_("content"), max_length=20, default="members")
    mapping = models.JSONField(_("columns matched"), default=dict)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("remembered columns of imports")
        verbose_name_plural = _("remembered columns of imports")
        constraints = [
            models.UniqueConstraint(fields=["forum", "content"], name="import_mapping_once")
        ]

    def __str__(self):
        return str(self.forum)
