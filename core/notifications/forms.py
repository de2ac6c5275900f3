from django import forms

from core.notifications.kinds import Rhythm, optional_kinds


class EmailPreferencesForm(forms.Form):
    """One choice of rhythm per kind a member may change, named after the kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in optional_kinds():
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Rhythm.choices,
                initial=kind.default_rhythm,
                widget=forms.RadioSelect,
            )
