"""Read what French publishers produce: CSV (comma or semicolon; UTF-8 with or without BOM, or
Windows-1252), decimal commas, .xlsx spreadsheets and GeoJSON."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl

SECRET_MARKERS = {"s": "secret", "c": "secret", "nd": "missing", "n.d.": "missing", "": "missing"}


class FileError(ValueError):
    """The file as a whole cannot be read (empty, unknown format, broken encoding)."""


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, row)


def decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Spreadsheet exports on French Windows machines.
        return raw.decode("cp1252")


def detect_delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_csv(path: Path) -> Table:
    text = decode(path.read_bytes())
    if not text.strip():
        raise FileError("le fichier est vide.")
    header = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(header))
    columns = [name.strip() for name in next(reader)]
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            # Reported by the mapper with its line number; padded so every column exists.
            values = (values + [""] * len(columns))[: len(columns)]
        rows.append((reader.line_num, dict(zip(columns, (v.strip() for v in values), strict=True))))
    return Table(columns, rows)


def read_xlsx(path: Path) -> Table:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
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
            rows.append((number, dict(zip(columns, cells, strict=False))))
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
