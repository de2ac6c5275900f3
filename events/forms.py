from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import DatesWithinYears, LocalDateTimeInput, LocalTimesInZone
from core.timezones import zone_choices
from events.models import Campaign, Event
from events.services import CAMPAIGN_FIELDS, EDITABLE_FIELDS
from members.models import Forum, Organisation
from members.selectors import organisations_visible_to


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.forum.name})"


class EventForm(LocalTimesInZone, forms.ModelForm):
    """Submit or edit an event. Start and end are entered as wall-clock times in the event's
    own time zone, whatever the forum's or the browser's zone is. A new event chooses its
    forum, whose secretariat reviews it: an event of a campaign belongs to the campaign's
    forum; the forum stays as it is when the event is edited."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=zone_choices, initial=lambda: settings.TIME_ZONE
    )
    forum = forms.ModelChoiceField(
        label=_("Forum"),
        queryset=Forum.objects.none(),
        empty_label=None,
        required=False,  # not sent: the portal's default forum
        help_text=_(
            "Its secretariat reviews the event. An event of a campaign belongs to the "
            "campaign's forum."
        ),
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
        field_classes = {"campaign": CampaignChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Q(accepts_submissions=True)
        if self.instance.campaign_id:
            campaigns |= Q(pk=self.instance.campaign_id)
        campaigns = Campaign.objects.filter(campaigns).select_related("forum")
        if self.instance.pk:
            # An event stays in its forum: only that forum's campaigns, and no forum field.
            campaigns = campaigns.filter(forum_id=self.instance.forum_id)
            del self.fields["forum"]
        else:
            self.fields["forum"].queryset = Forum.objects.order_by("name")
            self.fields["forum"].initial = Forum.objects.default().pk
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = _("None")
        # An event is public: verified organisations (a proposal waiting for the secretariat,
        # even the organiser's own, is named once verified), and the event's own.
        organisations = organisations_visible_to(None)
        if self.instance.organisation_id:
            organisations = organisations | Organisation.objects.filter(
                pk=self.instance.organisation_id
            )
        self.fields["organisation"].queryset = organisations.order_by("name")
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

    def service_fields(self) -> dict:
        """What the services take as `fields` (the forum is passed apart)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "forum"}


CHECKLIST = ["accessible_venue", "vulnerable_groups", "gender_balanced", "civil_society_partners"]


class RegistrationForm(forms.Form):
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: step-free access, sign language, captions."),
    )


class GuestRegistrationForm(forms.Form):
    """A place without an account: a name and an e-mail address, confirmed by a link."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We e-mail you a link: your place counts once you open it."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: step-free access, sign language, captions."),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Write your name."))
        return name


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the organiser when the event is not approved)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(DatesWithinYears, forms.ModelForm):
    """A campaign of one forum: its name, its first and last day, whether members may
    submit events to it."""

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The campaign must end on or after its start."))
        return data

    def _post_clean(self):
        # The service checks and saves the campaign.
        pass
