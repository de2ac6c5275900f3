from django import forms
from django.utils.translation import gettext_lazy as _

from cocreation.models import ReasonedResponse


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


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Paragraphs, lists, headings, bold, italics and links are kept; anything else "
            "is removed."
        ),
    )
    publish = forms.BooleanField(label=_("Publish the minutes"), required=False)
