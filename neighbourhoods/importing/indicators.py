"""Wide indicator tables: one row per neighbourhood, one column per indicator."""

from decimal import Decimal
from pathlib import Path

from neighbourhoods.api_feed import touch_neighbourhoods
from neighbourhoods.enums import IndicatorUnit, ValueStatus
from neighbourhoods.importing.readers import SECRET_MARKERS, parse_decimal, read_table
from neighbourhoods.importing.report import ImportReport
from neighbourhoods.importing.sync import upsert
from neighbourhoods.indicators import CATALOGUE, IDENTITY_COLUMNS
from neighbourhoods.models import Indicator, IndicatorValue, Neighbourhood

STORED_PRECISION = Decimal("0.0001")


def map_value(code: str, raw: str) -> tuple[str, Decimal | None]:
    """Pure mapper: a cell → (status, value). Secret and missing are never zero.

    ``s`` and ``c`` (secret statistique, confidential) → secret; empty, ``nd`` → missing.
    Raises ValueError with the reason for anything else that is not a valid number.
    """
    marker = raw.strip().lower()
    if marker in SECRET_MARKERS:
        return SECRET_MARKERS[marker], None
    # Stored with 4 decimals: rounding here keeps float artefacts (1.7000000000000002) from
    # looking like a change on every re-run.
    value = parse_decimal(raw).quantize(STORED_PRECISION)
    if CATALOGUE[code].unit == IndicatorUnit.PERCENT and not 0 <= value <= 100:
        raise ValueError(f"pourcentage hors de 0–100 : {raw}")
    if CATALOGUE[code].unit in (IndicatorUnit.COUNT, IndicatorUnit.EURO) and value < 0:
        raise ValueError(f"valeur négative : {raw}")
    return ValueStatus.AVAILABLE, value


def import_indicators(path: Path, report: ImportReport) -> None:
    table = read_table(path)
    if not report.check_table(table, ("code_qp",)):
        return
    indicator_columns = [c for c in table.columns if c not in IDENTITY_COLUMNS]
    for column in indicator_columns:
        if column not in CATALOGUE:
            report.problem(
                1,
                column,
                "indicateur inconnu : ajoutez son libellé, son unité et sa source à neighbourhoods/indicators.py.",
            )
    if report.problems:
        return
    neighbourhoods = dict(Neighbourhood.objects.values_list("code", "pk"))
    cells: dict[tuple[str, str], tuple[str, Decimal | None]] = {}
    seen: dict[str, int] = {}
    for line, row in table.rows:
        code = row["code_qp"]
        if code not in neighbourhoods:
            report.problem(line, "code_qp", f"quartier {code!r} inconnu.")
            report.count("rejected")
            continue
        if code in seen:
            report.problem(line, "code_qp", f"{code} déjà présent ligne {seen[code]}.")
            continue
        seen[code] = line
        for column in indicator_columns:
            try:
                cells[(code, column)] = map_value(column, row[column])
            except ValueError as exc:
                report.problem(line, column, f"{exc}.")
    if report.problems:
        return
    indicators = upsert(
        Indicator,
        "code",
        {
            code: {"label": s.label, "unit": s.unit, "source": s.source, "vintage": s.vintage}
            for code, s in CATALOGUE.items()
            if code in indicator_columns
        },
    ).ids
    existing = {
        (v.neighbourhood_id, v.indicator_id, v.year): v
        for v in IndicatorValue.objects.filter(indicator__code__in=indicator_columns)
    }
    to_create, to_update, unchanged = [], [], 0
    for (code, column), (status, value) in cells.items():
        key = (neighbourhoods[code], indicators[column], int(CATALOGUE[column].vintage))
        current = existing.get(key)
        if current is None:
            to_create.append(
                IndicatorValue(
                    neighbourhood_id=key[0],
                    indicator_id=key[1],
                    year=key[2],
                    status=status,
                    value=value,
                )
            )
        elif current.status != status or current.value != value:
            current.status, current.value = status, value
            to_update.append(current)
        else:
            unchanged += 1
    IndicatorValue.objects.bulk_create(to_create, batch_size=2000)
    IndicatorValue.objects.bulk_update(to_update, ["status", "value"], batch_size=2000)
    # Bulk writes send no signal: the neighbourhoods' change date moves here (API change feed).
    touch_neighbourhoods({v.neighbourhood_id for v in to_create + to_update})
    report.count("created", len(to_create))
    report.count("updated", len(to_update))
    report.count("unchanged", unchanged)
    secret = sum(status == ValueStatus.SECRET for status, _ in cells.values())
    missing = sum(status == ValueStatus.MISSING for status, _ in cells.values())
    report.notes.append(
        f"{len(seen)} quartier(s), {len(cells)} valeur(s) dont {secret} secrète(s) et {missing} manquante(s)."
    )
