"""Organisations and people imported from a spreadsheet by a forum's secretariat (issue 31),
and whatever else an app above members registers as an `ImportContent` (co-creation: the
forum's past meetings, cocreation/past_meetings.py): the steps, the worker, the preview and
the pages below are the same for every content; its fields, its check of a row and its
writing are its own.

Four steps, each a service that checks its own permission:
1. `member_import_upload`: the file is opened (members.spreadsheets) and its header read; a
   file that is no spreadsheet is refused beside the field, and nothing is stored.
2. `member_import_map`: the secretariat matches the file's columns to the portal's fields
   (remembered for the forum's next import); the worker then reads every row and records
   its fate (`ImportRow`: new, matches an existing record, or error with its reasons)
   without writing any organisation, person or invitation.
3. `member_import_confirm`: the worker writes, in order and row by row, the new
   organisations and one invitation for each new person (`services.invitation_send`: one
   e-mail in the person's language; accepting makes them approved members of the
   organisation, in its stakeholder group).
4. The result: counts, and the rejected rows as a CSV with the reason beside each.

Matching is what makes an import safe to repeat: an organisation whose name, normalised
(case-folded, accents, punctuation and spaces removed), equals an existing one's is that
organisation when the names are the same but for case, and a row in error ("close to an
existing organisation") when they differ otherwise ("ΚΕΔΕ" and "Κ.Ε.Δ.Ε."); a person whose
address has an open invitation of the forum, or who is an approved member of the
organisation, is an existing record. Importing the same file twice creates nothing new.

The long steps run in the worker (core.queue.long_task_enqueue_on_commit; with no broker, in
a thread of the web process) and report their progress; the page polls it."""

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from core.audit.services import audit_record
from core.errors import ForumError, require
from core.queue import long_task_enqueue_on_commit
from members import permissions, services
from members.models import (
    Forum,
    ImportMapping,
    ImportRow,
    Invitation,
    MemberImport,
    MembershipStatus,
    Organisation,
    Sector,
    User,
)
from members.spreadsheets import MAX_CELL, SpreadsheetError, sheet_open

logger = logging.getLogger(__name__)

PREVIEW_TASK = "members.import_preview"
RUN_TASK = "members.import_run"
BATCH = 500  # rows read, checked and stored at a time: memory stays bounded

# The portal's fields, in the order the mapping form shows them.
FIELDS = [
    ("organisation", gettext_lazy("Organisation: name")),
    ("sector", gettext_lazy("Organisation: sector")),
    ("country", gettext_lazy("Organisation: country")),
    ("website", gettext_lazy("Organisation: website")),
    ("name", gettext_lazy("Person: name")),
    ("email", gettext_lazy("Person: e-mail address")),
    ("language", gettext_lazy("Person: preferred language")),
    ("seat", gettext_lazy("Person: seat on the forum's body from (a date, or yes)")),
]

# Headers that people write for each field, in the portal's languages (normalised: see
# `normalised`); the mapping form starts from these unless the forum's last import said
# otherwise.
SYNONYMS = {
    "organisation": [
        "organisation",
        "organization",
        "organisationname",
        "organizationname",
        "org",
        "οργανισμος",
        "φορεας",
        "οργανωση",
        "organizacja",
        "instytucja",
        "организација",
        "организациjа",
        "организація",
        "організація",
        "organizacao",
        "entidade",
    ],
    "sector": [
        "sector",
        "sektor",
        "τομεας",
        "κατηγορια",
        "сектор",
        "setor",
        "type",
        "kind",
    ],
    "country": ["country", "χωρα", "kraj", "земља", "држава", "країна", "pais", "país"],
    "website": [
        "website",
        "web",
        "url",
        "site",
        "ιστοσελιδα",
        "ιστοτοπος",
        "stronawww",
        "strona",
        "вебсајт",
        "сајт",
        "вебсайт",
        "сайт",
        "sitio",
    ],
    "name": [
        "name",
        "fullname",
        "person",
        "contact",
        "contactname",
        "ονοματεπωνυμο",
        "ονομα",
        "imieinazwisko",
        "imięinazwisko",
        "imie",
        "имеипрезиме",
        "име",
        "імя",
        "прізвищеімя",
        "піб",
        "nome",
        "nomecompleto",
    ],
    "email": [
        "email",
        "emailaddress",
        "mail",
        "ηλεκτρονικοταχυδρομειο",
        "ταχυδρομειο",
        "adresemail",
        "имејл",
        "емаил",
        "електронскапошта",
        "електроннапошта",
        "пошта",
        "correio",
        "correioeletronico",
    ],
    "language": [
        "language",
        "preferredlanguage",
        "lang",
        "γλωσσα",
        "jezyk",
        "język",
        "језик",
        "мова",
        "idioma",
        "lingua",
    ],
    "seat": [
        "seat",
        "forumseat",
        "seatfrom",
        "bodyseat",
        "εδρα",
        "θεση",
        "miejsce",
        "место",
        "мјесто",
        "місце",
        "lugar",
        "assento",
    ],
}

# Why a row is rejected; rendered in the reader's language when shown.
REASONS = {
    "organisation_missing": gettext_lazy("No organisation."),
    "organisation_close": gettext_lazy(
        "Close to an existing organisation: %(name)s. Write its name exactly as the portal "
        "does, or rename one of them."
    ),
    "organisation_close_in_file": gettext_lazy(
        "Close to “%(name)s” in row %(row)s: write the organisation's name the same way."
    ),
    "sector_missing": gettext_lazy("No sector for a new organisation."),
    "sector_unknown": gettext_lazy("Unknown sector “%(value)s”. The sectors are: %(sectors)s."),
    "country_missing": gettext_lazy("No country for a new organisation."),
    "country_unknown": gettext_lazy("Unknown country “%(value)s”."),
    "website_invalid": gettext_lazy("Invalid website “%(value)s”."),
    "email_invalid": gettext_lazy("Invalid e-mail address “%(value)s”."),
    "email_duplicate": gettext_lazy(
        "The e-mail address %(value)s is also in row %(row)s: each person once."
    ),
    "name_missing": gettext_lazy("No name for the person with the address %(value)s."),
    "email_missing": gettext_lazy("A person's name without an e-mail address."),
    "language_unknown": gettext_lazy(
        "Unknown language “%(value)s”. The portal speaks: %(languages)s."
    ),
    "seat_invalid": gettext_lazy(
        "“%(value)s” is not a date for the seat: write it as 2026-01-31, or yes."
    ),
    "formula": gettext_lazy(
        "A formula in the column “%(column)s”: formulas are not run; type the value itself."
    ),
    "too_long": gettext_lazy("The column “%(column)s” holds more than %(max)s characters."),
    "refused": gettext_lazy("Not imported: %(message)s"),
}


class MemberImportError(ForumError):
    """An import that cannot go on as asked. `fields` maps the form's fields to messages."""

    def __init__(self, message="", *, field: str | None = None):
        super().__init__(message)
        self.fields = {field: [str(message)]} if field else {}


@dataclass(frozen=True)
class ImportContent:
    """What an import's file may hold, and how its rows are read and written. Members
    registers its own ("members": organisations and people); an app above it registers
    another with `import_content_register` (co-creation: "meetings", the forum's past
    meetings), since members cannot import it. The steps, the preview, the worker and the
    pages are the same for every content."""

    key: str
    label: object  # what the file holds, short: "Organisations and members"
    title: object  # the upload page's heading, e.g. "Import organisations and members"
    lead: object  # what the import does, under the heading
    fields: list  # [(field, label)] in the mapping form's order
    synonyms: dict  # field → headers people write for it (normalised)
    mapping_require: Callable[[dict], None]  # raises MemberImportError for a missing field
    checker: Callable  # (MemberImport) → an object with check(number, cells) and settle(rows)
    writer: Callable  # (MemberImport) → an object with write(row) and forget_made_now()
    permission: Callable  # (user, forum) → bool
    refusal: object  # the message when `permission` says no
    rows_template: str  # the preview table's rows
    confirm_lead: object  # above the preview: what confirming does
    file_help: object = ""  # under the upload field: what the file should hold
    row_dress: Callable | None = None  # (ImportRow) → None: what the preview shows, read
    records_url: str = ""  # the back office's list of what an import made ("manage:...")
    records_label: object = ""  # the link to it
    outcomes: dict = field(default_factory=dict)  # outcome → label, counted on the result page
    reasons: dict = field(default_factory=dict)  # its own rejection reasons (see REASONS)
    reason_lists: dict = field(default_factory=dict)  # see REASON_LISTS
    asks_language: bool = False  # whether the e-mails' language is asked for

    @property
    def field_names(self) -> list[str]:
        return [name for name, _label in self.fields]


CONTENTS: dict[str, ImportContent] = {}


def import_content_register(content: ImportContent) -> None:
    """Make a content importable (an app's ready())."""
    CONTENTS[content.key] = content
    REASONS.update(content.reasons)
    REASON_LISTS.update(content.reason_lists)


def import_content(key: str) -> ImportContent:
    """The registered content `key`; MemberImportError for any other."""
    try:
        return CONTENTS[key]
    except (KeyError, TypeError):
        raise MemberImportError(_("Unknown kind of import.")) from None


def cells_read(member_import: MemberImport, columns: dict, cells: list[str]):
    """The mapped fields of a row, spaces tidied, and the reasons common to every content:
    a formula (never run) or a cell too long."""
    values, reasons = {}, []
    for name, column in columns.items():
        value = cells[column] if column < len(cells) else ""
        if value.startswith("="):
            reasons.append(["formula", {"column": member_import.headers[column]}])
        elif len(value) >= MAX_CELL:
            reasons.append(["too_long", {"column": member_import.headers[column], "max": MAX_CELL}])
        values[name] = " ".join(value.split())
    return values, reasons


def columns_of(member_import: MemberImport) -> dict[str, int]:
    """Field → the index of its column in the file."""
    return {
        name: member_import.headers.index(header)
        for name, header in member_import.mapping.items()
        if header in member_import.headers
    }


def _sectors_named() -> str:
    return ", ".join(sorted(str(sector) for sector in Sector.objects.all()))


def _languages_named() -> str:
    return ", ".join(str(name) for _code, name in settings.LANGUAGES)


# Lists a reason names, made as it is read (in the reader's language), not when the worker
# checked the row: {code: {param: callable}}.
REASON_LISTS = {
    "sector_unknown": {"sectors": _sectors_named},
    "language_unknown": {"languages": _languages_named},
}


def reason_text(code: str, params: dict, lists: dict | None = None) -> str:
    """A reason in the active language; `lists` memoises the lists it names (REASON_LISTS)
    for a page of rows."""
    template = REASONS.get(code)
    if template is None:
        return code
    lists = {} if lists is None else lists
    named = {}
    for name, made in REASON_LISTS.get(code, {}).items():
        if name not in lists:
            lists[name] = made()
        named[name] = lists[name]
    try:
        return str(template) % {**params, **named}
    except (KeyError, TypeError, ValueError):
        return str(template)


def row_reasons(row: ImportRow, lists: dict | None = None) -> list[str]:
    """The row's reasons in the active language; pass the same `lists` dict for every row
    of a page, so that each list is read once."""
    return [reason_text(code, params, lists) for code, params in row.reasons]


# --- Normalising what people type --------------------------------------------------------------


def normalised(text: str) -> str:
    """Case-folded, without accents, punctuation or spaces: "Κ.Ε.Δ.Ε." and "ΚΕΔΕ" are the
    same, so are "Vouliwatch " and "vouliwatch"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in decomposed if char.isalnum())


def header_key(header: str) -> str:
    return normalised(header)[:60]


@lru_cache(maxsize=8)
def _language_names(languages: tuple) -> dict[str, str]:
    """Codes and names of the portal's languages, in each of them, to the code."""
    names: dict[str, str] = {"gr": "el", "ua": "uk", "srb": "sr", "rs": "sr", "gb": "en"}
    for code, label in languages:
        names[normalised(code)] = code
        info = get_language_info(code)
        names[normalised(info["name"])] = code
        names[normalised(info["name_local"])] = code
        for other, _label in languages:
            with translation.override(other):
                names[normalised(str(label))] = code
    return names


def language_code(value: str) -> str | None:
    names = _language_names(tuple((code, str(name)) for code, name in settings.LANGUAGES))
    key = normalised(value)
    if key in names:
        return names[key]
    base = normalised(re.split(r"[-_]", value.strip(), maxsplit=1)[0])
    return names.get(base)


@lru_cache(maxsize=4)
def _country_names(languages: tuple) -> dict[str, str]:
    names: dict[str, str] = {}
    for language in languages:
        with translation.override(language):
            for code, name in countries:
                names[normalised(name)] = code
    for code, _name in countries:
        names[normalised(code)] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            names.setdefault(normalised(alpha3), code)
    return names


def country_code(value: str) -> str | None:
    return _country_names(tuple(code for code, _name in settings.LANGUAGES)).get(normalised(value))


def _sector_names() -> dict[str, int]:
    """Each sector's slug and name, as stored and as every language shows it, to its id."""
    names: dict[str, int] = {}
    sectors = list(Sector.objects.values_list("pk", "name", "slug"))
    for pk, name, slug in sectors:
        names[normalised(slug)] = pk
        names[normalised(name)] = pk
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                names.setdefault(normalised(_(name)), pk)
    return names


YES = {"yes", "y", "x", "1", "true", "ναι", "ν", "tak", "t", "да", "д", "так", "sim", "s"}
NO = {"no", "n", "0", "false", "οχι", "nie", "не", "ні", "nao", "não", "-"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y")


def date_read(value: str) -> date | None:
    """A day as people type it in a spreadsheet (2026-01-31, 31/01/2026, 31.01.2026, a
    date cell of Excel); None when the text is no day."""
    text = value.strip().rstrip(".")
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text, pattern)
        except ValueError:
            continue
        if 1900 <= parsed.year <= 9000:
            return parsed.date()
    return None


def seat_date(value: str, today: date) -> date | None | bool:
    """The seat's first day from what the cell says: a date, yes (today), or no (None).
    False when it says neither."""
    text = value.strip().rstrip(".")
    if not text or normalised(text) in {normalised(word) for word in NO}:
        return None
    if normalised(text) in {normalised(word) for word in YES}:
        return today
    day = date_read(text)
    return False if day is None else day


# --- The mapping -------------------------------------------------------------------------------


def mapping_initial(forum: Forum, headers: list[str], content: ImportContent) -> dict[str, str]:
    """Field → header: the forum's remembered choices for this content first, then the
    usual names."""
    remembered = (
        ImportMapping.objects.filter(forum=forum, content=content.key)
        .values_list("mapping", flat=True)
        .first()
        or {}
    )
    names = content.field_names
    synonyms = {
        normalised(word): name for name, words in content.synonyms.items() for word in words
    }
    mapping: dict[str, str] = {}
    for header in headers:
        key = header_key(header)
        name = remembered.get(key)
        if name in names and name not in mapping:
            mapping[name] = header
    for header in headers:
        if header in mapping.values():
            continue
        group = header_key(header.split(":", 1)[0]) if ":" in header else ""
        name = synonyms.get(header_key(header))
        if name is None:
            name = synonyms.get(header_key(header.rsplit(":", 1)[-1]))
            # "Organisation: name" under a label merged above the header
            if name == "name" and synonyms.get(group) == "organisation":
                name = "organisation"
        if name and name not in mapping:
            mapping[name] = header
    return mapping


# --- 1. Upload ---------------------------------------------------------------------------------


def _imports_require(content: ImportContent, forum: Forum, by) -> None:
    require(content.permission(by, forum), str(content.refusal))


def member_import_upload(
    *, forum: Forum, file, by, default_language: str, content: str = "members"
) -> MemberImport:
    """Store an uploaded spreadsheet of `content` and read its header (the forum's
    secretariat only). A file that is not a CSV or XLSX spreadsheet, or is too large, is
    refused (`field` "file"), and nothing is stored."""
    what = import_content(content)
    _imports_require(what, forum, by)
    if file is None:
        raise MemberImportError(_("Choose a file."), field="file")
    if file.size > settings.MEMBERS_IMPORT_MAX_BYTES:
        raise MemberImportError(
            _("The file is larger than %(size)s MB: split it, or save it as CSV.")
            % {"size": settings.MEMBERS_IMPORT_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    if default_language not in dict(settings.LANGUAGES):
        raise MemberImportError(
            _("Choose one of the portal's languages."), field="default_language"
        )
    try:
        sheet = sheet_open(file)
    except SpreadsheetError as error:
        raise MemberImportError(str(error), field="file") from None
    if len(sheet.headers) < 2:
        raise MemberImportError(
            _(
                "Only one column was found: the file needs a header row with a column for "
                "each field (separated by ; or , in a CSV file)."
            ),
            field="file",
        )
    file.seek(0)
    name = (getattr(file, "name", "") or "import").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        member_import = MemberImport(
            forum=forum,
            content=what.key,
            filename=name,
            kind=sheet.kind,
            encoding=sheet.encoding,
            delimiter=sheet.delimiter,
            headers=sheet.headers,
            default_language=default_language,
            created_by=by,
        )
        member_import.mapping = mapping_initial(forum, sheet.headers, what)
        member_import.file.save(f"{sheet.kind}-{timezone.now():%Y%m%d%H%M%S}.{sheet.kind}", file)
        audit_record(
            actor=by,
            action="import.upload",
            about=member_import,
            forum=forum.slug,
            file=name,
            content=what.key,
        )
    return member_import


# --- 2. Mapping and preview --------------------------------------------------------------------


def member_import_map(
    *, member_import: MemberImport, mapping: dict[str, str], default_language: str, by
) -> MemberImport:
    """Match the file's columns to the portal's fields (field → header; a field left out
    is not read) and have the worker check every row. The forum remembers the choice."""
    what = import_content(member_import.content)
    _imports_require(what, member_import.forum, by)
    headers = member_import.headers
    mapping = {name: header for name, header in mapping.items() if header}
    for name, header in mapping.items():
        if name not in what.field_names:
            raise MemberImportError(_("Unknown field."))
        if header not in headers:
            raise MemberImportError(_("This column is not in the file."), field=name)
    chosen = list(mapping.values())
    for name, header in mapping.items():
        if chosen.count(header) > 1:
            raise MemberImportError(
                _("The column “%(column)s” is chosen for two fields.") % {"column": header},
                field=name,
            )
    what.mapping_require(mapping)
    if not what.asks_language:
        default_language = member_import.default_language
    if default_language not in dict(settings.LANGUAGES):
        raise MemberImportError(
            _("Choose one of the portal's languages."), field="default_language"
        )
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        if locked.state not in (MemberImport.State.MAPPING, MemberImport.State.PREVIEWED):
            raise MemberImportError(_("This import has been confirmed already."))
        locked.rows.all().delete()
        locked.mapping = mapping
        locked.default_language = default_language
        locked.state = MemberImport.State.PREVIEWING
        locked.progress = 0
        locked.rows_total = locked.rows_new = locked.rows_existing = locked.rows_error = 0
        locked.error = ""
        locked.save()
        remembered, _created = ImportMapping.objects.select_for_update().get_or_create(
            forum=locked.forum, content=locked.content
        )
        remembered.mapping = {
            **remembered.mapping,
            **{header_key(header): name for name, header in mapping.items()},
        }
        remembered.updated_at = timezone.now()
        remembered.save()
        audit_record(
            actor=by, action="import.map", about=locked, forum=locked.forum.slug, mapping=mapping
        )
        long_task_enqueue_on_commit(PREVIEW_TASK, locked.pk, in_process=import_preview_build)
    return locked


def _members_mapping_require(mapping: dict) -> None:
    if "organisation" not in mapping:
        raise MemberImportError(
            _("Choose the column of the organisations' names."), field="organisation"
        )
    if "name" in mapping and "email" not in mapping:
        raise MemberImportError(
            _("Choose the column of the people's e-mail addresses."), field="email"
        )
    if "email" in mapping and "name" not in mapping:
        raise MemberImportError(_("Choose the column of the people's names."), field="name")


class _Checker:
    """Checks rows one after the other, remembering what earlier rows of the file said
    (addresses, new organisations); asks the database once per batch."""

    def __init__(self, member_import: MemberImport):
        self.member_import = member_import
        self.forum = member_import.forum
        self.columns = columns_of(member_import)
        self.sectors = _sector_names()
        self.organisations: dict[str, list[tuple[int, str]]] = {}
        for pk, name in Organisation.objects.values_list("pk", "name"):
            self.organisations.setdefault(normalised(name), []).append((pk, name))
        self.file_organisations: dict[str, tuple[str, int, dict]] = {}
        self.emails: dict[str, int] = {}
        self.today = timezone.localdate()

    def cell(self, cells: list[str], field: str) -> str:
        column = self.columns.get(field)
        if column is None or column >= len(cells):
            return ""
        return cells[column]

    def check(self, number: int, cells: list[str]) -> ImportRow:
        matches: dict = {}
        values, reasons = cells_read(self.member_import, self.columns, cells)
        if reasons:
            return ImportRow(
                number=number,
                status=ImportRow.Status.ERROR,
                cells=cells,
                values=values,
                reasons=reasons,
            )
        self._organisation(number, values, reasons, matches)
        if values.get("email") or values.get("name"):
            self._person(number, values, reasons, matches)
        if not reasons and matches.get("organisation_new") and "organisation_row" not in matches:
            # The file's first clean row of a new organisation makes it; later rows name it.
            self.file_organisations[normalised(values["organisation"])] = (
                values["organisation"],
                number,
                {
                    key: values[key]
                    for key in ("sector_id", "country_code", "website")
                    if key in values
                },
            )
        status = ImportRow.Status.ERROR if reasons else ImportRow.Status.NEW
        return ImportRow(
            number=number,
            status=status,
            cells=cells,
            values=values,
            reasons=reasons,
            matches=matches,
        )

    def _organisation(self, number, values, reasons, matches) -> None:
        name = values.get("organisation", "")
        if not name:
            reasons.append(["organisation_missing", {}])
            return
        key = normalised(name)
        if not key:
            reasons.append(["organisation_missing", {}])
            return
        existing = self.organisations.get(key)
        if existing:
            same = [pk for pk, stored in existing if stored.casefold() == name.casefold()]
            if same:
                matches["organisation"] = same[0]
                matches["organisation_name"] = next(s for p, s in existing if p == same[0])
                return
            reasons.append(
                ["organisation_close", {"name": ", ".join(f"“{s}”" for _p, s in existing)}]
            )
            return
        earlier = self.file_organisations.get(key)
        if earlier is not None:
            earlier_name, row, made_with = earlier
            if earlier_name.casefold() != name.casefold():
                reasons.append(["organisation_close_in_file", {"name": earlier_name, "row": row}])
                return
            matches["organisation_new"] = True
            matches["organisation_row"] = row
            values.update(made_with)  # what the organisation is made with, whichever row runs
            return
        # A new organisation: its sector, country and website must be right.
        local: list = []
        sector = values.get("sector", "")
        if not sector:
            local.append(["sector_missing", {}])
        elif normalised(sector) not in self.sectors:
            local.append(["sector_unknown", {"value": sector}])
        else:
            values["sector_id"] = self.sectors[normalised(sector)]
        country = values.get("country", "")
        if country:
            code = country_code(country)
            if code is None:
                local.append(["country_unknown", {"value": country}])
            else:
                values["country_code"] = code
        elif self.forum.country:
            values["country_code"] = str(self.forum.country)
        else:
            local.append(["country_missing", {}])
        website = values.get("website", "")
        if website:
            if "://" not in website:
                website = "https://" + website
            try:
                URLValidator(schemes=["http", "https"])(website)
            except ValidationError:
                local.append(["website_invalid", {"value": values["website"]}])
            else:
                values["website"] = website
        if local:
            reasons.extend(local)
            return
        matches["organisation_new"] = True

    def _person(self, number, values, reasons, matches) -> None:
        email, name = values.get("email", ""), values.get("name", "")
        if not email:
            reasons.append(["email_missing", {}])
            return
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(["email_invalid", {"value": email}])
            return
        if not name:
            reasons.append(["name_missing", {"value": email}])
        earlier = self.emails.get(email.lower())
        if earlier is not None:
            reasons.append(["email_duplicate", {"value": email, "row": earlier}])
            return
        self.emails[email.lower()] = number
        language = values.get("language", "")
        if language:
            code = language_code(language)
            if code is None:
                reasons.append(["language_unknown", {"value": language}])
            else:
                values["language_code"] = code
        else:
            values["language_code"] = self.member_import.default_language
        seat = values.get("seat", "")
        if seat:
            start = seat_date(seat, self.today)
            if start is False:
                reasons.append(["seat_invalid", {"value": seat}])
            elif start is not None:
                values["seat_from"] = start.isoformat()

    def settle(self, rows: list[ImportRow]) -> None:
        """Which people of a batch the portal has already: one query each for the forum's
        invitations and the accounts of the batch's addresses."""
        people = [
            row for row in rows if row.status == ImportRow.Status.NEW and row.values.get("email")
        ]
        emails = {row.values["email"].lower() for row in people}
        invited: dict[str, int] = {}
        accounts: dict[str, tuple] = {}
        if emails:
            # Open invitations only: the partial index of the one open invitation per
            # address answers it. One accepted made an account, which the next query finds.
            invited = dict(
                Invitation.objects.open()
                .filter(forum=self.forum)
                .annotate(address=Lower("email"))
                .filter(address__in=emails)
                .values_list("address", "organisation_id")
            )
            accounts = {
                address: (organisation_id, status)
                for address, organisation_id, status in User.objects.filter(is_active=True)
                .annotate(address=Lower("email"))
                .filter(address__in=emails)
                .values_list("address", "organisation_id", "membership_status")
            }
        for row in rows:
            if row.status != ImportRow.Status.NEW:
                continue
            email = row.values.get("email", "").lower()
            organisation = row.matches.get("organisation")
            if email:
                account = accounts.get(email)
                if email in invited:
                    row.matches["person"] = "invited"
                elif (
                    account
                    and organisation is not None
                    and account[0] == organisation
                    and account[1] == MembershipStatus.APPROVED
                ):
                    row.matches["person"] = "member"
                else:
                    row.matches["person"] = "account" if account else "new"
                if row.matches["person"] in ("invited", "member") and organisation is not None:
                    row.status = ImportRow.Status.EXISTING
            elif organisation is not None:
                row.status = ImportRow.Status.EXISTING


def import_preview_build(import_id: int) -> MemberImport:
    """The worker's check of every row (nothing but `ImportRow`s is written). The file is
    read as a stream and the rows stored a batch at a time."""
    claimed = MemberImport.objects.filter(
        pk=import_id, state=MemberImport.State.PREVIEWING, progress=0
    ).update(progress=1)
    member_import = MemberImport.objects.select_related("forum").get(pk=import_id)
    if not claimed:
        return member_import
    counts = {ImportRow.Status.NEW: 0, ImportRow.Status.EXISTING: 0, ImportRow.Status.ERROR: 0}
    try:
        checker = import_content(member_import.content).checker(member_import)
        with member_import.file.open("rb") as handle:
            sheet = sheet_open(handle)
            batch: list[ImportRow] = []

            def store():
                checker.settle(batch)
                for row in batch:
                    row.member_import_id = import_id
                    counts[row.status] += 1
                ImportRow.objects.bulk_create(batch)
                MemberImport.objects.filter(pk=import_id).update(
                    progress=min(95, max(2, int(95 * sheet.done()))),
                    rows_total=sum(counts.values()),
                )
                batch.clear()

            for number, cells in sheet.rows():
                batch.append(checker.check(number, cells))
                if len(batch) >= BATCH:
                    store()
            if batch:
                store()
    except SpreadsheetError as error:
        return _failed(import_id, str(error))
    except Exception:
        logger.exception("The preview of import %s failed", import_id)
        return _failed(import_id, "")
    MemberImport.objects.filter(pk=import_id).update(
        state=MemberImport.State.PREVIEWED,
        progress=100,
        rows_total=sum(counts.values()),
        rows_new=counts[ImportRow.Status.NEW],
        rows_existing=counts[ImportRow.Status.EXISTING],
        rows_error=counts[ImportRow.Status.ERROR],
    )
    member_import.refresh_from_db()
    return member_import


def _failed(import_id: int, error: str) -> MemberImport:
    MemberImport.objects.filter(pk=import_id).update(
        state=MemberImport.State.FAILED, error=error, finished_at=timezone.now()
    )
    return MemberImport.objects.get(pk=import_id)


# --- 3. Confirm and write ----------------------------------------------------------------------


def member_import_confirm(*, member_import: MemberImport, by) -> MemberImport:
    """Write what the preview showed (the forum's secretariat only): once. An import whose
    writing stopped on an error is taken up again where it stopped (the rows written are
    not written again)."""
    _imports_require(import_content(member_import.content), member_import.forum, by)
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        resumed = locked.state == MemberImport.State.FAILED and locked.confirmed_at is not None
        if locked.state != MemberImport.State.PREVIEWED and not resumed:
            raise MemberImportError(_("This import is not waiting for confirmation."))
        locked.state = MemberImport.State.IMPORTING
        locked.progress = 0
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["state", "progress", "confirmed_at"])
        audit_record(actor=by, action="import.confirm", about=locked, forum=locked.forum.slug)
        long_task_enqueue_on_commit(RUN_TASK, locked.pk, in_process=import_run)
    return locked


class _Writer:
    def __init__(self, member_import: MemberImport):
        self.member_import = member_import
        self.by = member_import.created_by
        self.organisations: dict[str, int] = {}
        for pk, name in Organisation.objects.order_by("pk").values_list("pk", "name"):
            self.organisations.setdefault(normalised(name), pk)
        self.loaded: dict[int, Organisation] = {}  # read once each
        self.made_now: str | None = None

    def organisation(self, row: ImportRow) -> tuple[Organisation, bool]:
        values = row.values
        key = normalised(values["organisation"])
        pk = self.organisations.get(key)
        if pk is not None:
            if pk not in self.loaded:
                self.loaded[pk] = Organisation.objects.select_related("sector").get(pk=pk)
            return self.loaded[pk], False
        organisation = Organisation.objects.create(
            name=values["organisation"][:200],
            sector_id=values["sector_id"],
            country=values["country_code"],
            website=values.get("website", "")[:200],
            verified=True,  # the secretariat vouches for what it imports
        )
        audit_record(
            actor=self.by,
            action="organisation.import",
            about=organisation,
            forum=self.member_import.forum.slug,
            member_import=self.member_import.pk,
            row=row.number,
        )
        self.organisations[key] = organisation.pk
        self.made_now = key
        return organisation, True

    def forget_made_now(self) -> None:
        """The row's transaction was rolled back: the organisation it made is gone too."""
        if self.made_now is not None:
            self.organisations.pop(self.made_now, None)
        self.made_now = None

    def write(self, row: ImportRow) -> tuple[str, bool]:
        """What the row made ("invited", "existing", or "organisation" for an organisation
        alone) and whether it made a new organisation; a refusal raises ForumError."""
        # Inside the row's transaction (import_run): no savepoint of its own.
        organisation, created = self.organisation(row)
        values = row.values
        if not values.get("email"):
            return ("organisation" if created else "existing"), created
        seat = values.get("seat_from")
        try:
            invitation = services.invitation_send(
                forum=self.member_import.forum,
                email=values["email"],
                name=values["name"],
                organisation=organisation,
                language=values["language_code"],
                by=self.by,
                seat_term_start=date.fromisoformat(seat) if seat else None,
            )
        except services.AlreadyMember:
            return "existing", created
        created_invitation = invitation.sent_now and invitation.sent_count == 1
        return ("invited" if created_invitation else "existing"), created


def _member_row_dress(row: ImportRow) -> None:
    row.language_name = dict(settings.LANGUAGES).get(row.values.get("language_code", ""), "")


MEMBERS = ImportContent(
    key="members",
    label=gettext_lazy("Organisations and members"),
    title=gettext_lazy("Import organisations and members"),
    lead=gettext_lazy(
        "Bring in the organisations and people a spreadsheet holds: you match its columns, "
        "see every row's fate before anything is written, then confirm. Each new person "
        "receives one invitation in their language and arrives approved in their "
        "organisation's stakeholder group. Importing the same file again creates nothing new."
    ),
    fields=FIELDS,
    synonyms=SYNONYMS,
    mapping_require=_members_mapping_require,
    checker=_Checker,
    writer=_Writer,
    permission=permissions.can_import_members,
    refusal=gettext_lazy("Only the forum's secretariat imports organisations and members into it."),
    rows_template="members/manage_import_rows.html",
    confirm_lead=gettext_lazy(
        "Nothing has been written yet. Read what each row would do; confirm to create the "
        "new organisations and send the invitations."
    ),
    asks_language=True,
    row_dress=_member_row_dress,
    records_url="manage:invitations",
    records_label=gettext_lazy("The invitations and their state"),
)
import_content_register(MEMBERS)


def import_run(import_id: int) -> MemberImport:
    """The worker's writing of a confirmed import: each new row in file order, each in its
    own transaction (an organisation and its person's invitation together), marked done as
    it goes, so that a run cut short and started again writes each row once."""
    member_import = MemberImport.objects.select_related("forum", "created_by").get(pk=import_id)
    if member_import.state != MemberImport.State.IMPORTING:
        return member_import
    writer = import_content(member_import.content).writer(member_import)
    pending = member_import.rows.filter(status=ImportRow.Status.NEW)
    total = max(pending.count(), 1)
    done = pending.filter(done=True).count()
    last = 0
    try:
        while True:
            batch = list(pending.filter(done=False, number__gt=last).order_by("number")[:BATCH])
            if not batch:
                break
            for row in batch:
                last = row.number
                writer.made_now = None
                try:
                    with transaction.atomic():  # the row's records, its mark and its counts
                        outcome, created = writer.write(row)
                        _row_done(import_id, row, outcome, created)
                except ForumError as error:
                    writer.forget_made_now()
                    row.status = ImportRow.Status.ERROR
                    row.reasons = [["refused", {"message": str(error)}]]
                    row.save(update_fields=["status", "reasons"])
                    MemberImport.objects.filter(pk=import_id).update(
                        rows_error=F("rows_error") + 1, rows_new=F("rows_new") - 1
                    )
            done += len(batch)
            MemberImport.objects.filter(pk=import_id).update(
                progress=min(99, int(100 * done / total))
            )
    except Exception:
        writer.forget_made_now()
        logger.exception("Import %s failed", import_id)
        return _failed(import_id, "")
    MemberImport.objects.filter(pk=import_id).update(
        state=MemberImport.State.DONE, progress=100, finished_at=timezone.now()
    )
    member_import.refresh_from_db()
    return member_import


def _row_done(import_id: int, row: ImportRow, outcome: str, created: bool) -> None:
    row.done = True
    row.matches = {**row.matches, "outcome": outcome}
    row.save(update_fields=["done", "matches"])
    updates = {}
    if created:
        updates["organisations_created"] = F("organisations_created") + 1
    if outcome == "invited":
        updates["people_invited"] = F("people_invited") + 1
    if updates:
        MemberImport.objects.filter(pk=import_id).update(**updates)


def outcome_counts(member_import: MemberImport) -> list[tuple[str, int]]:
    """What the rows written made, for the content's outcomes: [(label, count)] (one
    query)."""
    outcomes = import_content(member_import.content).outcomes
    if not outcomes:
        return []
    made = dict(
        member_import.rows.filter(done=True)
        .values_list("matches__outcome")
        .annotate(n=Count("pk"))
        .values_list("matches__outcome", "n")
    )
    return [(str(label), made.get(outcome, 0)) for outcome, label in outcomes.items()]


# --- 4. Rejected rows ---------------------------------------------------------------------------


def rejected_rows(member_import: MemberImport):
    """The rows in error, in file order, a batch at a time (for the CSV)."""
    last = 0
    while True:
        batch = list(
            member_import.rows.filter(status=ImportRow.Status.ERROR, number__gt=last).order_by(
                "number"
            )[:BATCH]
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].number


# --- Personal data -------------------------------------------------------------------------------

IMPORT_DATA_DAYS = 90  # an import's file and rows (names, addresses) are kept this long


def member_imports_expire(*, now=None) -> int:
    """Forget the spreadsheets: an import uploaded more than IMPORT_DATA_DAYS ago goes, its
    file and its rows with it (the invitations it sent follow their own rules). Returns
    how many imports went."""
    now = now or timezone.now()
    old = MemberImport.objects.filter(created_at__lt=now - timedelta(days=IMPORT_DATA_DAYS))
    gone = 0
    for member_import in old.iterator():
        stored, storage = member_import.file.name, member_import.file.storage
        with transaction.atomic():
            member_import.delete()
            if stored:
                transaction.on_commit(lambda s=stored, st=storage: st.delete(s))
        gone += 1
    return gone


def import_rows_erase(*, email: str) -> None:
    """A deleted account's address leaves the imports' rows that carry it."""
    if email:
        ImportRow.objects.filter(values__email__iexact=email).delete()
