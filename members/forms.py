import re

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import DatesWithinYears
from members.models import (
    Forum,
    Invitation,
    MembershipStatus,
    Organisation,
    Sector,
    StakeholderGroup,
    User,
    email_is,
)
from members.selectors import organisations_visible_to
from members.services import member_signup_complete
from members.voices import GENDER_CHOICES, SELF_DESCRIBED, gender_canonical


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
    # When the member proposed their organisation, approving them verifies it: the
    # secretariat confirms (or corrects) its sector in the same step, since the sector
    # decides the stakeholder group.
    sector = forms.ModelChoiceField(
        label=_("Sector of the proposed organisation"),
        queryset=Sector.objects.all(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Listed once for every request on the page (one query, not one per request).
        self.sectors = list(Sector.objects.all())


class OrganisationVerifyForm(forms.Form):
    """Verify a proposed organisation in the sector the secretariat confirms."""

    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all())


class GenderFields:
    """The optional gender of the sign-up and the profile: a common answer or the member's own
    words. Only counted in aggregate (members.voices), never shown beside the member."""

    def gender_fields_set(self):
        gender = self.fields["gender"]
        gender.label = _("Gender (optional)")
        gender.choices = [("", _("Not given")), *GENDER_CHOICES]
        gender.required = False
        gender.help_text = _(
            "Only counted in aggregate, in groups of at least 5 people, to show how balanced "
            "the forum is: never shown beside your name."
        )
        words = self.fields["self_described_gender"]
        words.label = _("Gender in your own words (optional)")
        words.required = False
        words.help_text = _("If you describe yourself, or want to add to the answer above.")

    def clean_gender_answer(self, data):
        choice, words = data.get("gender") or "", (data.get("self_described_gender") or "").strip()
        if choice == SELF_DESCRIBED and not words:
            self.add_error(
                "self_described_gender",
                _("Describe yourself in your own words, or choose another answer."),
            )
        data["self_described_gender"] = words
        data["gender"] = gender_canonical(choice=choice, text=words)
        return data


class SignupForm(GenderFields, forms.Form):
    """What allauth's sign-up asks besides e-mail and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=None,
        required=False,
        empty_label=_("Not in the list: I propose it below"),
    )
    new_organisation_name = forms.CharField(
        label=_("Name of the organisation you propose"), max_length=200, required=False
    )
    new_organisation_sector = forms.ModelChoiceField(
        label=_("Its sector"), queryset=None, required=False
    )
    new_organisation_country = forms.ChoiceField(label=_("Its country"), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"))
    gender = forms.ChoiceField(required=False)
    self_described_gender = forms.CharField(max_length=100, required=False)
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the forum keeps these details.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whoever signs up sees the verified organisations, never another's proposal.
        self.fields["organisation"].queryset = organisations_visible_to(None).select_related(
            "sector"
        )
        self.fields["new_organisation_sector"].queryset = Sector.objects.all()
        self.fields["new_organisation_country"].choices = [("", "---------"), *countries]
        self.fields["preferred_language"].choices = settings.LANGUAGES
        self.fields["preferred_language"].initial = (get_language() or "en")[:2]
        self.gender_fields_set()
        # Consent means little without the notice at hand: link it beside the box.
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("members:privacy"), _("Read the privacy notice")
        )

    def clean(self):
        data = super().clean()
        proposed = data.get("new_organisation_name", "").strip()
        if data.get("organisation") and proposed:
            self.add_error(
                "new_organisation_name",
                _("Choose your organisation from the list or propose a new one, not both."),
            )
        elif not data.get("organisation") and not proposed:
            self.add_error("organisation", _("Choose your organisation, or propose it below."))
        elif proposed:
            for field in ("new_organisation_sector", "new_organisation_country"):
                if not data.get(field):
                    self.add_error(field, _("Needed for the organisation you propose."))
        return self.clean_gender_answer(data)

    def signup(self, request, user):
        # allauth's subclass adds e-mail and passwords; the service takes only ours.
        ours = {name: self.cleaned_data.get(name) for name in SignupForm.declared_fields}
        member_signup_complete(member=user, **ours)


class ProfileForm(GenderFields, forms.ModelForm):
    """What a member edits on their profile. Saved by members.services.member_profile_update:
    an approved member's new organisation is a request to the secretariat."""

    class Meta:
        model = User
        fields = [
            "full_name",
            "organisation",
            "position",
            "preferred_language",
            "gender",
            "self_described_gender",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The name is what others see beside a member's words: it cannot be emptied (the
        # model allows an empty one only for deleted accounts).
        self.fields["full_name"].required = True
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        if "position" in self.fields:
            self.fields["position"].widget.attrs["autocomplete"] = "organization-title"
        self.gender_fields_set()
        organisation = self.fields["organisation"]
        # Once a member has an organisation, they keep one (the site administrator may
        # have none).
        organisation.required = self.instance.organisation_id is not None
        # The verified organisations and the member's own (perhaps still a proposal).
        organisation.queryset = organisations_visible_to(self.instance).order_by("name", "pk")
        if self.instance.membership_status == MembershipStatus.APPROVED:
            organisation.help_text = _(
                "Your organisation decides your stakeholder group: a change waits for the "
                "secretariat's approval, and until then nothing changes."
            )

    def clean(self):
        return self.clean_gender_answer(super().clean())

    def _post_clean(self):
        # The form never writes to the member: the service does (see above).
        pass


class OrganisationChangeDecisionForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("decline", _("Decline"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to decline; the member receives it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason: the member receives it."))
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)
    confirm = forms.BooleanField(label=_("I understand that my account is deleted for good."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class ForumCreateForm(DatesWithinYears, forms.Form):
    """A new forum (the site administrator's): the forum's own fields, its secretariat and
    its two co-chairs, named by their e-mail addresses. The rules a forum follows (a
    working group belongs to a forum that is not one; co-chairs from their own group; a
    free short name) are the service's, members.services.forum_create."""

    FORUM_FIELDS = ["name", "slug", "kind", "country", "region", "parent", "description"]

    secretariat = forms.CharField(
        label=_("Secretariat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The e-mail addresses of the approved members who run the forum, one per line or "
            "separated by commas."
        ),
    )
    government_co_chair = forms.EmailField(
        label=_("Government co-chair"),
        required=False,
        help_text=_("The e-mail address of an approved member from a government organisation."),
    )
    non_government_co_chair = forms.EmailField(
        label=_("Non-government co-chair"),
        required=False,
        help_text=_("The e-mail address of an approved member from a non-government organisation."),
    )
    term_start = forms.DateField(
        label=_("The co-chairs' term starts"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = forms.fields_for_model(Forum, fields=self.FORUM_FIELDS)
        own["parent"].queryset = Forum.objects.order_by("name", "pk")
        own["parent"].empty_label = _("None: not a working group")
        self.fields = {**own, **self.fields}

    @staticmethod
    def _member(email: str) -> User | None:
        return User.objects.filter(email_is(email.strip()), is_active=True).first()

    def clean_secretariat(self) -> list[User]:
        emails = [e for e in re.split(r"[\s,;]+", self.cleaned_data["secretariat"]) if e]
        members, unknown = [], []
        for email in emails:
            member = self._member(email)
            if member is None:
                unknown.append(email)
            else:
                members.append(member)
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "No member has this e-mail address: %(emails)s.",
                    "No member has these e-mail addresses: %(emails)s.",
                    len(unknown),
                )
                % {"emails": ", ".join(unknown)}
            )
        if not members:
            raise forms.ValidationError(_("Name at least one member of the secretariat."))
        return members

    def _clean_co_chair(self, field: str) -> User | None:
        email = self.cleaned_data.get(field)
        if not email:
            return None
        member = self._member(email)
        if member is None:
            raise forms.ValidationError(
                _("No member has this e-mail address: %(emails)s.") % {"emails": email}
            )
        return member

    def clean_government_co_chair(self):
        return self._clean_co_chair("government_co_chair")

    def clean_non_government_co_chair(self):
        return self._clean_co_chair("non_government_co_chair")

    def forum_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FORUM_FIELDS}

    def co_chairs(self) -> dict[str, User]:
        chosen = {
            group: self.cleaned_data.get(f"{group}_co_chair") for group in StakeholderGroup.values
        }
        return {group: member for group, member in chosen.items() if member is not None}


def _member_by_email(email: str) -> User:
    member = User.objects.filter(email_is(email.strip()), is_active=True).first()
    if member is None:
        raise forms.ValidationError(
            _("No member has this e-mail address: %(emails)s.") % {"emails": email}
        )
    return member


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SeatAddForm(DatesWithinYears, forms.Form):
    """A new seat on the forum's body: the member by e-mail; the organisation and the group
    are the member's."""

    member = forms.EmailField(label=_("Member's e-mail address"))
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput())
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: until further notice."),
    )
    alternate = forms.EmailField(label=_("Alternate's e-mail address"), required=False)
    voting = forms.BooleanField(label=_("Voting right"), required=False, initial=True)
    co_chair = forms.BooleanField(label=_("Co-chair"), required=False)

    def clean_member(self):
        return _member_by_email(self.cleaned_data["member"])

    def clean_alternate(self):
        email = self.cleaned_data.get("alternate")
        return _member_by_email(email) if email else None


class SeatEditForm(DatesWithinYears, forms.Form):
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: until further notice."),
    )
    alternate = forms.EmailField(label=_("Alternate's e-mail address"), required=False)
    voting = forms.BooleanField(label=_("Voting right"), required=False)

    def clean_alternate(self):
        email = self.cleaned_data.get("alternate")
        return _member_by_email(email) if email else None


class CoChairReplaceForm(DatesWithinYears, forms.Form):
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), choices=StakeholderGroup.choices
    )
    member = forms.EmailField(
        label=_("New co-chair's e-mail address"),
        help_text=_("An approved member from an organisation of the group."),
    )
    end_seat = forms.BooleanField(
        label=_("End the current co-chair's seat too"),
        required=False,
        help_text=_("Otherwise they keep their seat, without the co-chair's role."),
    )

    def clean_member(self):
        return _member_by_email(self.cleaned_data["member"])


class RoleGiveForm(forms.Form):
    ROLES = [("secretariat", _("Secretariat")), ("facilitator", _("Facilitator"))]

    email = forms.EmailField(
        label=_("Member's e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ROLES)

    def clean_email(self):
        return _member_by_email(self.cleaned_data["email"])


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    new = forms.BooleanField(label=_("Only new organisations"), required=False)


class OrganisationSectorForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all())


class OrganisationMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that stays; the duplicate is deleted."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the duplicate is deleted and cannot be restored."),
        required=False,
    )

    def __init__(self, *args, duplicate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Organisation.objects.exclude(pk=duplicate.pk).order_by(
            "name", "pk"
        )


class MembershipReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


# --- Invitations ---------------------------------------------------------------------------


class InvitationForm(DatesWithinYears, forms.Form):
    """The secretariat invites one person (members.services.invitation_send)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        help_text=_("The invitation, and the portal once they accept, come in this language."),
    )
    seat_term_start = forms.DateField(
        label=_("Seat on the forum's body from (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Given: on accepting, the person also takes a voting seat on the forum's body for "
            "the organisation, from this date."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Organisations are the portal's, shared by every forum (the secretariat sees all).
        self.fields["organisation"].queryset = Organisation.objects.select_related(
            "sector"
        ).order_by("name", "pk")
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE)[:2]


class InvitationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail address"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Any state")), *Invitation.State.choices]


class InvitationAcceptForm(forms.Form):
    """A new member's password (the portal's rules, checked by the service) and consent."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the forum keeps these details.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("members:privacy"), _("Read the privacy notice")
        )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data["password1"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class ImportUploadForm(forms.Form):
    """A spreadsheet of organisations and people (members.imports.member_import_upload)."""

    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "One row per person (or per organisation): the organisation's name, sector, "
            "country and website; the person's name, e-mail address and language. Excel's "
            "CSV in any of the portal's languages is read as it is saved."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    default_language = forms.ChoiceField(
        label=_("Language of the e-mails when a row gives none"),
    )

    def __init__(self, *args, content=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = settings.LANGUAGES
        self.fields["default_language"].initial = (get_language() or settings.LANGUAGE_CODE)[:2]
        if content is not None and not content.asks_language:
            del self.fields["default_language"]  # nobody is written to
            self.fields["file"].help_text = content.file_help


class ImportMappingForm(forms.Form):
    """Which column of the file feeds each of the portal's fields."""

    def __init__(self, *args, member_import, content, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(h, h) for h in member_import.headers]
        for name, label in content.fields:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=member_import.mapping.get(name, ""),
            )
        if content.asks_language:
            self.fields["default_language"] = forms.ChoiceField(
                label=_("Language of the e-mails when a row gives none"),
                choices=settings.LANGUAGES,
                initial=member_import.default_language,
            )
        self.field_names = content.field_names

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.field_names}
