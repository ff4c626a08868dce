"""Read what French publishers produce: CSV (comma or semicolon; UTF-8 with or without BOM, or
Windows-1252), decimal commas, .xlsx spreadsheets and GeoJSON."""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

SECRET_MARKERS = {"s": "secret", "c": "secret", "nd": "missing", "n.d.": "missing", "": "missing"}


class FileError(ValueError):
    """The file as a whole cannot be read (empty, unknown format, broken encoding)."""


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, row)
    # (line, number of fields) of CSV rows whose field count differs from the header's: they
    # are kept, padded or cut, so that their other problems are reported too.
    ragged: list[tuple[int, int]] = field(default_factory=list)


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileError(
                f"le fichier annonce l'UTF-8 (BOM) mais l'octet {exc.start + 3} ne l'est pas."
            ) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Spreadsheet exports on French Windows machines.
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileError(f"encodage inconnu (ni UTF-8 ni Windows-1252, octet {exc.start}).") from exc


def detect_delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_csv(path: Path) -> Table:
    text = decode(path.read_bytes())
    if not text.strip():
        raise FileError("le fichier est vide.")
    header = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(header))
    try:
        columns = [name.strip() for name in next(reader)]
        table = Table(columns, [])
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(columns):
                table.ragged.append((reader.line_num, len(values)))
                values = (values + [""] * len(columns))[: len(columns)]
            table.rows.append(
                (reader.line_num, dict(zip(columns, (v.strip() for v in values), strict=True)))
            )
    except csv.Error as exc:
        raise FileError(f"CSV illisible ligne {reader.line_num} : {exc}.") from exc
    return table


def read_xlsx(path: Path) -> Table:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileError(f"classeur XLSX illisible ({exc}).") from exc
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        columns = [str(value).strip() if value is not None else "" for value in next(lines)]
    except StopIteration as exc:
        raise FileError("le classeur est vide.") from exc
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = ["" if value is None else str(value).strip() for value in values]
        if any(cells):
            cells = (cells + [""] * len(columns))[: len(columns)]
            rows.append((number, dict(zip(columns, cells, strict=True))))
    workbook.close()
    return Table(columns, rows)


def read_table(path: Path) -> Table:
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path)
    if path.suffix.lower() in {".csv", ".txt", ".tsv"}:
        return read_csv(path)
    raise FileError(f"format non pris en charge ({path.suffix}) : CSV ou XLSX attendu.")


def read_geojson(path: Path) -> dict:
    text = decode(path.read_bytes())
    if not text.strip():
        raise FileError("le fichier est vide.")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"GeoJSON illisible, ligne {exc.lineno} : {exc.msg}.") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FileError("un GeoJSON de type FeatureCollection est attendu.")
    return document


def parse_decimal(text: str) -> Decimal:
    """French or English decimal: « 12,5 », « 12.5 », « 1 234,5 » (spaces as thousands)."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"nombre illisible : {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"nombre illisible : {text!r}")
    return value


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(f"entier attendu : {text!r}")
    return int(value)


def iter_features(document: dict) -> Iterator[tuple[int, dict]]:
    yield from enumerate(document.get("features") or [], start=1)
