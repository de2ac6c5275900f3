from django import forms

from forum.standards.models import HealthThresholds
from forum.standards.services import THRESHOLD_FIELDS


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = HealthThresholds
        fields = THRESHOLD_FIELDS
