"""Downloads every app offers: CSV streamed line by line and JSON files."""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse


def _safe(value):
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(
    columns: list[str], records: Iterable[dict], *, header: list[str] | None = None
) -> Iterator[str]:
    """CSV line by line, for a StreamingHttpResponse: nothing is built in memory. The first
    line is `header` (for people: translated) or else the column names (for programs)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header or columns)  # a BOM: spreadsheets read UTF-8
    for record in records:
        yield writer.writerow([_safe(record[column]) for column in columns])


def csv_text(columns: list[str], records: Iterable[dict]) -> str:
    buffer = io.StringIO()
    for line in csv_lines(columns, records):
        buffer.write(line)
    return buffer.getvalue()


def csv_download(
    columns: list[str], records: Iterable[dict], filename: str, *, header: list[str] | None = None
):
    """A CSV file streamed as it is written."""
    return streamed_csv(csv_lines(columns, records, header=header), filename)


def streamed_csv(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    """CSV lines (from `csv_lines`) as a file streamed as they come."""
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_download(data, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_download(
    columns: list[str],
    records: Iterable[dict],
    filename: str,
    *,
    header: list[str] | None = None,
    title: str = "",
) -> HttpResponse:
    """An Excel workbook (.xlsx) of one sheet, written row by row (openpyxl's write-only
    mode, spooled to a temporary file past a few MB, then sent as its bytes: an answer that
    held the file open left it to the garbage collector when nobody read it): the first
    row is `header` (or the column names), then one row per record. A text that a
    spreadsheet would run as a formula is neutralised as in the CSV."""
    import openpyxl  # noqa: PLC0415 -- heavy, and only an XLSX download needs it

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Sheet")[:31])
    sheet.append(header or columns)
    for record in records:
        sheet.append([_xlsx_cell(record[column]) for column in columns])
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        workbook.save(out)
        out.seek(0)
        content = out.read()  # compressed: a few hundred kB for thousands of rows
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value):
    if isinstance(value, str):
        # Control characters are not allowed in the file's XML.
        value = "".join(char for char in value if char >= " " or char in "\t\n")
    return _safe(value)
