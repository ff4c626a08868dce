"""Read what French publishers produce: CSV (comma or semicolon; UTF-8 with or without BOM, or
Windows-1252), decimal commas, .xlsx spreadsheets and GeoJSON."""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from neighbourhoods.limits import (
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    MAX_XLSX_UNCOMPRESSED_BYTES,
)

SECRET_MARKERS = {"s": "secret", "c": "secret", "nd": "missing", "n.d.": "missing", "": "missing"}


class FileError(ValueError):
    """The file cannot be read (empty, unknown format, broken encoding, over a limit).

    ``line`` and ``column`` say where, for the ``FILE:LINE: column: reason`` report.
    """

    def __init__(self, reason: str, line: int | str = 1, column: str = "fichier"):
        super().__init__(reason)
        self.line = line
        self.column = column


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
                f"le fichier annonce l'UTF-8 (BOM) mais l'octet {exc.start + 3} ne l'est pas.",
                raw.count(b"\n", 0, exc.start + 3) + 1,
            ) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Spreadsheet exports on French Windows machines.
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileError(
            f"encodage inconnu (ni UTF-8 ni Windows-1252, octet {exc.start}).",
            raw.count(b"\n", 0, exc.start) + 1,
        ) from exc


def check_size(path: Path) -> None:
    """Refuses a file beyond MAX_FILE_BYTES before anything is read."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileError(
            f"fichier de {size} octets : au plus {MAX_FILE_BYTES} octets (limite MAX_FILE_BYTES)."
        )


def read_bytes(path: Path) -> bytes:
    check_size(path)
    return path.read_bytes()


def check_cells(line: int, columns: list[str], values: list[str]) -> None:
    """Refuses a NUL character (PostgreSQL cannot store it) or a cell over MAX_FIELD_CHARS."""
    for column, value in zip(columns, values, strict=False):
        if "\x00" in value:
            raise FileError("caractère NUL (octet 0) interdit.", line, column or "-")
        if len(value) > MAX_FIELD_CHARS:
            raise FileError(
                f"cellule de {len(value)} caractères : au plus {MAX_FIELD_CHARS} "
                "(limite MAX_FIELD_CHARS).",
                line,
                column or "-",
            )


def detect_delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


class _Lines:
    """The file's lines for csv.reader, each refused beyond MAX_LINE_CHARS or MAX_COLUMNS
    before csv splits it, so that a giant line never becomes a giant list.

    ``suspect`` is set when a line may hold a cell to check (NUL, long): the caller then checks
    the row's cells, which keeps the common row free of per-cell work.
    """

    def __init__(self, text: str, delimiter: str):
        self.lines = io.StringIO(text, newline="")
        self.delimiter = delimiter
        self.number = 0
        self.suspect = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.number += 1
        check_line(line, self.number, self.delimiter)
        if len(line) > MAX_FIELD_CHARS or "\x00" in line:
            self.suspect = True
        return line


def check_line(line: str, number: int, delimiter: str) -> None:
    if line.count(delimiter) >= MAX_COLUMNS:
        raise FileError(f"plus de {MAX_COLUMNS} colonnes (limite MAX_COLUMNS).", number, "-")
    if len(line) > MAX_LINE_CHARS:
        raise FileError(
            f"ligne de {len(line)} caractères : au plus {MAX_LINE_CHARS} (limite MAX_LINE_CHARS).",
            number,
            "-",
        )


def read_csv(path: Path) -> Table:
    text = decode(read_bytes(path))
    if not text.strip():
        raise FileError("le fichier est vide.")
    header = text[: text.find("\n")] if "\n" in text else text
    delimiter = detect_delimiter(header)
    check_line(header, 1, delimiter)  # before the whole text is copied for csv
    lines = _Lines(text, delimiter)
    reader = csv.reader(lines, delimiter=lines.delimiter)
    try:
        header = next(reader)
        if lines.suspect:
            check_cells(1, header, header)
            lines.suspect = False
        columns = [name.strip() for name in header]
        table = Table(columns, [])
        previous = reader.line_num
        for values in reader:
            # Cells are checked only on rows that may hold a bad one: a suspect line, or a row
            # whose quoted cells run over several lines.
            if lines.suspect or reader.line_num > previous + 1:
                check_cells(reader.line_num, columns, values)
                lines.suspect = False
            previous = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(columns):
                table.ragged.append((reader.line_num, len(values)))
                values = (values + [""] * len(columns))[: len(columns)]
            table.rows.append(
                (reader.line_num, dict(zip(columns, (v.strip() for v in values), strict=True)))
            )
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            # A quoted cell running over many lines, each short enough.
            raise FileError(
                f"cellule de plus de {MAX_FIELD_CHARS} caractères (limite MAX_FIELD_CHARS).",
                lines.number,
                "-",
            ) from exc
        raise FileError(f"CSV illisible ({exc}).", lines.number, "-") from exc
    return table


def check_xlsx_size(path: Path) -> None:
    """Refuses a file over MAX_FILE_BYTES, or that unzips beyond MAX_XLSX_UNCOMPRESSED_BYTES."""
    check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileError(f"classeur XLSX illisible ({exc}).") from exc
    if unzipped > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise FileError(
            f"classeur de {unzipped} octets une fois décompressé : au plus "
            f"{MAX_XLSX_UNCOMPRESSED_BYTES} (limite MAX_XLSX_UNCOMPRESSED_BYTES)."
        )


def _cells(values: tuple) -> list[str]:
    cells = ["" if value is None else str(value).strip() for value in values]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def read_xlsx(path: Path) -> Table:
    check_xlsx_size(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileError(f"classeur XLSX illisible ({exc}).") from exc
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        try:
            columns = _cells(next(lines))
        except StopIteration as exc:
            raise FileError("le classeur est vide.") from exc
        rows = []
        for number, cells in enumerate(chain([columns], map(_cells, lines)), start=1):
            if len(cells) > MAX_COLUMNS:
                raise FileError(
                    f"plus de {MAX_COLUMNS} colonnes (limite MAX_COLUMNS).", number, "-"
                )
            check_cells(number, columns, cells)
            if number == 1:
                continue
            if any(cells):
                cells = (cells + [""] * len(columns))[: len(columns)]
                rows.append((number, dict(zip(columns, cells, strict=True))))
    finally:
        workbook.close()
    return Table(columns, rows)


def read_table(path: Path) -> Table:
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path)
    if path.suffix.lower() in {".csv", ".txt", ".tsv"}:
        return read_csv(path)
    raise FileError(f"format non pris en charge ({path.suffix}) : CSV ou XLSX attendu.")


# A JSON \u0000 escape that is not itself an escaped backslash followed by "u0000".
JSON_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def read_geojson(path: Path) -> dict:
    text = decode(read_bytes(path))
    if not text.strip():
        raise FileError("le fichier est vide.")
    nul = JSON_NUL.search(text)
    if nul:
        line = text.count("\n", 0, nul.start()) + 1
        raise FileError("caractère NUL (\\u0000) interdit.", line, "-")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"GeoJSON illisible : {exc.msg}.", exc.lineno, "-") from exc
    except RecursionError as exc:
        # Python's parser stops near 1,000 levels; a GeoJSON needs fewer than ten.
        raise FileError("GeoJSON imbriqué trop profondément.") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FileError("un GeoJSON de type FeatureCollection est attendu.")
    if not isinstance(document.get("features", []), list):
        raise FileError("« features » doit être une liste d'objets Feature.", 1, "features")
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


def iter_features(document: dict) -> Iterator[tuple[int, dict, dict]]:
    """(number, feature, properties) of each Feature; a malformed one stops the import."""
    for number, feature in enumerate(document.get("features") or [], start=1):
        if not isinstance(feature, dict):
            raise FileError("un objet Feature est attendu.", f"objet {number}", "-")
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise FileError("« properties » doit être un objet.", f"objet {number}", "properties")
        yield number, feature, properties
