"""Reading the spreadsheets people really save: CSV or XLSX, row by row, never all at once.

CSV: UTF-8 with or without a byte-order mark, else the Windows code page of the file's
language (Excel's "CSV" in a Greek, Polish or Serbian/Ukrainian locale: cp1253, cp1250 or
cp1251), chosen by which one decodes and reads like words; the delimiter (`;`, `,` or a
tab) by which one splits the first lines into the same number of columns. XLSX: openpyxl in
read-only mode (streamed, memory bounded); a formula is read as its text, never evaluated;
a title or a group label merged above the real header is folded into the header's names.
Rows with nothing in them (Excel's empty trailing rows) are left out; each row keeps the
number the spreadsheet shows beside it.

Anything else (an old .xls, an OpenDocument file, a PDF, an image) raises `SpreadsheetError`
with a message for people. This module knows nothing of the portal's models."""

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SAMPLE_BYTES = 256 * 1024  # what the encoding and the delimiter are guessed from
HEADER_SEARCH_ROWS = 10  # the header is among the first rows (a title may sit above it)
CODE_PAGES = ("cp1253", "cp1250", "cp1251")  # Greek, Central European (Polish), Cyrillic
DELIMITERS = (";", ",", "\t")
MAX_COLUMNS = 100
MAX_CELL = 1000  # characters kept of a cell; a longer one is cut (and the row's check says so)

csv.field_size_limit(64 * 1024)


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet; the message says why, for people."""


@dataclass
class Sheet:
    """An opened spreadsheet: its kind, how it was read, its header, and its rows as
    (row number, cells) pairs, read as they are iterated."""

    kind: str  # "csv" or "xlsx"
    headers: list[str]
    encoding: str = ""
    delimiter: str = ""
    header_row: int = 1
    _rows: Iterator = field(default=iter(()), repr=False)
    # How far the reading has gone, from 0 to 1 (for a progress bar).
    done: Callable[[], float] = field(default=lambda: 0.0, repr=False)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.headers)
        for number, cells in self._rows:
            cells = [_cell_text(cell) for cell in cells[:MAX_COLUMNS]]
            if not any(cells):
                continue  # an empty row (Excel keeps trailing ones)
            cells = (cells + [""] * width)[: max(width, _last_filled(cells))]
            yield number, cells


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells), 0, -1):
        if cells[index - 1]:
            return index
    return 0


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):  # a date typed in Excel
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    text = str(value).replace("\x00", "").strip()
    return text[:MAX_CELL]


# --- Which kind of file ------------------------------------------------------------------------


def sheet_open(handle) -> Sheet:
    """`handle`: a binary file opened for reading (seekable). Raises `SpreadsheetError`."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if not head:
        raise SpreadsheetError(_("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_open(handle)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _(
                "This is an Excel 97-2003 file (.xls), which cannot be read: save it as Excel "
                "workbook (.xlsx) or as CSV, and upload that."
            )
        )
    if head.startswith(b"%PDF"):
        raise SpreadsheetError(_("This is a PDF, not a spreadsheet: upload a CSV or XLSX file."))
    return _csv_open(handle)


# --- CSV ---------------------------------------------------------------------------------------


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]  # LATIN, GREEK, CYRILLIC...


VOWELS = set("aeiouyąęóáéíúůýàèìòùâêîôûäëïöüăőαεηιουωάέήίόύώϊϋΐΰаеиоуыэюяёіїєў")


def _plausibility(text: str) -> float:
    """How much `text` reads like words of one language: letters in words of one script, in
    a sane case (lower, Capitalised or UPPER), with vowels among them. Text decoded with the
    wrong code page makes words of mixed scripts, capitals inside words, or runs of accented
    letters with no plain ones."""
    good = bad = vowels = letters = 0
    for word in _words(text):
        scripts = {_script(char) for char in word}
        lower = word.lower()
        sane_case = word[1:] == lower[1:] or word == word.upper()
        latin_accents = scripts == {"LATIN"} and sum(
            1 for char in word if ord(char) > 127
        ) * 2 > len(word)
        if len(scripts) > 1 or not sane_case or latin_accents:
            bad += len(word)
        else:
            good += len(word)
        letters += len(word)
        vowels += sum(1 for char in lower if char in VOWELS)
    if not letters:
        return 0.0
    ratio = vowels / letters
    vowel_fit = 1.0 if 0.3 <= ratio <= 0.6 else 0.5
    return (good - 3 * bad) * vowel_fit


def _words(text: str) -> Iterator[str]:
    word: list[str] = []
    for char in text:
        if char.isalpha():
            word.append(char)
        else:
            if len(word) > 1 and any(ord(c) > 127 for c in word):
                yield "".join(word)
            word = []
    if len(word) > 1 and any(ord(c) > 127 for c in word):
        yield "".join(word)


def encoding_guess(sample: bytes) -> str:
    """The encoding of a CSV file from its first bytes (see the module's docstring)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    best, best_score = "", None
    for encoding in CODE_PAGES:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best_score is None or score > best_score:
            best, best_score = encoding, score
    if not best:
        raise SpreadsheetError(
            _(
                "The file's characters could not be read: save it as “CSV UTF-8” or as an "
                "Excel workbook (.xlsx), and upload that."
            )
        )
    return best


def delimiter_guess(lines: list[str]) -> str:
    """`;`, `,` or a tab: the one that splits the first lines into the most columns, the
    same number on each line (a quoted field may hold the others)."""
    best, best_columns = ",", 0
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not widths:
            continue
        header = widths[0]
        consistent = sum(1 for width in widths if width == header) / len(widths)
        if header > 1 and consistent >= 0.8 and header > best_columns:
            best, best_columns = delimiter, header
    return best


def _csv_open(handle) -> Sheet:
    sample = handle.read(SAMPLE_BYTES)
    handle.seek(0)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError(
            _("This file is neither CSV nor an Excel workbook (.xlsx): upload one of those.")
        )
    encoding = encoding_guess(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    lines = text.splitlines()[:20]
    if len(lines) > 1 and len(sample) == SAMPLE_BYTES:
        lines = lines[:-1]  # the last one may be cut short
    delimiter = delimiter_guess(lines)
    stream = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(stream, delimiter=delimiter)

    def numbered():
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as error:
            raise SpreadsheetError(
                _("The CSV file is broken near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from None
        finally:
            if not handle.closed:
                stream.detach()  # the caller's file stays open (the wrapper would close it)

    handle.seek(0, io.SEEK_END)
    size = max(handle.tell(), 1)
    handle.seek(0)

    def done() -> float:
        return 0.0 if handle.closed else min(handle.tell() / size, 1.0)

    rows = numbered()
    headers, header_row, rows = _header_find(rows)
    return Sheet(
        kind="csv",
        headers=headers,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        _rows=rows,
        done=done,
    )


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_open(handle) -> Sheet:
    try:
        names = set(zipfile.ZipFile(handle).namelist())
    except zipfile.BadZipFile:
        raise SpreadsheetError(_("The file is damaged: it could not be opened.")) from None
    handle.seek(0)
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise SpreadsheetError(
                _(
                    "This is an OpenDocument spreadsheet (.ods): save it as Excel workbook "
                    "(.xlsx) or as CSV, and upload that."
                )
            )
        raise SpreadsheetError(
            _("This file is neither CSV nor an Excel workbook (.xlsx): upload one of those.")
        )
    import openpyxl  # noqa: PLC0415 -- heavy, and only an XLSX upload needs it

    try:
        # read_only streams the rows; data_only=False: a formula stays its text, never run.
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise SpreadsheetError(_("The file is damaged: it could not be opened.")) from None
    sheet = workbook.worksheets[0]
    total = max(sheet.max_row or 1, 1)
    seen = {"row": 0}

    def numbered():
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            seen["row"] = number
            yield number, list(values)
        workbook.close()

    headers, header_row, rows = _header_find(numbered())
    return Sheet(
        kind="xlsx",
        headers=headers,
        header_row=header_row,
        _rows=rows,
        done=lambda: min(seen["row"] / total, 1.0),
    )


# --- The header --------------------------------------------------------------------------------


def _header_find(rows: Iterator) -> tuple[list[str], int, Iterator]:
    """The header is the first of the first rows with the most cells filled in; rows above
    it (a title, or group labels over merged cells) are folded into its names: a label
    stands over the columns to its right until the next label. A header cell left empty by a
    merge takes its left neighbour's name with a number."""
    first: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        cells = [_cell_text(cell) for cell in cells[:MAX_COLUMNS]]
        if any(cells):
            first.append((number, cells))
        if len(first) >= HEADER_SEARCH_ROWS:
            break
    if not first:
        raise SpreadsheetError(_("The file holds no rows."))
    counts = [sum(1 for cell in cells if cell) for _number, cells in first]
    index = counts.index(max(counts))
    header_row, header = first[index]
    width = _last_filled(header)
    header = header[:width]
    labels = [""] * width
    for _number, cells in first[:index]:
        if sum(1 for cell in cells if cell) < 2:
            continue  # a title over the table says nothing of its columns
        current = ""
        for column in range(width):
            cell = cells[column] if column < len(cells) else ""
            current = cell or current
            if current:
                labels[column] = f"{labels[column]} {current}".strip()
    names: list[str] = []
    for column, name in enumerate(header):
        if not name:
            name = f"{names[column - 1]} (2)" if column else _("Column %(n)s") % {"n": 1}
        if labels[column] and labels[column].casefold() != name.casefold():
            name = f"{labels[column]}: {name}"
        while name in names:
            name += "*"
        names.append(name)

    def rest():
        yield from first[index + 1 :]
        yield from rows

    return names, header_row, rest()
