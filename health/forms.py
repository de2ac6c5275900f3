from django import forms

from health.models import HealthThresholds
from health.services import THRESHOLD_FIELDS


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = HealthThresholds
        fields = THRESHOLD_FIELDS
