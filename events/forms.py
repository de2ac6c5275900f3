import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Campaign, Event
from events.services import EDITABLE_FIELDS
from members.models import Organisation

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_FORMAT, **kwargs)


class EventForm(forms.ModelForm):
    """Submit or edit an event. Start and end are entered as wall-clock times in the event's
    own time zone, whatever the forum's or the browser's zone is."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=_zone_choices, initial=lambda: settings.TIME_ZONE
    )

    class Meta:
        model = Event
        fields = EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "partners": forms.Textarea(attrs={"rows": 3}),
            "inclusion_notes": forms.Textarea(attrs={"rows": 3}),
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "latitude": forms.NumberInput(attrs={"step": "0.00001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001"}),
        }
        help_texts = {
            "starts_at": _("In the event's time zone."),
            "ends_at": _("In the event's time zone."),
            "latitude": _("For the map, e.g. 37.97565 (north is positive)."),
            "longitude": _("For the map, e.g. 23.73470 (east is positive)."),
            "online_link": _("Sent to people whose place is confirmed, and shown on the page."),
            "link": _("Where people find more, e.g. the organiser's page for the event."),
            "address": _("Venue and street, for people coming in person."),
            "registration_required": _(
                "People register on the forum; you see the list and download it."
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Q(accepts_submissions=True)
        if self.instance.campaign_id:
            campaigns |= Q(pk=self.instance.campaign_id)
        self.fields["campaign"].queryset = Campaign.objects.filter(campaigns)
        self.fields["campaign"].empty_label = _("None")
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].empty_label = _("Choose an organisation")
        if self.instance.pk:
            zone = self.instance.zone
            for name in ("starts_at", "ends_at"):
                self.initial[name] = (
                    getattr(self.instance, name).astimezone(zone).replace(tzinfo=None)
                )
        elif user is not None and user.organisation_id and "organisation" not in self.initial:
            self.initial["organisation"] = user.organisation_id
        # The checklist reads as one group of questions on the page.
        self.checklist = [self[name] for name in CHECKLIST]

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                value = data.get(name)
                if value is not None:  # typed as wall-clock time in the event's zone
                    data[name] = _as_local(value, zone)
        return data


CHECKLIST = ["accessible_venue", "vulnerable_groups", "gender_balanced", "civil_society_partners"]


def _as_local(value: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return naive.replace(tzinfo=zone)


class RegistrationForm(forms.Form):
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: step-free access, sign language, captions."),
    )


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the organiser when the event is not approved)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
