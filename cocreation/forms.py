from django import forms
from django.utils.translation import gettext_lazy as _


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
