from django import forms
from django.utils.translation import gettext_lazy as _

from core.notifications.kinds import optional_kinds


class EmailPreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=_("Send me an e-mail when"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(kind.value, kind.label) for kind in optional_kinds()],
    )
