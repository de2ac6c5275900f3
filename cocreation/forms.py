from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cocreation.models import CoCreationProcess, ReasonedResponse, Workshop
from cocreation.services import WORKSHOP_FIELDS
from core.forms import LocalDateTimeInput, LocalTimesInZone, zone_choices
from core.timezones import zone_of_country
from members.models import StakeholderGroup


class RegistrationForm(forms.Form):
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: step-free access, sign language, captions."),
    )
    agrees_to_be_named = forms.BooleanField(
        label=_("I agree to be named in the published minutes"), required=False
    )


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("challenge", _("Challenge: a problem citizens or organisations meet")),
            ("idea", _("Idea: a proposal for a commitment")),
        ],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Describe it"), widget=forms.Textarea(attrs={"rows": 4}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TagForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas.")
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Same as"), queryset=None)

    def __init__(self, *args, contribution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = contribution.workshop.contributions.exclude(
            pk=contribution.pk
        ).filter(status="published")


class ResponseForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Status"), choices=[])
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}))
    commitment_reference = forms.CharField(
        label=_("Commitment (when taken into one)"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disposition"].choices = ReasonedResponse.Disposition.choices

    def clean(self):
        data = super().clean()
        if data.get("disposition") == "taken_into_commitment" and not data.get(
            "commitment_reference"
        ):
            self.add_error("commitment_reference", _("Name the commitment it was taken into."))
        return data


class CheckInForm(forms.Form):
    attendance = forms.ChoiceField(
        choices=[("attended", _("Attended")), ("no_show", _("Did not come"))]
    )


class WalkInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the member who walked in"))


class AnonymousWalkInForm(forms.Form):
    """Someone without an account: their name and group, for the attendance figures."""

    name = forms.CharField(label=_("Name of the person who walked in"), max_length=200)
    stakeholder_group = forms.ChoiceField(
        label=_("Their stakeholder group"), choices=StakeholderGroup.choices
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Written in Markdown: a blank line between paragraphs, “- ” for a list item, "
            "“## ” for a heading, **bold**, *italics*, [a link](https://…). Anything else "
            "is removed."
        ),
    )
    publish = forms.BooleanField(label=_("Publish the minutes"), required=False)


class WorkshopCreateForm(LocalTimesInZone, forms.ModelForm):
    """A new workshop of one forum: its process is one of the forum's (or a new one, named
    here), its times are typed as wall-clock time in the chosen time zone."""

    process = forms.ModelChoiceField(
        label=_("Co-creation process"), queryset=CoCreationProcess.objects.none(), required=False
    )
    new_process_title = forms.CharField(
        label=_("Or a new co-creation process"),
        max_length=200,
        required=False,
        help_text=_('Its title, e.g. "Co-creation of the 2nd local action plan".'),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
    online_link = forms.URLField(
        label=capfirst(Workshop._meta.get_field("online_link").verbose_name),
        help_text=Workshop._meta.get_field("online_link").help_text,
        required=False,
        assume_scheme="https",
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Workshop.Status.DRAFT, _("Draft: only the secretariat sees it")),
            (Workshop.Status.PUBLISHED, _("Published: open for registration")),
        ],
        initial=Workshop.Status.DRAFT,
    )

    class Meta:
        model = Workshop
        fields = [
            "process",
            "title",
            "kind",
            "description",
            "time_zone",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "language",
            "capacity",
            "government_quota",
            "non_government_quota",
            "check_in_opens_hours_before",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
        }
        help_texts = {
            "starts_at": _("In the workshop's time zone."),
            "ends_at": _("In the workshop's time zone."),
            "capacity": _("The seats for government and non-government add up to it."),
        }

    def __init__(self, *args, forum, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = forum.processes.order_by("-created_at", "id")
        self.fields["process"].empty_label = _("Choose a process")
        # Where the forum's last workshop took place, else its country's zone.
        last = Workshop.objects.filter(process__forum=forum).order_by("-starts_at").first()
        self.fields["time_zone"].initial = (
            (last and last.time_zone) or zone_of_country(forum.country) or settings.TIME_ZONE
        )
        if last is not None:
            self.fields["language"].initial = last.language

    def clean(self):
        data = super().clean()
        process, title = data.get("process"), data.get("new_process_title", "").strip()
        if "process" not in self.errors:
            if process is None and not title:
                self.add_error("process", _("Choose a process, or name a new one."))
            elif process is not None and title:
                self.add_error(
                    "new_process_title",
                    _("Choose a process or name a new one, not both."),
                )
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The workshop must end after it starts."))
        capacity = data.get("capacity")
        quotas = [data.get("government_quota"), data.get("non_government_quota")]
        if capacity is not None and None not in quotas and sum(quotas) != capacity:
            self.add_error(
                "capacity",
                _("The seats for government and non-government must add up to the capacity."),
            )
        return data

    def _post_clean(self):
        # The service builds and checks the workshop (full_clean); the form's own checks
        # above give the errors beside the fields first.
        pass

    def service_fields(self) -> dict:
        names = [*WORKSHOP_FIELDS, "new_process_title"]
        return {name: self.cleaned_data.get(name) for name in names}
