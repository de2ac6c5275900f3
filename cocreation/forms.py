from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cocreation.models import (
    CoCreationProcess,
    PastMeeting,
    ReasonedResponse,
    Registration,
    Workshop,
)
from cocreation.past_meetings import MOST_PRESENT, MeetingFacts
from cocreation.services import WORKSHOP_EDITABLE_FIELDS, WORKSHOP_FIELDS
from core.forms import (
    DatesWithinYears,
    LocalDateTimeInput,
    LocalTimesInZone,
    as_local,
    exists_in,
)
from core.timezones import zone_choices, zone_of_country
from core.uploads import DOCUMENT_EXTENSIONS
from members.models import StakeholderGroup
from members.selectors import organisations_visible_to


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
    email = forms.EmailField(
        label=_("E-mail address of the member who walked in"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),  # not the facilitator's own
    )


class AnonymousWalkInForm(forms.Form):
    """Someone without an account: their name and group, for the attendance figures."""

    name = forms.CharField(
        label=_("Name of the person who walked in"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
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
        max_length=Workshop._meta.get_field("online_link").max_length,
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
    announce = forms.BooleanField(
        label=_("When published, announce it to the forum's members"),
        help_text=_(
            "Those on its body, its secretariat and facilitators, and everyone who facilitated or "
            "registered for one of its workshops; each can turn these notices off."
        ),
        required=False,
        initial=True,
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


class RegistrantsSearchForm(forms.Form):
    """The back office's search of a workshop's registrants."""

    q = forms.CharField(label=_("Name, organisation or e-mail"), required=False, max_length=100)
    group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=[("", _("Both groups")), *StakeholderGroup.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *Registration.Status.choices,
            ("checked_in", _("Checked in")),
        ],
    )


class RegistrantsMessageForm(forms.Form):
    """A message from the secretariat to a workshop's registrants."""

    audience = forms.ChoiceField(
        label=_("To"),
        choices=[
            ("all", _("Everyone holding a seat or waiting")),
            (StakeholderGroup.GOVERNMENT, _("Government only (seats and waiting list)")),
            (
                StakeholderGroup.NON_GOVERNMENT,
                _("Non-government only (seats and waiting list)"),
            ),
            ("waiting", _("The waiting list only")),
        ],
    )
    subject = forms.CharField(label=_("Subject"), max_length=150)
    text = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Sent as you type it; the greeting and the workshop's name around it are in each "
            "person's own language."
        ),
    )


class SeatGiveForm(forms.Form):
    over_quota = forms.BooleanField(
        label=_("Give a seat over the group's quota"),
        required=False,
        help_text=_(
            "Only when the group's seats are all taken: the room then holds one person more "
            "than planned."
        ),
    )


# --- The back office ---------------------------------------------------------------------


class WorkshopSearchForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Workshop.Status.choices],
    )


class ProcessForm(forms.ModelForm):
    class Meta:
        model = CoCreationProcess
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        pass  # the service checks the process (full_clean)


class ThemeForm(forms.Form):
    name = forms.CharField(label=_("Theme"), max_length=200)


class InWorkshopZone(DatesWithinYears):
    """A form mixin: the datetime fields in `zone_fields` are shown and typed as wall-clock
    time in the workshop's own zone (`zone`), whatever the server's zone is."""

    zone_fields: tuple[str, ...] = ()

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        for name in self.zone_fields:
            value = self.initial.get(name)
            if value is not None and timezone.is_aware(value):
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)
            self.fields[name].widget = LocalDateTimeInput()
            self.fields[name].help_text = _("In the workshop's time zone, %(zone)s.") % {
                "zone": zone.key
            }

    def clean(self):
        data = super().clean()
        for name in self.zone_fields:
            value = data.get(name)
            if value is None:
                continue
            local = as_local(value, self.zone)
            if not exists_in(local, self.zone):
                self.add_error(
                    name,
                    _("This time does not exist in %(zone)s: the clocks go forward then.")
                    % {"zone": self.zone.key},
                )
                continue
            data[name] = local
        return data


class WorkshopEditForm(InWorkshopZone, forms.ModelForm):
    zone_fields = ("registration_opens_at", "registration_closes_at")
    online_link = forms.URLField(
        label=capfirst(Workshop._meta.get_field("online_link").verbose_name),
        help_text=Workshop._meta.get_field("online_link").help_text,
        required=False,
        max_length=Workshop._meta.get_field("online_link").max_length,
        assume_scheme="https",
    )

    class Meta:
        model = Workshop
        fields = WORKSHOP_EDITABLE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = self.instance.process.themes.all()

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        return data

    def _post_clean(self):
        pass  # the service applies the fields and checks the workshop (full_clean)

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in WORKSHOP_EDITABLE_FIELDS}


class RescheduleForm(InWorkshopZone, forms.Form):
    zone_fields = ("starts_at", "ends_at")
    starts_at = forms.DateTimeField(label=_("Starts"))
    ends_at = forms.DateTimeField(label=_("Ends"))

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The workshop must end after it starts."))
        return data


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0)
    government_quota = forms.IntegerField(label=_("Seats for government"), min_value=0)
    non_government_quota = forms.IntegerField(label=_("Seats for non-government"), min_value=0)
    first_time_seats = forms.IntegerField(
        label=_("Seats kept for first-time participants"),
        min_value=0,
        help_text=Workshop._meta.get_field("first_time_seats").help_text,
    )
    quota_release_hours = forms.IntegerField(
        label=_("Quota release (hours before the start)"),
        min_value=0,
        required=False,
        help_text=Workshop._meta.get_field("quota_release_hours").help_text,
    )

    def __init__(self, *args, taken: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken

    def clean(self):
        data = super().clean()
        capacity = data.get("capacity")
        quotas = [data.get("government_quota"), data.get("non_government_quota")]
        if capacity is not None and capacity < self.taken:
            self.add_error(
                "capacity",
                ngettext(
                    "%(taken)d seat is already taken: the capacity cannot be lower.",
                    "%(taken)d seats are already taken: the capacity cannot be lower.",
                    self.taken,
                )
                % {"taken": self.taken},
            )
        elif capacity is not None and None not in quotas and sum(quotas) != capacity:
            self.add_error(
                "capacity",
                _("The seats for government and non-government must add up to the capacity."),
            )
        first_time = data.get("first_time_seats")
        if capacity is not None and first_time is not None and first_time > capacity:
            self.add_error(
                "first_time_seats",
                _("No more seats can be kept for first-time participants than the capacity."),
            )
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone registered or waiting receives it."),
    )


class FacilitatorForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the member"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class OrganisationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        # Partners are shown to everyone: verified organisations only.
        queryset=organisations_visible_to(None).order_by("name"),
    )


OUTREACH_FILE_MAX_MB = 20


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: in the language of the request.
        self.fields["file"].help_text = _("Up to %(size)d MB.") % {"size": OUTREACH_FILE_MAX_MB}

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > OUTREACH_FILE_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.") % {"size": OUTREACH_FILE_MAX_MB}
            )
        return file


# --- Past meetings (the back office) ------------------------------------------------------

MINUTES_ACCEPT = ",".join(sorted(DOCUMENT_EXTENSIONS))  # what core.uploads accepts


def _past_meeting_field(name):
    return PastMeeting._meta.get_field(name)


class PastMeetingSearchForm(forms.Form):
    q = forms.CharField(label=_("Title contains"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *Workshop.Kind.choices],
    )


class PastMeetingForm(DatesWithinYears, forms.Form):
    """A meeting the forum held outside the portal, as its secretariat records or corrects
    it; `minutes_file_kept` (editing) offers to remove the file kept. The service
    (cocreation.past_meetings) checks the rest: a day to come, the same meeting twice, the
    file's type."""

    held_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    title = forms.CharField(label=_("Title"), max_length=_past_meeting_field("title").max_length)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Workshop.Kind.choices, initial=Workshop.Kind.FORUM_MEETING
    )
    minutes_url = forms.URLField(
        label=_("Link to the minutes (optional)"),
        required=False,
        max_length=_past_meeting_field("minutes_url").max_length,
        assume_scheme="https",
        help_text=_("Where the minutes are published, if they are."),
    )
    minutes_file = forms.FileField(
        label=_("File of the minutes (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": MINUTES_ACCEPT}),
    )
    present_government = forms.IntegerField(
        label=_("Government participants present (optional)"),
        required=False,
        min_value=0,
        max_value=MOST_PRESENT,
    )
    present_non_government = forms.IntegerField(
        label=_("Non-government participants present (optional)"),
        required=False,
        min_value=0,
        max_value=MOST_PRESENT,
    )
    file_remove = forms.BooleanField(label=_("Remove the minutes file kept"), required=False)

    def __init__(self, *args, minutes_file_kept: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: in the language of the request.
        help_text = _(
            "PDF, OpenDocument, Word, text or an image, up to %(size)d MB. Anyone can read "
            "it, as the forum's history."
        ) % {"size": settings.REPOSITORY_MAX_UPLOAD_MB}
        if minutes_file_kept:
            help_text = _("A new file replaces the one kept.") + " " + help_text
        else:
            del self.fields["file_remove"]
        self.fields["minutes_file"].help_text = help_text

    @classmethod
    def initial_of(cls, meeting: PastMeeting) -> dict:
        return {
            "held_on": meeting.held_on,
            "title": meeting.title,
            "kind": meeting.kind,
            "minutes_url": meeting.minutes_url,
            "present_government": meeting.present_government,
            "present_non_government": meeting.present_non_government,
        }

    def facts(self) -> MeetingFacts:
        data = self.cleaned_data
        return MeetingFacts(
            held_on=data["held_on"],
            title=data["title"],
            kind=data["kind"],
            minutes_url=data["minutes_url"],
            minutes_file=data["minutes_file"],
            present_government=data["present_government"],
            present_non_government=data["present_non_government"],
        )

    def file_remove_asked(self) -> bool:
        return bool(self.cleaned_data.get("file_remove"))
