"""Reading spreadsheets as people save them (members.spreadsheets): Excel's CSV in the
Greek, Polish and Cyrillic code pages with semicolons, a UTF-8 BOM, tabs, empty trailing
rows, XLSX with a merged header and a formula (read as text, never run), and files that
are no spreadsheet at all."""

import io

import openpyxl
import pytest

from members.spreadsheets import SpreadsheetError, sheet_open
from tests.support.spreadsheets import csv_bytes


def _read(data: bytes):
    sheet = sheet_open(io.BytesIO(data))
    return sheet, list(sheet.rows())


@pytest.mark.parametrize(
    ("encoding", "header", "row"),
    [
        ("cp1253", ["Φορέας", "Ονοματεπώνυμο"], ["Δήμος Αθηναίων", "Μαρία Παπαδοπούλου"]),
        ("cp1250", ["Organizacja", "Imię i nazwisko"], ["Urząd Miasta Gdańska", "Łukasz Żółć"]),
        ("cp1251", ["Организација", "Име"], ["Град Панчево", "Јелена Ђорђевић"]),
        ("cp1251", ["Організація", "Ім'я"], ["Громадська ініціатива", "Олена Шевченко"]),
        ("utf-8-sig", ["Organizacija", "Ime"], ["Grad Pančevo", "Miloš Petrović"]),
        ("utf-8", ["Организација", "Име"], ["Град Панчево", "Милош Петровић"]),
    ],
)
def test_excel_csv_in_each_locale_is_read_as_written(encoding, header, row):
    data = csv_bytes([row, row], header, encoding=encoding, delimiter=";")
    sheet, rows = _read(data)
    assert sheet.kind == "csv" and sheet.delimiter == ";"
    assert sheet.encoding == encoding
    assert sheet.headers == header
    assert rows == [(2, row), (3, row)]  # the empty trailing rows are left out


def test_a_utf8_bom_is_not_part_of_the_first_header():
    sheet, rows = _read(
        csv_bytes(
            [["Vouliwatch", "a@example.org"]],
            ["Organisation", "Email"],
            encoding="utf-8-sig",
            delimiter=",",
        )
    )
    assert sheet.headers == ["Organisation", "Email"]
    assert sheet.delimiter == ","
    assert rows == [(2, ["Vouliwatch", "a@example.org"])]


def test_tabs_and_quoted_delimiters():
    data = b'Name\tOrganisation\r\n"Smith; John"\t"A, B and C"\r\n'
    sheet, rows = _read(data)
    assert sheet.delimiter == "\t"
    assert rows == [(2, ["Smith; John", "A, B and C"])]


def _xlsx(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook.active)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_with_merged_group_labels_a_formula_and_empty_trailing_rows():
    def build(sheet):
        sheet["A1"] = "Οργανισμός"
        sheet.merge_cells("A1:B1")
        sheet["C1"] = "Πρόσωπο"
        sheet.merge_cells("C1:D1")
        sheet.append(["Όνομα", "Τομέας", "Όνομα", "Email"])
        sheet.append(["Vouliwatch", "Civil-society organisation", "=1+1", "a@example.gr"])
        sheet.append(["ΚΕΔΕ", "Εθνικός δημόσιος φορέας", "Νίκος", "n@example.gr"])
        sheet["A9"] = None
        sheet["D12"] = ""  # Excel's trailing rows that look empty

    sheet, rows = _read(_xlsx(build))
    assert sheet.kind == "xlsx"
    assert sheet.headers == [
        "Οργανισμός: Όνομα",
        "Οργανισμός: Τομέας",
        "Πρόσωπο: Όνομα",
        "Πρόσωπο: Email",
    ]
    assert sheet.header_row == 2
    assert rows == [
        (3, ["Vouliwatch", "Civil-society organisation", "=1+1", "a@example.gr"]),
        (4, ["ΚΕΔΕ", "Εθνικός δημόσιος φορέας", "Νίκος", "n@example.gr"]),
    ]


def test_xlsx_with_a_title_merged_over_the_table():
    def build(sheet):
        sheet["A1"] = "Members of WeOpenGov, 2026"
        sheet.merge_cells("A1:C1")
        sheet.append(["Organisation", "Name", "Email"])
        sheet.append(["Vouliwatch", "Maria", "m@example.gr"])

    sheet, rows = _read(_xlsx(build))
    assert sheet.headers == ["Organisation", "Name", "Email"]
    assert rows == [(3, ["Vouliwatch", "Maria", "m@example.gr"])]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither CSV nor"),
        (b"PK\x03\x04not really a zip", "damaged"),
    ],
)
def test_what_is_no_spreadsheet_is_refused_with_a_reason(data, message):
    with pytest.raises(SpreadsheetError, match=message):
        sheet_open(io.BytesIO(data))


def test_an_opendocument_spreadsheet_is_refused_with_a_reason():
    import zipfile  # noqa: PLC0415 -- only this test builds a zip

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(SpreadsheetError, match=".ods"):
        sheet_open(io.BytesIO(out.getvalue()))
