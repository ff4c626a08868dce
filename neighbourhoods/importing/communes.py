"""COG communes with their department, region and EPCI (communes_cog2026_epci.csv)."""

from dataclasses import dataclass
from pathlib import Path

from neighbourhoods.enums import CommuneKind, EpciNature
from neighbourhoods.importing.readers import parse_int, read_table
from neighbourhoods.importing.report import ImportReport
from neighbourhoods.importing.sync import upsert
from neighbourhoods.models import Commune, Department, Epci, Region
from neighbourhoods.validators import insee_code_error, siren_error

COLUMNS = (
    "typecom",
    "code_insee",
    "nom",
    "code_commune_parent",
    "code_departement",
    "nom_departement",
    "code_region",
    "nom_region",
    "siren_epci",
    "nom_epci",
    "nature_epci",
    "population_municipale",
)
# Enum .values is rebuilt on every access: computed once here for 35,000 rows.
COMMUNE_KINDS = frozenset(CommuneKind.values)
EPCI_NATURES = frozenset(EpciNature.values)


@dataclass(frozen=True)
class CommuneRow:
    insee_code: str
    name: str
    kind: str
    parent_code: str
    department: tuple[str, str]
    region: tuple[str, str]
    epci: tuple[str, str, str] | None
    population: int | None


def map_commune(line: int, row: dict[str, str], report: ImportReport) -> CommuneRow | None:
    """Pure mapper: one CSV row → CommuneRow, or problems in the report."""
    before = len(report.problems)
    code = row["code_insee"]
    reason = insee_code_error(code)
    if reason:
        report.problem(line, "code_insee", reason)
    if row["typecom"] not in COMMUNE_KINDS:
        report.problem(line, "typecom", f"type {row['typecom']!r} inconnu (COM ou ARM attendu).")
    if row["typecom"] == CommuneKind.ARRONDISSEMENT and not row["code_commune_parent"]:
        report.problem(line, "code_commune_parent", "un arrondissement a une commune parente.")
    if not row["nom"]:
        report.problem(line, "nom", "nom manquant.")
    for column in ("code_departement", "code_region"):
        if not row[column]:
            report.problem(line, column, "code manquant.")
    epci = None
    if row["siren_epci"]:
        reason = siren_error(row["siren_epci"])
        if reason:
            report.problem(line, "siren_epci", reason)
        if row["nature_epci"] not in EPCI_NATURES:
            report.problem(line, "nature_epci", f"nature d'EPCI inconnue : {row['nature_epci']!r}.")
        epci = (row["siren_epci"], row["nom_epci"], row["nature_epci"])
    population = None
    if row["population_municipale"]:
        try:
            population = parse_int(row["population_municipale"])
            if population < 0:
                raise ValueError("population négative")
        except ValueError as exc:
            report.problem(line, "population_municipale", f"{exc}.")
    if len(report.problems) > before:
        return None
    return CommuneRow(
        insee_code=code,
        name=row["nom"],
        kind=row["typecom"],
        parent_code=row["code_commune_parent"],
        department=(row["code_departement"], row["nom_departement"]),
        region=(row["code_region"], row["nom_region"]),
        epci=epci,
        population=population,
    )


def _agree(seen: dict, key: str, value, line: int, column: str, report: ImportReport) -> None:
    """Rows that repeat a code must repeat the same name."""
    first = seen.setdefault(key, (value, line))
    if first[0] != value:
        report.problem(
            line, column, f"{key} déjà vu ligne {first[1]} avec {first[0]!r}, ici {value!r}."
        )


def import_communes(path: Path, report: ImportReport) -> None:
    table = read_table(path)
    if not report.check_table(table, COLUMNS):
        return
    progress = report.progress()
    rows: dict[str, CommuneRow] = {}
    regions, departments, epcis, lines = {}, {}, {}, {}
    for line, raw in table.rows:
        progress.step()
        mapped = map_commune(line, raw, report)
        if mapped is None:
            report.count("rejected")
            continue
        if mapped.insee_code in rows:
            report.problem(
                line,
                "code_insee",
                f"{mapped.insee_code} en double (ligne {lines[mapped.insee_code]}).",
            )
            continue
        rows[mapped.insee_code] = mapped
        lines[mapped.insee_code] = line
        _agree(regions, mapped.region[0], mapped.region[1], line, "nom_region", report)
        _agree(
            departments,
            mapped.department[0],
            (mapped.department[1], mapped.region[0]),
            line,
            "nom_departement",
            report,
        )
        if mapped.epci:
            _agree(epcis, mapped.epci[0], mapped.epci[1:], line, "nom_epci", report)
    outside = {r.parent_code for r in rows.values() if r.parent_code} - set(rows)
    known_outside = set(
        Commune.objects.filter(insee_code__in=outside).values_list("insee_code", flat=True)
    )
    for code, row in rows.items():
        if row.parent_code and row.parent_code not in rows and row.parent_code not in known_outside:
            report.problem(
                lines[code], "code_commune_parent", f"commune parente {row.parent_code} inconnue."
            )
    if report.problems:
        return

    region_ids = upsert(
        Region, "code", {c: {"name": n} for c, (n, _) in regions.items()}, report
    ).ids
    department_ids = upsert(
        Department,
        "code",
        {c: {"name": n, "region_id": region_ids[r]} for c, ((n, r), _) in departments.items()},
        report,
    ).ids
    epci_ids = upsert(
        Epci, "siren", {s: {"name": n, "nature": k} for s, ((n, k), _) in epcis.items()}, report
    ).ids

    def values(row: CommuneRow) -> dict:
        return {
            "name": row.name,
            "kind": row.kind,
            "department_id": department_ids[row.department[0]],
            "epci_id": epci_ids[row.epci[0]] if row.epci else None,
            "population": row.population,
        }

    # Parents first, so that arrondissements can point to them.
    communes = upsert(
        Commune, "insee_code", {c: values(r) for c, r in rows.items() if not r.parent_code}, report
    ).ids
    parents = dict(communes)
    parents.update(
        Commune.objects.filter(
            insee_code__in={r.parent_code for r in rows.values() if r.parent_code} - set(parents)
        ).values_list("insee_code", "pk")
    )
    upsert(
        Commune,
        "insee_code",
        {
            c: {**values(r), "parent_id": parents[r.parent_code]}
            for c, r in rows.items()
            if r.parent_code
        },
        report,
    )
