"""Action plans, their commitments and milestones, the plan's document repository, and the
exports built from them. Field names follow OGP's commitment template (../shared/OGP.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from members.models import StakeholderGroup


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        CO_CREATION = "co_creation", _("Co-creation")
        DRAFTING = "drafting", _("Drafting")
        CONSULTATION = "consultation", _("Public consultation")
        ADOPTED = "adopted", _("Adopted")
        IMPLEMENTATION = "implementation", _("In implementation")
        COMPLETED = "completed", _("Completed")

    forum = models.ForeignKey(
        "members.Forum",
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("forum"),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_('E.g. "5th National Action Plan 2023-2025".')
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    country = CountryField(_("country"))
    locality = models.CharField(
        _("locality"), max_length=200, blank=True, help_text=_("For a local action plan.")
    )
    number = models.PositiveSmallIntegerField(
        _("action plan number"), null=True, blank=True, help_text=_("1 for the first plan.")
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the plan is written in; its PDF headings use it too."),
    )
    version = models.CharField(_("version"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CO_CREATION
    )
    vision = models.TextField(_("introduction and open-government vision"), blank=True)
    efforts_to_date = models.TextField(_("open-government efforts to date"), blank=True)
    development = models.TextField(
        _("how the plan was co-created"),
        blank=True,
        help_text=_("The forum, the timeline, who took part."),
    )
    process = models.ForeignKey(
        "cocreation.CoCreationProcess",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("co-creation process"),
        help_text=_("The workshops that fed this plan; its annex reports on them."),
    )
    consultation_opens_at = models.DateTimeField(_("consultation opens"), null=True, blank=True)
    consultation_closes_at = models.DateTimeField(_("consultation closes"), null=True, blank=True)
    assessment_panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assessment_panels",
        verbose_name=_("civil society's assessment panel"),
        help_text=_(
            "Members the secretariat names to assess the milestones for civil society, "
            "besides the non-government seats of the forum's body."
        ),
    )
    pdf_commitment_per_page = models.BooleanField(
        _("each commitment on a new page in the PDF"),
        default=False,
        help_text=_("Otherwise the commitments follow one another without blank space."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(consultation_opens_at__isnull=True)
                | Q(consultation_closes_at__isnull=True)
                | Q(consultation_closes_at__gt=models.F("consultation_opens_at")),
                name="plan_consultation_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actionplans:plan_detail", args=[self.slug])

    def clean(self):
        if self.status == self.Status.CONSULTATION and not (
            self.consultation_opens_at and self.consultation_closes_at
        ):
            raise ValidationError(
                _("Set the consultation's opening and closing dates first."),
                code="consultation_dates",
            )

    @property
    def place(self) -> str:
        return self.locality or self.country.name

    def consultation_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.CONSULTATION
            and self.consultation_opens_at is not None
            and self.consultation_closes_at is not None
            and self.consultation_opens_at <= now < self.consultation_closes_at
        )


# The commitment's own text, as drafted and versioned (the IRM fields, OGP's id and the
# status are recorded separately).
DRAFTED_FIELDS = [
    "title",
    "summary",
    "problem",
    "description",
    "solution",
    "transparency",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
    "inclusion",
    "values_relevance",
    "lead_agency",
    "government_actors",
    "non_government_actors",
    "contact_name",
    "contact_title",
    "contact_department",
    "contact_email",
    "contact_phone",
    "start_date",
    "end_date",
    "challenge_areas",
    "policy_areas",
    "additional_information",
    "continues",
]


class ChallengeArea(models.TextChoices):
    """OGP's Open Gov Challenge areas, in OGP's (alphabetical) order."""

    ACCESS_TO_INFORMATION = "access_to_information", _("Access to Information")
    ANTI_CORRUPTION = "anti_corruption", _("Anti-Corruption")
    CIVIC_SPACE = "civic_space", _("Civic Space")
    CLIMATE_ENVIRONMENT = "climate_environment", _("Climate and Environment")
    DIGITAL_GOVERNANCE = "digital_governance", _("Digital Governance")
    FISCAL_OPENNESS = "fiscal_openness", _("Fiscal Openness")
    GENDER_INCLUSION = "gender_inclusion", _("Gender and Inclusion")
    JUSTICE = "justice", _("Justice")
    MEDIA_FREEDOM = "media_freedom", _("Media Freedom")
    PUBLIC_PARTICIPATION = "public_participation", _("Public Participation")


def validate_challenge_areas(value):
    """A list of distinct Open Gov Challenge area codes."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("A list of Open Gov Challenge areas."), code="not_a_list")
    unknown = sorted(set(value) - set(ChallengeArea.values))
    if unknown:
        raise ValidationError(
            _("Not an Open Gov Challenge area: %(areas)s."),
            code="unknown_area",
            params={"areas": ", ".join(unknown)},
        )


def challenge_areas_ordered(values) -> list[str]:
    """`values` in OGP's order, each once: lists that hold the same areas compare equal."""
    chosen = set(values or ())
    return [value for value in ChallengeArea.values if value in chosen] + sorted(
        chosen - set(ChallengeArea.values)  # left for validation to refuse
    )


def challenge_area_q(area: str, prefix: str = "") -> Q:
    """Commitments tagged with `area`. The list is stored as JSON text (`["a", "b"]`); a
    code is a quoted token, so matching it with its quotes is exact, and the same on SQLite
    (which has no JSON `contains` lookup) and PostgreSQL (where it is `UPPER(field::text)`)."""
    return Q(**{f"{prefix}challenge_areas__icontains": f'"{area}"'})


def continuation_error(commitment, earlier) -> str:
    """Why `commitment` cannot continue `earlier` ("" when it can): only a commitment of an
    earlier plan of the same forum is carried over."""
    if earlier.pk is not None and earlier.pk == commitment.pk:
        return _("A commitment cannot continue itself.")
    if earlier.plan.forum_id != commitment.plan.forum_id:
        return _("Only a commitment of the same forum's plans can be carried over.")
    if earlier.plan_id == commitment.plan_id or not (
        earlier.plan.period_start < commitment.plan.period_start
    ):
        return _("Only a commitment of an earlier plan can be carried over.")
    return ""


class Commitment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FORUM_REVIEW = "forum_review", _("In forum review")
        VALIDATED = "validated", _("Validated by the forum")
        INCLUDED = "included", _("Included in the plan")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class PotentialResults(models.TextChoices):
        UNCLEAR = "unclear", _("Unclear")
        MODEST = "modest", _("Modest")
        SUBSTANTIAL = "substantial", _("Substantial")

    class IrmCompletion(models.TextChoices):
        NO_EVIDENCE = "no_evidence", _("No evidence available")
        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")

    class EarlyResults(models.TextChoices):
        WORSENED = "worsened", _("Worsened")
        DID_NOT_CHANGE = "did_not_change", _("Did not change")
        MARGINAL = "marginal", _("Marginal")
        MAJOR = "major", _("Major")
        OUTSTANDING = "outstanding", _("Outstanding")

    # Statuses the public sees; drafts stay with their co-drafters and the forum.
    PUBLIC_STATUSES = (Status.FORUM_REVIEW, Status.VALIDATED, Status.INCLUDED)

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("plan")
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Order in the plan."))
    ogp_id = models.CharField(
        _("OGP commitment id"),
        max_length=12,
        blank=True,
        help_text=_("Assigned by OGP: country code and four digits, e.g. GR0089."),
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("brief description"), blank=True)
    problem = models.TextField(
        _("problem definition"), blank=True, help_text=_("The problem and its causes.")
    )
    description = models.TextField(
        _("commitment description"),
        blank=True,
        help_text=_("What the commitment does, what was tried before, the expected results."),
    )
    solution = models.TextField(_("how it contributes to solving the problem"), blank=True)
    transparency = models.BooleanField(_("transparency and access to information"), default=False)
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    inclusion = models.BooleanField(_("inclusion"), default=False)
    values_relevance = models.TextField(
        _("relevance to the OGP values"),
        blank=True,
        help_text=_("How the commitment serves each value ticked above."),
    )
    lead_agency = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_commitments",
        verbose_name=_("lead implementing agency"),
    )
    government_actors = models.TextField(
        _("other government actors"), blank=True, help_text=_("Who, and their role.")
    )
    non_government_actors = models.TextField(
        _("non-government actors"),
        blank=True,
        help_text=_("Civil society, private sector, academia, multilaterals; and their role."),
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_title = models.CharField(_("contact title"), max_length=200, blank=True)
    contact_department = models.CharField(_("contact department"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    challenge_areas = models.JSONField(
        _("Open Gov Challenge areas"),
        default=list,
        blank=True,
        validators=[validate_challenge_areas],
        help_text=_("The areas of OGP's Open Gov Challenge the commitment advances."),
    )
    policy_areas = models.CharField(
        _("policy areas"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    additional_information = models.TextField(
        _("additional information"),
        blank=True,
        help_text=_("Budget, links to other programmes, the Sustainable Development Goals."),
    )
    continues = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        verbose_name=_("continues the commitment"),
        help_text=_(
            "A commitment of one of the forum's earlier plans that this one carries over, "
            "with its history and completion so far."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)
    co_drafters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="drafted_commitments",
        verbose_name=_("co-drafters"),
    )
    contributions = models.ManyToManyField(
        "cocreation.Contribution",
        blank=True,
        related_name="commitments",
        verbose_name=_("contributions it grew from"),
    )
    # The independent assessment (IRM), recorded by the secretariat.
    irm_verifiable = models.BooleanField(_("verifiable (IRM)"), null=True, blank=True)
    irm_open_government_lens = models.BooleanField(
        _("open-government lens (IRM)"), null=True, blank=True
    )
    irm_potential_results = models.CharField(
        _("potential for results (IRM)"),
        max_length=20,
        choices=PotentialResults.choices,
        blank=True,
    )
    irm_completion = models.CharField(
        _("completion (IRM)"), max_length=20, choices=IrmCompletion.choices, blank=True
    )
    irm_early_results = models.CharField(
        _("did it open government? (IRM)"),
        max_length=20,
        choices=EarlyResults.choices,
        blank=True,
    )
    # Every save raises the version; a save based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["plan", "number", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="commitment_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("actionplans:commitment_detail", args=[self.plan.slug, self.number])

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def ogp_values(self) -> list[str]:
        """The labels of the OGP values the commitment serves, in OGP's order."""
        names = [
            "transparency",
            "civic_participation",
            "public_accountability",
            "technology_innovation",
            "inclusion",
        ]
        return [str(self._meta.get_field(n).verbose_name) for n in names if getattr(self, n)]

    def clean(self):
        super().clean()
        if self.continues_id is not None and self.plan_id is not None:
            error = continuation_error(self, self.continues)
            if error:
                raise ValidationError({"continues": error}, code="continues")

    def challenge_area_links(self) -> list[tuple[str, str]]:
        """Its Open Gov Challenge areas (value, label), in OGP's order."""
        areas = set(self.challenge_areas or ())
        return [(value, label) for value, label in ChallengeArea.choices if value in areas]

    def challenge_area_labels(self) -> list[str]:
        return [label for _value, label in self.challenge_area_links()]

    def policy_area_list(self) -> list[str]:
        """Its policy areas: the comma-separated text, as a list."""
        return [a.strip() for a in self.policy_areas.split(",") if a.strip()]


class CommitmentVersion(models.Model):
    """A saved state of a commitment's text: who saved it and when. Never edited."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(_("fields"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["commitment", "-number"]
        verbose_name = _("commitment version")
        verbose_name_plural = _("commitment versions")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="version_unique")
        ]

    def __str__(self):
        return f"{self.commitment} v{self.number}"


class SignOff(models.Model):
    """A co-chair's validation of a commitment on behalf of their stakeholder group."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="sign_offs")
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    co_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commitment_sign_offs",
        verbose_name=_("co-chair"),
    )
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta:
        ordering = ["stakeholder_group"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "stakeholder_group"], name="one_sign_off_per_group"
            )
        ]

    def __str__(self):
        return f"{self.co_chair} signed {self.commitment}"


class Milestone(models.Model):
    class Completion(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")

    # The share of a milestone done at each level, for the dashboards.
    COMPLETION_SHARE = {
        Completion.NOT_STARTED: 0,
        Completion.LIMITED: 1 / 3,
        Completion.SUBSTANTIAL: 2 / 3,
        Completion.COMPLETE: 1,
    }

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("commitment"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    activity = models.TextField(_("activity"))
    deliverable = models.TextField(_("verifiable deliverable"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("expected completion date"), null=True, blank=True)
    completed_on = models.DateField(_("actual completion date"), null=True, blank=True)
    responsible = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible organisation"),
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    evidence_url = models.URLField(_("evidence link"), blank=True)
    progress_note = models.TextField(_("progress note"), max_length=1000, blank=True)
    progress_reported_at = models.DateTimeField(_("progress reported"), null=True, blank=True)
    progress_organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestone_progress_reports",
        verbose_name=_("progress reported for"),
        help_text=_("The organisation of the member who last reported progress, at the time."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["commitment", "position", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["end_date", "completion"])]

    def __str__(self):
        return self.activity[:80]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.end_date is not None
            and self.end_date < today
            and self.completion != self.Completion.COMPLETE
        )

    def civil_society_assessment(self) -> "MilestoneAssessment | None":
        """Civil society's assessment, or None. Load it with the milestone
        (`select_related("civil_assessment")`): a page of milestones must not ask for each."""
        try:
            return self.civil_assessment
        except MilestoneAssessment.DoesNotExist:
            return None

    @property
    def reported(self) -> bool:
        """Whether the lead agency has reported progress (its level is otherwise the default)."""
        return self.progress_reported_at is not None

    @property
    def assessments_differ(self) -> bool:
        """Whether the lead agency's report and civil society's assessment give different
        completion levels (only when both have assessed it)."""
        assessment = self.civil_society_assessment()
        return assessment is not None and self.reported and assessment.completion != self.completion


class MilestoneAssessment(models.Model):
    """Civil society's assessment of a milestone, beside the lead agency's own report: a
    level on the same completion scale, its evidence and a note. One per milestone: the
    latest by any member entitled to assess for civil society (a non-government seat on the
    plan's forum body, or the plan's assessment panel), as the lead agency's report is its
    latest; each change is kept in the audit trail."""

    milestone = models.OneToOneField(
        Milestone,
        on_delete=models.CASCADE,
        related_name="civil_assessment",
        verbose_name=_("milestone"),
    )
    completion = models.CharField(
        _("completion (civil society)"), max_length=20, choices=Milestone.Completion.choices
    )
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence = models.TextField(
        _("evidence"),
        max_length=1000,
        blank=True,
        help_text=_("What the assessment rests on, when there is no link to give."),
    )
    note = models.TextField(_("note"), max_length=1000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestone_assessments",
        verbose_name=_("assessed by"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestone_assessments",
        verbose_name=_("assessed for"),
        help_text=_("The organisation of the member who assessed it, at the time."),
    )
    created_at = models.DateTimeField(_("first assessed"), default=timezone.now)
    updated_at = models.DateTimeField(_("assessed"), default=timezone.now)

    class Meta:
        ordering = ["milestone"]
        verbose_name = _("civil society's assessment")
        verbose_name_plural = _("civil society's assessments")

    def __str__(self):
        return f"{self.milestone}: {self.get_completion_display()}"


class ConsultationComment(models.Model):
    """A comment on a commitment during the plan's public consultation, and the reasoned
    response it gets."""

    class Disposition(models.TextChoices):
        TAKEN = "taken", _("Taken into the commitment")
        PARTLY_TAKEN = "partly_taken", _("Partly taken into the commitment")
        NOT_TAKEN = "not_taken", _("Not taken forward")
        NOTED = "noted", _("Noted, no change needed")

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="consultation_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_comments",
        verbose_name=_("organisation"),
        help_text=_("The author's organisation when they wrote the comment."),
    )
    stakeholder_group = models.CharField(
        _("stakeholder group"),
        max_length=20,
        choices=StakeholderGroup.choices,
        blank=True,
        help_text=_("The author's stakeholder group when they wrote the comment."),
    )
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    disposition = models.CharField(
        _("response"), max_length=20, choices=Disposition.choices, blank=True
    )
    response = models.TextField(_("reasoned response"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")

    def __str__(self):
        return self.text[:50]


def document_upload_to(instance, filename):
    return f"repository/{instance.plan_id}/{timezone.now():%Y}/{filename}"


class Document(models.Model):
    """An entry of the plan's public repository: a file or a link, dated and attributed."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        DRAFT = "draft", _("Draft")
        ADOPTED_PLAN = "adopted_plan", _("Adopted plan")
        PROGRESS_REPORT = "progress_report", _("Progress report")
        EVIDENCE = "evidence", _("Evidence")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="documents", verbose_name=_("plan")
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("milestone"),
        help_text=_("For evidence: the milestone it shows progress on."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    url = models.URLField(_("link"), blank=True)
    dated = models.DateField(_("date"), default=timezone.localdate)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("from organisation"),
        help_text=_("The organisation of the member who filed it, at the time."),
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)
    text = models.TextField(
        _("text of the file"),
        blank=True,
        editable=False,
        help_text=_("Read from a PDF or text file by the worker, for the search."),
    )

    class Meta:
        ordering = ["-dated", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="document_has_file_or_link"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.file:
            return reverse("actionplans:document_file", args=[self.plan.slug, self.pk])
        return self.url


class PlanExport(models.Model):
    """A PDF of a plan, built by a task. Reused while the plan's fingerprint is unchanged."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="exports")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["plan", "fingerprint"])]

    def __str__(self):
        return f"{self.plan} ({self.get_status_display()})"
