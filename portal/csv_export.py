"""CSV exports of the public pages: one streaming helper, so every export is read the same way
by a spreadsheet (UTF-8 with BOM for Excel, `;` as the French Excel expects) and is guarded
against formula injection."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils import timezone

# A cell starting with one of these is read as a formula by Excel or LibreOffice (OWASP
# « CSV injection »): it gets a leading apostrophe, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """Stream ``rows`` under ``header``; the file is named ``<filename>-<today>.csv``.

    ``rows`` is consumed lazily, after the view has returned: pass an iterator over a queryset
    (``.iterator(chunk_size=...)``) rather than a list when there may be many rows.
    """
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines():
        yield BOM + writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{day}.csv"'
    return response
