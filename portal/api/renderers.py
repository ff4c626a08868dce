"""Output formats of the partner API besides JSON: GeoJSON, CSV and XLSX.

The lists' exports (``?format=csv|xlsx|geojson`` or the matching ``Accept``) follow the current
filters and cover every matching row, not one page: ``portal.api.base`` streams them through the
functions below, reading the rows in chunks so that memory stays flat whatever the count.
"""

import csv
import datetime
import json
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework.renderers import BaseRenderer

GEOJSON_MEDIA_TYPE = "application/geo+json"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ", "
ROWS_PER_WRITE = 200


class ExportRenderer(BaseRenderer):
    """Marks the formats that ``PublicReadViewSet`` streams itself instead of rendering a page;
    ``render`` only serves the single objects and the error fallbacks."""

    streamed = True

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, cls=_Encoder).encode()


class GeoJSONRenderer(ExportRenderer):
    """RFC 7946: WGS84 longitude/latitude, no ``crs`` member."""

    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"
    charset = None


class CSVRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


class XLSXRenderer(ExportRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        if isinstance(o, datetime.date | datetime.datetime):
            return o.isoformat()
        return super().default(o)


def dumps(document) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), cls=_Encoder)


def flatten(data: dict, path: str):
    """The value at a dotted ``path`` of a serialized object: ``region.code``; through a list,
    the values of its items (``communes.code`` → every commune's code)."""
    value = data
    for part in path.split("."):
        if isinstance(value, list):
            value = [item.get(part) if isinstance(item, dict) else None for item in value]
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def property_name(path: str) -> str:
    """The GeoJSON property (and OGR field) name of a column: ``region.code`` → ``region_code``."""
    return path.replace(".", "_")


def _guard(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value) -> str:
    """A value as French spreadsheets read it: decimal comma, oui/non, lists joined; text that
    a spreadsheet would run as a formula is defused with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(value, list):
        return _guard(LIST_SEPARATOR.join(csv_cell(item) for item in value if item is not None))
    if isinstance(value, dict):
        return _guard(dumps(value))
    return _guard(str(value))


class _Line:
    """csv.writer's file: hands back each line it writes."""

    def write(self, line: str) -> str:
        return line


def stream_csv(columns: list[tuple[str, str]], rows: Iterable[dict]) -> Iterator[bytes]:
    """``;``-separated, UTF-8 with BOM (so that Excel reads accents), a French header line, one
    line per row; lines are sent in groups as the rows come."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield (BOM + writer.writerow([header for _, header in columns])).encode()
    buffer = []
    for row in rows:
        buffer.append(writer.writerow([csv_cell(flatten(row, path)) for path, _ in columns]))
        if len(buffer) >= ROWS_PER_WRITE:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _xlsx_value(value):
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(csv_cell(item)) for item in value if item is not None)
    elif isinstance(value, dict):
        value = dumps(value)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def write_xlsx(columns: list[tuple[str, str]], rows: Iterable[dict], title: str):
    """An XLSX workbook in a temporary file (openpyxl's write-only mode keeps rows on disk, not
    in memory), rewound for reading. Text cells are typed as text: a value starting with ``=``
    stays a value, never a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([header for _, header in columns])
    for row in rows:
        cells = []
        for path, _ in columns:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(flatten(row, path)))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    # Handed to FileResponse, which closes it once sent.
    output = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def stream_feature_collection(features: Iterable[dict]) -> Iterator[bytes]:
    """A GeoJSON FeatureCollection written feature by feature."""
    yield b'{"type":"FeatureCollection","features":['
    buffer = []
    first = True
    for feature in features:
        buffer.append(("" if first else ",") + dumps(feature))
        first = False
        if len(buffer) >= ROWS_PER_WRITE:
            yield "".join(buffer).encode()
            buffer = []
    yield ("".join(buffer) + "]}").encode()


def geometry(geom, precision: int = 6) -> dict | None:
    """A GEOS geometry (SRID 4326) as an RFC 7946 geometry, coordinates rounded to ``precision``
    decimals (6: about 10 cm, more than the contours' own accuracy)."""
    if geom is None:
        return None

    def rounded(coords):
        if isinstance(coords[0], float | int):
            return [round(c, precision) for c in coords]
        return [rounded(item) for item in coords]

    return {"type": geom.geom_type, "coordinates": rounded(geom.coords)}
