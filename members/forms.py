from django import forms
from django.utils.translation import gettext_lazy as _


class MembershipDecisionForm(forms.Form):
    DECISIONS = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("ask", _("Ask for more information")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    note = forms.CharField(
        label=_("Reason or question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject or to ask; the member receives it."),
    )
