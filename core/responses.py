"""Downloads every app offers: CSV streamed line by line and JSON files."""

import csv
import io
import json
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
