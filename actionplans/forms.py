import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans import services
from actionplans.models import (
    DRAFTED_FIELDS,
    ActionPlan,
    ChallengeArea,
    Commitment,
    ConsultationComment,
    Document,
    Milestone,
    MilestoneAssessment,
    challenge_areas_ordered,
)
from cocreation.models import Contribution
from core.forms import LOCAL_FORMAT, DatesWithinYears, LocalDateTimeInput, as_local, exists_in
from members.models import MembershipStatus, Organisation, User
from members.selectors import organisations_visible_to

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DatesInOrder(DatesWithinYears):
    """A form mixin: the end date may not come before the start date."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class PlanCreateForm(DatesWithinYears, forms.ModelForm):
    """A new action plan of one forum; the public consultation opens later, once its dates
    are set."""

    class Meta:
        model = ActionPlan
        fields = services.PLAN_FIELDS
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "vision": forms.Textarea(attrs={"rows": 5}),
            "efforts_to_date": forms.Textarea(attrs={"rows": 5}),
            "development": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.forum = forum  # the model's own checks see the whole plan
        self.fields["process"].queryset = forum.processes.order_by("-created_at", "id")
        self.fields["status"].choices = [
            choice
            for choice in ActionPlan.Status.choices
            if choice[0] != ActionPlan.Status.CONSULTATION
        ]
        self.fields["status"].help_text = _(
            "A plan goes to public consultation once the consultation's dates are set."
        )
        if not self.is_bound:
            self.initial.setdefault("country", forum.country.code if forum.country else "")
            if forum.kind == forum.Kind.LOCAL:
                self.initial.setdefault("locality", forum.region)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The plan's period must end after it starts."))
        return data


class PlanEditForm(DatesWithinYears, forms.ModelForm):
    """A plan's introduction, title, version, period and language, and the consultation's
    dates: typed as wall-clock times in the portal's zone (settings.TIME_ZONE), which the
    labels name."""

    local_time_fields = ("consultation_opens_at", "consultation_closes_at")

    class Meta:
        model = ActionPlan
        fields = services.PLAN_EDIT_FIELDS
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "consultation_opens_at": LocalDateTimeInput(),
            "consultation_closes_at": LocalDateTimeInput(),
            "vision": forms.Textarea(attrs={"rows": 5}),
            "efforts_to_date": forms.Textarea(attrs={"rows": 5}),
            "development": forms.Textarea(attrs={"rows": 5}),
        }

    @staticmethod
    def zone_label() -> str:
        return settings.TIME_ZONE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_name = settings.TIME_ZONE
        self.zone = zoneinfo.ZoneInfo(self.zone_name)
        for name in self.local_time_fields:
            field = self.fields[name]
            field.input_formats = [LOCAL_FORMAT, *field.input_formats]
            field.help_text = _("In the portal's time zone, %(zone)s.") % {"zone": self.zone_name}
            value = getattr(self.instance, name)
            if value is not None and not self.is_bound:
                self.initial[name] = timezone.localtime(value, self.zone).replace(tzinfo=None)

    def clean(self):
        data = super().clean()
        for name in self.local_time_fields:
            value = data.get(name)
            if value is None:
                continue
            local = as_local(value, self.zone)
            if not exists_in(local, self.zone):
                self.add_error(
                    name,
                    _("This time does not exist in %(zone)s: the clocks go forward then.")
                    % {"zone": self.zone_name},
                )
                continue
            data[name] = local
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The plan's period must end after it starts."))
        opens, closes = data.get("consultation_opens_at"), data.get("consultation_closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "consultation_closes_at", _("The consultation must close after it opens.")
            )
        return data

    def _post_clean(self):
        # The service checks the whole plan (and the status' need for dates) when it saves.
        pass


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionPlan.Status.choices)


class CommitmentForm(DatesInOrder, forms.ModelForm):
    """The drafted fields of the OGP commitment template. `base_version` is the version the
    form was opened at: a save based on an older one is refused (see commitment_save)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput)
    challenge_areas = forms.MultipleChoiceField(
        label=_("Open Gov Challenge areas"),
        choices=ChallengeArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The areas of OGP's Open Gov Challenge the commitment advances."),
    )

    class Meta:
        model = Commitment
        fields = DRAFTED_FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in [
                    "summary",
                    "problem",
                    "description",
                    "solution",
                    "values_relevance",
                    "government_actors",
                    "non_government_actors",
                    "additional_information",
                ]
            },
        }

    def clean_challenge_areas(self):
        # OGP's order, each once: the stored list compares equal whatever the ticking order.
        return challenge_areas_ordered(self.cleaned_data["challenge_areas"])

    def __init__(self, *args, may_link=False, **kwargs):
        super().__init__(*args, **kwargs)
        if may_link:  # the secretariat: a commitment of the forum's earlier plans
            field = self.fields["continues"]
            field.queryset = earlier_commitments(self.instance)
            field.label_from_instance = lambda c: f"{c.plan.title} · {c.number}. {c.title}"
            field.empty_label = _("None: a new commitment")
        else:
            del self.fields["continues"]
        # A lead agency is public: verified organisations (and the commitment's own).
        agencies = organisations_visible_to(None)
        if self.instance.lead_agency_id:
            agencies = agencies | Organisation.objects.filter(pk=self.instance.lead_agency_id)
        self.fields["lead_agency"].queryset = agencies.select_related("sector")
        if self.instance.pk and "base_version" not in self.initial:
            self.initial["base_version"] = self.instance.version


def earlier_commitments(commitment):
    """What `commitment` may continue: the commitments of its forum's earlier plans."""
    plan = commitment.plan
    return (
        Commitment.objects.filter(
            plan__forum_id=plan.forum_id, plan__period_start__lt=plan.period_start
        )
        .exclude(pk=commitment.pk)
        .select_related("plan")
        .order_by("-plan__period_start", "plan_id", "number")
    )


class CommitmentCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    co_drafters = forms.ModelMultipleChoiceField(
        label=_("Co-drafters"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Choose people from both stakeholder groups. You are added yourself."),
    )
    contributions = forms.ModelMultipleChoiceField(
        label=_("Contributions it grows from"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_drafters"].queryset = User.objects.filter(
            is_active=True, membership_status=MembershipStatus.APPROVED
        ).select_related("organisation")
        self.fields["contributions"].queryset = contributions_of(plan)


def contributions_of(plan):
    if plan.process_id is None:
        return Contribution.objects.none()
    return Contribution.objects.filter(
        workshop__process_id=plan.process_id, status=Contribution.Status.PUBLISHED
    ).order_by("workshop__starts_at", "id")


class LinkContributionsForm(forms.Form):
    contributions = forms.ModelMultipleChoiceField(
        label=_("Contributions it grows from"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contributions"].queryset = contributions_of(plan)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Commitment.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = services.IRM_FIELDS


class MilestonePlanForm(DatesInOrder, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = services.MILESTONE_PLAN_FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "activity": forms.Textarea(attrs={"rows": 2}),
            "deliverable": forms.Textarea(attrs={"rows": 2}),
        }


class MilestoneProgressForm(DatesWithinYears, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = services.MILESTONE_PROGRESS_FIELDS
        widgets = {"completed_on": DATE, "progress_note": forms.Textarea(attrs={"rows": 3})}


class MilestoneAssessmentForm(forms.ModelForm):
    """Civil society's assessment of one milestone, on the commitment's page (a prefix per
    milestone keeps each form's fields apart)."""

    class Meta:
        model = MilestoneAssessment
        fields = services.MILESTONE_ASSESSMENT_FIELDS
        labels = {
            "completion": _("Completion, in civil society's view"),
            "evidence_url": _("Evidence link"),
            "evidence": _("Or the evidence in words"),
            "note": _("Note"),
        }
        help_texts = {
            "evidence": _("What the assessment rests on, when there is no link to give."),
            "note": _("Why this level: what is done, what is missing."),
        }
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        missing = not (data.get("evidence_url") or (data.get("evidence") or "").strip())
        if missing and "evidence_url" not in self.errors:  # an invalid link says so itself
            self.add_error("evidence_url", _("Give a link to the evidence, or describe it."))
        return data


class AssessmentPanelForm(forms.Form):
    email = forms.EmailField(
        label=_("Member's e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self):
        member = User.objects.filter(
            email__iexact=self.cleaned_data["email"].strip(), is_active=True
        ).first()
        if member is None:
            raise forms.ValidationError(_("No member has this e-mail address."))
        return member


class ConsultationCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CommentResponseForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_("What became of the comment"), choices=ConsultationComment.Disposition.choices
    )
    response = forms.CharField(
        label=_("Reasoned response"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(DatesWithinYears, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    dated = forms.DateField(label=_("Date"), widget=DATE)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        max_length=Document._meta.get_field("url").max_length,
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("Attach a file or give a link."))
        return data


class EvidenceForm(DocumentForm):
    """Evidence of a milestone: a document of kind evidence, filed by its updaters."""

    kind = None
