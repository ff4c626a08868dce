"""City contracts list published by ANCT (contrats_de_ville_2024.csv, « Engagements Quartiers 2030»).

The file's ``pop`` column is ANCT's unchecked denominator, not a QPV population: it is not
imported. ``lon``/``lat`` (optional columns, blank for Saint-Martin and Polynesia) give the
contract's point on the maps. A code on several rows is one contract with several carriers (Mayotte, Polynesia):
the EPCI row, or else the first row, is the carrier and the other rows' communes join the
contract; the import says so.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import Point

from contracts.enums import CarrierKind, ContractGeneration
from contracts.models import CityContract, carrier_code_error
from neighbourhoods.importing.points import map_point
from neighbourhoods.importing.readers import read_table
from neighbourhoods.importing.report import ImportReport
from neighbourhoods.importing.sync import sync_links, upsert
from neighbourhoods.models import Commune, Department, Epci

COLUMNS = ("code_cv", "lib_cv", "codgeo_porteur", "type_porteur", "code_departement")
CARRIER_KINDS = {
    "epci": CarrierKind.EPCI,
    "commune": CarrierKind.COMMUNE,
    "ept_ou_autre": CarrierKind.OTHER,
}
CODE = re.compile(r"^C[NV][0-9A-Z]{2,10}$")
# Overseas collectivities (Saint-Martin, Polynesia…) are not departments of the COG.
COLLECTIVITIES = {"975", "977", "978", "986", "987", "988"}


def department_of(row: dict[str, str]) -> str:
    """The department code, or the one a 2024 code carries (CN073… → 73) when it is blank."""
    if row["code_departement"]:
        return row["code_departement"]
    match = re.match(r"^CN(0[0-9][0-9AB]|9[0-9]{2})", row["code_cv"])
    return match.group(1).removeprefix("0") if match else ""


@dataclass
class ContractDraft:
    code: str
    name: str
    carrier_kind: str
    carrier_code: str
    department: str
    line: int
    communes: dict[str, int] = field(default_factory=dict)  # INSEE code → its line
    location: Point | None = None


def map_contract(line: int, row: dict[str, str], report: ImportReport) -> ContractDraft | None:
    """Pure mapper: one row → ContractDraft (name without its « dd - » prefix)."""
    before = len(report.problems)
    if not CODE.match(row["code_cv"]):
        report.problem(line, "code_cv", f"code de contrat invalide : {row['code_cv']!r}.")
    kind = CARRIER_KINDS.get(row["type_porteur"])
    if kind is None:
        report.problem(
            line,
            "type_porteur",
            f"{row['type_porteur']!r} : epci, commune ou ept_ou_autre attendu.",
        )
    if not row["lib_cv"]:
        report.problem(line, "lib_cv", "libellé manquant.")
    reason = carrier_code_error(kind, row["codgeo_porteur"]) if kind else None
    if reason:
        report.problem(line, "codgeo_porteur", reason)
    location = map_point(line, row, "lon", "lat", report)
    if len(report.problems) > before:
        return None
    name = re.sub(r"^\s*([0-9AB]{2,3}|NA)\s+-\s+", "", row["lib_cv"])
    draft = ContractDraft(
        row["code_cv"], name, kind, row["codgeo_porteur"], department_of(row), line
    )
    draft.location = location
    if kind == CarrierKind.COMMUNE:
        draft.communes[row["codgeo_porteur"]] = line
    return draft


def import_city_contracts(path: Path, report: ImportReport) -> None:
    table = read_table(path)
    if not report.check_table(table, COLUMNS):
        return
    drafts: dict[str, ContractDraft] = {}
    for line, row in table.rows:
        draft = map_contract(line, row, report)
        if draft is None:
            report.count("rejected")
            continue
        first = drafts.get(draft.code)
        if first is None:
            drafts[draft.code] = draft
            continue
        if first.department != draft.department:
            report.problem(
                line,
                "code_departement",
                f"{draft.code} : département {first.department} ligne {first.line}, ici {draft.department}.",
            )
            continue
        report.notes.append(
            f"{path.name}:{line}: {draft.code} a plusieurs porteurs ; {draft.name} s'ajoute au contrat."
        )
        if draft.carrier_kind == CarrierKind.EPCI and first.carrier_kind != CarrierKind.EPCI:
            draft.communes = {**first.communes, **draft.communes}
            draft.location = draft.location or first.location
            drafts[draft.code] = draft
        else:
            first.location = first.location or draft.location
            for code, commune_line in draft.communes.items():
                first.communes.setdefault(code, commune_line)

    epcis = dict(Epci.objects.values_list("siren", "pk"))
    communes = dict(Commune.objects.values_list("insee_code", "pk"))
    departments = dict(Department.objects.values_list("code", "pk"))
    for draft in drafts.values():
        if draft.department not in departments and draft.department not in COLLECTIVITIES:
            report.problem(
                draft.line, "code_departement", f"département {draft.department!r} inconnu."
            )
        if draft.carrier_kind == CarrierKind.EPCI and draft.carrier_code not in epcis:
            report.problem(draft.line, "codgeo_porteur", f"EPCI {draft.carrier_code} inconnu.")
        for code, line in draft.communes.items():
            if code not in communes:
                report.problem(line, "codgeo_porteur", f"commune {code} inconnue.")
    if report.problems:
        return

    def values(draft: ContractDraft) -> dict:
        return {
            "name": draft.name,
            "generation": ContractGeneration.G2024,
            "carrier_kind": draft.carrier_kind,
            "carrier_code": draft.carrier_code,
            "carrier_epci_id": epcis.get(draft.carrier_code)
            if draft.carrier_kind == CarrierKind.EPCI
            else None,
            "carrier_commune_id": communes.get(draft.carrier_code)
            if draft.carrier_kind == CarrierKind.COMMUNE
            else None,
            "department_id": departments.get(draft.department),
            "location": draft.location,
        }

    saved = upsert(
        CityContract, "code", {code: values(d) for code, d in drafts.items()}, report
    ).ids
    sync_links(
        CityContract.communes.through,
        "citycontract",
        "commune",
        {saved[code]: [communes[c] for c in d.communes] for code, d in drafts.items()},
    )
