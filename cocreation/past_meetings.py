"""The meetings a forum held outside the portal (issue 31): recorded by its secretariat, one
by one in the back office or many from a spreadsheet (the import of members.imports, with
the content "meetings" that this module registers), so that forum health counts the
history the portal did not see (health.checks reads `PastMeeting` beside the workshops).

A past meeting is the same record whichever way it came: its day and title are the forum's
own (one meeting of that title a day, the title compared as members.imports.normalised
compares names), so that importing the same file twice records nothing new."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cocreation import permissions
from cocreation.models import PastMeeting, Workshop
from core.audit.services import audit_record
from core.errors import ForumError, require
from core.uploads import upload_refusal
from members.imports import (
    ImportContent,
    MemberImportError,
    cells_read,
    columns_of,
    date_read,
    import_content_register,
    normalised,
)
from members.models import Forum, ImportRow, MemberImport

EARLIEST = date(1990, 1, 1)  # a day before it is a typing mistake, not a forum's history
MOST_PRESENT = 100_000


class PastMeetingError(ForumError):
    """A past meeting that cannot be recorded as given; `fields` maps the form's fields to
    messages."""

    def __init__(self, message="", *, field: str | None = None):
        super().__init__(message)
        self.fields = {field: [str(message)]} if field else {}


@dataclass(frozen=True)
class MeetingFacts:
    """What the secretariat says of a past meeting."""

    held_on: date
    title: str
    kind: str = Workshop.Kind.FORUM_MEETING
    minutes_url: str = ""
    minutes_file: object = None  # an uploaded file, kept as the minutes
    present_government: int | None = None
    present_non_government: int | None = None


def _require(forum: Forum, by) -> None:
    require(
        permissions.can_record_past_meetings(by, forum),
        _("Only the forum's secretariat records its past meetings."),
    )


def same_meeting(forum: Forum, held_on: date, title: str, *, other_than=None):
    """The forum's meeting of that day whose title is `title` but for case, accents,
    punctuation and spaces; None when there is none."""
    key = normalised(title)
    meetings = PastMeeting.objects.filter(forum=forum, held_on=held_on)
    if other_than is not None:
        meetings = meetings.exclude(pk=other_than.pk)
    for meeting in meetings.only("pk", "title", "held_on", "kind"):
        if normalised(meeting.title) == key:
            return meeting
    return None


def _facts_check(forum: Forum, facts: MeetingFacts, *, other_than=None) -> MeetingFacts:
    title = " ".join((facts.title or "").split())
    if not title:
        raise PastMeetingError(_("Give the meeting's title."), field="title")
    if len(title) > 200:
        raise PastMeetingError(_("The title is longer than 200 characters."), field="title")
    if facts.kind not in Workshop.Kind.values:
        raise PastMeetingError(_("Choose the kind of meeting."), field="kind")
    today = timezone.localdate()
    if facts.held_on is None:
        raise PastMeetingError(_("Give the day of the meeting."), field="held_on")
    if facts.held_on > today:
        raise PastMeetingError(
            _("A past meeting was held today or earlier: schedule one to come as a workshop."),
            field="held_on",
        )
    if facts.held_on < EARLIEST:
        raise PastMeetingError(
            _("The day is before %(year)d: check the year.") % {"year": EARLIEST.year},
            field="held_on",
        )
    url = (facts.minutes_url or "").strip()
    if url:
        if "://" not in url:
            url = "https://" + url
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise PastMeetingError(
                _("Give the link to the minutes as a web address (https://…)."),
                field="minutes_url",
            ) from None
        if len(url) > 500:
            raise PastMeetingError(
                _("The link is longer than 500 characters."), field="minutes_url"
            )
    if facts.minutes_file and (refusal := upload_refusal(facts.minutes_file)):
        raise PastMeetingError(refusal, field="minutes_file")
    for field in ("present_government", "present_non_government"):
        value = getattr(facts, field)
        if value is not None and not 0 <= value <= MOST_PRESENT:
            raise PastMeetingError(
                _("Give a number from 0 to %(most)d.") % {"most": MOST_PRESENT}, field=field
            )
    if same_meeting(forum, facts.held_on, title, other_than=other_than) is not None:
        raise PastMeetingError(
            _("A meeting of this title on this day is recorded already."), field="title"
        )
    return MeetingFacts(
        held_on=facts.held_on,
        title=title,
        kind=facts.kind,
        minutes_url=url,
        minutes_file=facts.minutes_file,
        present_government=facts.present_government,
        present_non_government=facts.present_non_government,
    )


def _saved(meeting: PastMeeting, *, file_new: bool) -> None:
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:  # recorded by someone else a moment ago
        if file_new and meeting.minutes_file:
            meeting.minutes_file.storage.delete(meeting.minutes_file.name)  # stored in vain
        raise PastMeetingError(
            _("A meeting of this title on this day is recorded already."), field="title"
        ) from None


def past_meeting_record(
    *, forum: Forum, facts: MeetingFacts, by, member_import=None
) -> PastMeeting:
    """Record a meeting the forum held outside the portal (its secretariat only)."""
    _require(forum, by)
    facts = _facts_check(forum, facts)
    with transaction.atomic():
        meeting = PastMeeting(
            forum=forum,
            kind=facts.kind,
            held_on=facts.held_on,
            title=facts.title,
            minutes_url=facts.minutes_url,
            present_government=facts.present_government,
            present_non_government=facts.present_non_government,
            recorded_by=by if getattr(by, "pk", None) else None,
            member_import=member_import,
        )
        if facts.minutes_file:
            meeting.minutes_file.save(facts.minutes_file.name, facts.minutes_file, save=False)
        _saved(meeting, file_new=bool(facts.minutes_file))
        audit_record(
            actor=by,
            action="past_meeting.record",
            about=meeting,
            forum=forum.slug,
            held_on=facts.held_on.isoformat(),
            title=facts.title,
        )
    return meeting


def past_meeting_update(
    *, past_meeting: PastMeeting, facts: MeetingFacts, by, file_remove: bool = False
) -> PastMeeting:
    """Correct a recorded meeting; a new file replaces the minutes kept, `file_remove`
    takes it away (its secretariat only)."""
    _require(past_meeting.forum, by)
    facts = _facts_check(past_meeting.forum, facts, other_than=past_meeting)
    old_file = past_meeting.minutes_file.name if past_meeting.minutes_file else ""
    storage = past_meeting.minutes_file.storage
    with transaction.atomic():
        past_meeting.kind = facts.kind
        past_meeting.held_on = facts.held_on
        past_meeting.title = facts.title
        past_meeting.minutes_url = facts.minutes_url
        past_meeting.present_government = facts.present_government
        past_meeting.present_non_government = facts.present_non_government
        if facts.minutes_file:
            past_meeting.minutes_file.save(facts.minutes_file.name, facts.minutes_file, save=False)
        elif file_remove:
            past_meeting.minutes_file = ""
        _saved(past_meeting, file_new=bool(facts.minutes_file))
        audit_record(
            actor=by,
            action="past_meeting.update",
            about=past_meeting,
            forum=past_meeting.forum.slug,
        )
        if old_file and old_file != (past_meeting.minutes_file.name or ""):
            transaction.on_commit(lambda: storage.delete(old_file))
    return past_meeting


def past_meeting_delete(*, past_meeting: PastMeeting, by) -> None:
    """Take a recorded meeting out of the forum's history (its secretariat only); its
    minutes file goes with it."""
    _require(past_meeting.forum, by)
    stored = past_meeting.minutes_file.name if past_meeting.minutes_file else ""
    storage = past_meeting.minutes_file.storage
    with transaction.atomic():
        audit_record(
            actor=by,
            action="past_meeting.delete",
            about=past_meeting,
            forum=past_meeting.forum.slug,
            held_on=past_meeting.held_on.isoformat(),
            title=past_meeting.title,
        )
        past_meeting.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# --- From a spreadsheet (members.imports, content "meetings") ----------------------------------

FIELDS = [
    ("held_on", gettext_lazy("Date")),
    ("title", gettext_lazy("Title")),
    ("kind", gettext_lazy("Kind (forum meeting, co-creation workshop, implementation review…)")),
    ("minutes", gettext_lazy("Minutes: link")),
    ("government", gettext_lazy("Present: government (how many)")),
    ("non_government", gettext_lazy("Present: non-government (how many)")),
]

# Headers people write for each field, in the portal's languages (normalised).
SYNONYMS = {
    "held_on": [
        "date",
        "day",
        "held",
        "heldon",
        "meetingdate",
        "ημερομηνια",
        "ημερα",
        "data",
        "datum",
        "дата",
        "датум",
        "dia",
    ],
    "title": [
        "title",
        "meeting",
        "subject",
        "topic",
        "name",
        "τιτλος",
        "θεμα",
        "συνεδριαση",
        "tytul",
        "tytuł",
        "temat",
        "naslov",
        "назив",
        "наслов",
        "тема",
        "назва",
        "titulo",
        "título",
        "assunto",
        "reuniao",
        "reunião",
    ],
    "kind": [
        "kind",
        "type",
        "kindofmeeting",
        "meetingtype",
        "ειδος",
        "τυπος",
        "rodzaj",
        "typ",
        "vrsta",
        "врста",
        "тип",
        "вид",
        "tipo",
    ],
    "minutes": [
        "minutes",
        "minuteslink",
        "link",
        "url",
        "πρακτικα",
        "πρακτικό",
        "protokol",
        "protokół",
        "protokoł",
        "zapisnik",
        "записник",
        "протокол",
        "ata",
        "atas",
    ],
    "government": [
        "government",
        "presentgovernment",
        "governmentpresent",
        "κυβερνηση",
        "δημοσιο",
        "administracja",
        "rzad",
        "vlada",
        "влада",
        "уряд",
        "governo",
    ],
    "non_government": [
        "nongovernment",
        "presentnongovernment",
        "civilsociety",
        "κοινωνιαπολιτων",
        "μηκυβερνητικοι",
        "spoleczenstwoobywatelskie",
        "pozarzadowe",
        "civilnodrustvo",
        "цивилнодруштво",
        "громадянськесуспільство",
        "sociedadecivil",
        "naogovernamental",
    ],
}

# The kinds as people name them, beside the portal's own labels in every language.
KIND_WORDS = {
    Workshop.Kind.FORUM_MEETING: [
        "forum",
        "φορουμ",
        "forumu",
        "форум",
        "meeting",
        "plenary",
        "plenum",
        "ολομελεια",
        "συναντηση",
        "συνεδριαση",
        "posiedzenie",
        "spotkanie",
        "sastanak",
        "седница",
        "засідання",
        "reuniao",
        "plenario",
    ],
    Workshop.Kind.COCREATION: [
        "workshop",
        "cocreation",
        "εργαστηριο",
        "συνδημιουργια",
        "warsztat",
        "warsztaty",
        "radionica",
        "радионица",
        "семінар",
        "oficina",
        "cocriacao",
    ],
    Workshop.Kind.IMPLEMENTATION_REVIEW: [
        "review",
        "implementation",
        "monitoring",
        "παρακολουθηση",
        "αξιολογηση",
        "przeglad",
        "pregled",
        "преглед",
        "огляд",
        "revisao",
        "acompanhamento",
    ],
    Workshop.Kind.TRAINING: [
        "training",
        "εκπαιδευση",
        "καταρτιση",
        "szkolenie",
        "obuka",
        "обука",
        "навчання",
        "formacao",
    ],
}

REASONS = {
    "meeting_date_missing": gettext_lazy("No date."),
    "meeting_date_invalid": gettext_lazy(
        "“%(value)s” is not a date: write it as 2025-03-31 or 31/03/2025."
    ),
    "meeting_date_future": gettext_lazy(
        "%(value)s is after today: a past meeting was held today or earlier."
    ),
    "meeting_date_early": gettext_lazy("%(value)s is before %(year)s: check the year."),
    "meeting_title_missing": gettext_lazy("No title."),
    "meeting_title_long": gettext_lazy("The title is longer than 200 characters."),
    "meeting_kind_unknown": gettext_lazy("Unknown kind “%(value)s”. The kinds are: %(kinds)s."),
    "meeting_minutes_invalid": gettext_lazy(
        "“%(value)s” is not a link to the minutes: write a web address (https://…)."
    ),
    "meeting_present_invalid": gettext_lazy(
        "“%(value)s” in the column “%(column)s” is not a number of people."
    ),
    "meeting_duplicate": gettext_lazy(
        "The same meeting (day and title) is also in row %(row)s: each meeting once."
    ),
}


@lru_cache(maxsize=4)
def _kind_names(languages: tuple) -> dict[str, str]:
    names: dict[str, str] = {}
    for kind, words in KIND_WORDS.items():
        for word in words:
            names[normalised(word)] = str(kind)
    for language in languages:
        with translation.override(language):
            for kind, label in Workshop.Kind.choices:
                names[normalised(str(label))] = kind
    for kind in Workshop.Kind.values:
        names[normalised(kind)] = kind
    return names


def kind_code(value: str) -> str | None:
    """The kind a cell names, in any of the portal's languages: its whole text, else the one
    kind its words name ("Συνεδρίαση φόρουμ", "Plenary session"); None for none, or when
    its words name two kinds."""
    names = _kind_names(tuple(code for code, _name in settings.LANGUAGES))
    whole = names.get(normalised(value))
    if whole is not None:
        return whole
    named = {names[word] for word in map(normalised, value.split()) if word in names}
    return named.pop() if len(named) == 1 else None


def _count_read(value: str) -> int | None | bool:
    """How many people a cell says: None when empty, False when it is no count."""
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return False
    if not number.is_integer() or not 0 <= number <= MOST_PRESENT:
        return False
    return int(number)


def _link_valid(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def _meetings_mapping_require(mapping: dict) -> None:
    if "held_on" not in mapping:
        raise MemberImportError(_("Choose the column of the meetings' dates."), field="held_on")
    if "title" not in mapping:
        raise MemberImportError(_("Choose the column of the meetings' titles."), field="title")


class _MeetingChecker:
    """Reads each row's meeting and remembers the file's earlier ones; asks the database
    once per batch which the forum has recorded already (or held in the portal)."""

    def __init__(self, member_import: MemberImport):
        self.member_import = member_import
        self.forum = member_import.forum
        self.columns = columns_of(member_import)
        self.seen: dict[tuple[str, str], int] = {}
        self.today = timezone.localdate()

    def check(self, number: int, cells: list[str]) -> ImportRow:
        values, reasons = cells_read(self.member_import, self.columns, cells)
        if not reasons:
            self._read(number, values, reasons)
        return ImportRow(
            number=number,
            status=ImportRow.Status.ERROR if reasons else ImportRow.Status.NEW,
            cells=cells,
            values=values,
            reasons=reasons,
            matches={},
        )

    def _read(self, number: int, values: dict, reasons: list) -> None:
        text = values.get("held_on", "")
        day = date_read(text) if text else None
        if not text:
            reasons.append(["meeting_date_missing", {}])
        elif day is None:
            reasons.append(["meeting_date_invalid", {"value": text}])
        elif day > self.today:
            reasons.append(["meeting_date_future", {"value": text}])
        elif day < EARLIEST:
            reasons.append(["meeting_date_early", {"value": text, "year": EARLIEST.year}])
        else:
            values["day"] = day.isoformat()
        title = values.get("title", "")
        if not normalised(title):
            reasons.append(["meeting_title_missing", {}])
        elif len(title) > 200:
            reasons.append(["meeting_title_long", {}])
        kind = values.get("kind", "")
        code = kind_code(kind) if kind else Workshop.Kind.FORUM_MEETING
        if code is None:
            reasons.append(["meeting_kind_unknown", {"value": kind}])
        else:
            values["kind_code"] = str(code)
        minutes = values.get("minutes", "")
        if minutes:
            url = minutes if "://" in minutes else "https://" + minutes
            if len(url) <= 500 and _link_valid(url):
                values["minutes_url"] = url
            else:
                reasons.append(["meeting_minutes_invalid", {"value": minutes}])
        for name in ("government", "non_government"):
            count = _count_read(values.get(name, ""))
            if count is False:
                column = self.member_import.mapping.get(name, "")
                reasons.append(
                    ["meeting_present_invalid", {"value": values[name], "column": column}]
                )
            elif count is not None:
                values[f"{name}_count"] = count
        if "day" in values and normalised(title):
            key = (values["day"], normalised(title))
            earlier = self.seen.get(key)
            if earlier is not None:
                reasons.append(["meeting_duplicate", {"row": earlier}])
            else:
                self.seen[key] = number

    def settle(self, rows: list[ImportRow]) -> None:
        """The rows whose meeting the forum has: recorded already (one query), or held in
        the portal as a workshop of that day and title (one query)."""
        new = [row for row in rows if row.status == ImportRow.Status.NEW]
        days = {date.fromisoformat(row.values["day"]) for row in new}
        if not days:
            return
        known: dict[tuple[str, str], dict] = {}
        for pk, day, title in PastMeeting.objects.filter(
            forum=self.forum, held_on__in=days
        ).values_list("pk", "held_on", "title"):
            known[(day.isoformat(), normalised(title))] = {"meeting": pk, "meeting_title": title}
        workshops = Workshop.objects.filter(process__forum=self.forum).exclude(
            status__in=[Workshop.Status.DRAFT, Workshop.Status.CANCELLED]
        )
        for pk, starts_at, title in workshops.filter(starts_at__date__in=days).values_list(
            "pk", "starts_at", "title"
        ):
            key = (timezone.localdate(starts_at).isoformat(), normalised(title))
            known.setdefault(key, {"workshop": pk, "meeting_title": title})
        for row in new:
            found = known.get((row.values["day"], normalised(row.values["title"])))
            if found is not None:
                row.status = ImportRow.Status.EXISTING
                row.matches = found


class _MeetingWriter:
    def __init__(self, member_import: MemberImport):
        self.member_import = member_import
        self.forum = member_import.forum
        self.by = member_import.created_by

    def write(self, row: ImportRow) -> tuple[str, bool]:
        """ "recorded", or "existing" when the forum has the meeting already; a refusal
        raises ForumError."""
        values = row.values
        facts = MeetingFacts(
            held_on=date.fromisoformat(values["day"]),
            title=values["title"],
            kind=values["kind_code"],
            minutes_url=values.get("minutes_url", ""),
            present_government=values.get("government_count"),
            present_non_government=values.get("non_government_count"),
        )
        if same_meeting(self.forum, facts.held_on, facts.title) is not None:
            return "existing", False
        past_meeting_record(
            forum=self.forum, facts=facts, by=self.by, member_import=self.member_import
        )
        return "recorded", False

    def forget_made_now(self) -> None:
        """Nothing is kept between rows."""


def _row_dress(row: ImportRow) -> None:
    day = row.values.get("day")
    row.day = date.fromisoformat(day) if day else None
    code = row.values.get("kind_code")
    row.kind_label = Workshop.Kind(code).label if code in Workshop.Kind.values else ""


MEETINGS = ImportContent(
    key="meetings",
    label=gettext_lazy("Past meetings"),
    title=gettext_lazy("Import past meetings"),
    lead=gettext_lazy(
        "Bring in the meetings the forum held before it used the portal, or outside it: "
        "one row per meeting, with its date, title and kind, and where it has them the link "
        "to its minutes and how many were present from each stakeholder group. Forum health "
        "counts them beside the workshops held here. You match the columns and see every "
        "row's fate before anything is written. Importing the same file again records "
        "nothing new."
    ),
    fields=FIELDS,
    synonyms=SYNONYMS,
    mapping_require=_meetings_mapping_require,
    checker=_MeetingChecker,
    writer=_MeetingWriter,
    permission=permissions.can_record_past_meetings,
    refusal=gettext_lazy("Only the forum's secretariat records its past meetings."),
    rows_template="cocreation/manage/past_meeting_import_rows.html",
    confirm_lead=gettext_lazy(
        "Nothing has been written yet. Read what each row would do; confirm to record the "
        "new meetings in the forum's history."
    ),
    file_help=gettext_lazy(
        "One row per meeting: its date, title and kind (forum meeting, co-creation "
        "workshop, implementation review, training), and if you have them the link to its "
        "minutes and how many were present from government and from non-government. A "
        "minutes file can be added to each meeting afterwards."
    ),
    outcomes={
        "recorded": gettext_lazy("Meetings recorded"),
        "existing": gettext_lazy("Recorded already"),
    },
    reasons=REASONS,
    reason_lists={
        "meeting_kind_unknown": {
            "kinds": lambda: ", ".join(str(label) for label in Workshop.Kind.labels)
        }
    },
    row_dress=_row_dress,
    records_url="manage:past_meetings",
    records_label=gettext_lazy("The forum's past meetings"),
)


def meetings_import_register() -> None:
    """Make past meetings importable (CocreationConfig.ready)."""
    import_content_register(MEETINGS)
