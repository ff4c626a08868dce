"""Neighbourhood lists: CSV with one row per neighbourhood × commune, or GeoJSON features.

The CSV may carry each commune's centroid (``commune_centroid_lon``, ``commune_centroid_lat``,
as the shared QPV 2024 file does): it is written to ``Commune.centroid``, where the maps place
the neighbourhoods that have no contour yet.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import MultiPolygon

from neighbourhoods.enums import Geography
from neighbourhoods.geo import (
    GeoInputError,
    declared_srid,
    multipolygon_from_geojson,
    simplify_for_web,
    vertex_budget_error,
)
from neighbourhoods.importing.points import map_point
from neighbourhoods.importing.readers import iter_features, read_geojson, read_table
from neighbourhoods.importing.report import ImportReport
from neighbourhoods.importing.sync import sync_links, upsert
from neighbourhoods.limits import MAX_GEOMETRY_VERTICES
from neighbourhoods.models import Commune, Epci, Neighbourhood

CODE_VINTAGES = {
    Geography.G2015: re.compile(r"^QP(\d{3}|2A\d|2B\d)\d{3}$"),
    Geography.G2024: re.compile(r"^QN(\d{3}|02A|02B)\d{2}[A-Z]$"),
}
CSV_COLUMNS = ("code_qp", "lib_qp", "insee_com")
CENTROID_COLUMNS = ("commune_centroid_lon", "commune_centroid_lat")


@dataclass
class NeighbourhoodDraft:
    code: str
    name: str
    vintage: int
    line: int | str
    # commune code → (line, column) where the file names it, to report an unknown commune there.
    communes: dict[str, tuple[int | str, str]] = field(default_factory=dict)
    epci: str = ""
    straddles_epcis: bool = False
    contour: MultiPolygon | None = None


def vintage_of(code: str) -> int | None:
    for vintage, pattern in CODE_VINTAGES.items():
        if pattern.match(code):
            return vintage
    return None


def add_row(
    drafts: dict[str, NeighbourhoodDraft],
    line: int | str,
    code: str,
    name: str,
    commune: str,
    report: ImportReport,
    *,
    name_column: str = "lib_qp",
    commune_column: str = "insee_com",
) -> NeighbourhoodDraft | None:
    """Pure mapper shared by both forms: one (neighbourhood, commune) pair."""
    vintage = vintage_of(code)
    if vintage is None:
        report.problem(
            line, "code_qp", f"code {code!r} : QPddd0nn (2015) ou QNdddnnX (2024) attendu."
        )
        return None
    if not name:
        report.problem(line, name_column, "nom manquant.")
        return None
    draft = drafts.get(code)
    if draft is None:
        draft = drafts[code] = NeighbourhoodDraft(code, name, vintage, line)
    elif draft.name != name:
        first = f"ligne {draft.line}" if isinstance(draft.line, int) else f"à l'{draft.line}"
        report.problem(line, name_column, f"{code} s'appelle {draft.name!r} {first}, ici {name!r}.")
        return None
    if commune:
        draft.communes.setdefault(commune, (line, commune_column))
    return draft


def read_csv_drafts(
    path: Path, report: ImportReport, centroids: dict[str, tuple] | None = None
) -> dict[str, NeighbourhoodDraft]:
    """The drafts of a CSV; ``centroids`` (when given) receives commune code → (point, line)
    from the centroid columns, if the file has them."""
    table = read_table(path)
    drafts: dict[str, NeighbourhoodDraft] = {}
    if not report.check_table(table, CSV_COLUMNS):
        return drafts
    with_centroids = centroids is not None and any(c in table.columns for c in CENTROID_COLUMNS)
    if with_centroids and not report.require_columns(table.columns, CENTROID_COLUMNS):
        return drafts
    progress = report.progress(every=1000)
    for line, row in table.rows:
        progress.step()
        if not row["insee_com"]:
            report.problem(line, "insee_com", "code commune manquant.")
            continue
        if with_centroids:
            _add_centroid(centroids, line, row, report)
        draft = add_row(drafts, line, row["code_qp"], row["lib_qp"], row["insee_com"], report)
        if draft and row.get("siren_epci"):
            # A neighbourhood straddling two EPCI (Nord, Pas-de-Calais, Val-d'Oise…) keeps the
            # first row's; its communes still carry their own EPCI.
            if not draft.epci:
                draft.epci = row["siren_epci"]
            elif draft.epci != row["siren_epci"]:
                draft.straddles_epcis = True
    return drafts


def _add_centroid(centroids: dict, line: int, row: dict[str, str], report: ImportReport) -> None:
    """A commune repeated on several rows (one per neighbourhood) must repeat its centroid."""
    before = len(report.problems)
    point = map_point(line, row, *CENTROID_COLUMNS, report)
    if len(report.problems) > before:
        return
    first = centroids.setdefault(row["insee_com"], (point, line))
    if first[0] != point:
        shown = "aucun" if first[0] is None else f"({first[0].x}, {first[0].y})"
        report.problem(
            line,
            CENTROID_COLUMNS[0],
            f"commune {row['insee_com']} : centre {shown} ligne {first[1]}, ici un autre.",
        )


def read_geojson_drafts(path: Path, report: ImportReport) -> dict[str, NeighbourhoodDraft]:
    document = read_geojson(path)
    drafts: dict[str, NeighbourhoodDraft] = {}
    try:
        srid = declared_srid(document)
    except GeoInputError as exc:
        report.problem(1, "crs", str(exc))
        return drafts
    for number, feature, properties in iter_features(document):
        code = str(properties.get("code_qp") or "")
        name = str(properties.get("nom_qp") or "")
        commune = str(properties.get("code_commune") or "")
        where = f"objet {number}"
        if not commune:
            report.problem(where, "code_commune", "code commune manquant.")
            continue
        draft = add_row(
            drafts,
            where,
            code,
            name,
            commune,
            report,
            name_column="nom_qp",
            commune_column="code_commune",
        )
        if draft is None:
            continue
        repairs: list[str] = []
        try:
            contour = multipolygon_from_geojson(feature.get("geometry"), srid, repairs)
        except GeoInputError as exc:
            report.problem(where, "geometry", f"{code} : {exc}")
            continue
        report.notes += [f"{path.name}:{where}: {code} : {r}." for r in repairs]
        if draft.contour is None:
            draft.contour = contour
        elif draft.contour.num_coords + contour.num_coords > MAX_GEOMETRY_VERTICES:
            vertices = draft.contour.num_coords + contour.num_coords
            report.problem(where, "geometry", f"{code} : {vertex_budget_error(vertices)}")
        else:
            draft.contour = draft.contour.union(contour)
    return drafts


def import_neighbourhoods(path: Path, report: ImportReport) -> None:
    centroids: dict[str, tuple] = {}
    if path.suffix.lower() in {".geojson", ".json"}:
        drafts = read_geojson_drafts(path, report)
    else:
        drafts = read_csv_drafts(path, report, centroids)
    if not drafts and not report.problems:
        report.problem(1, "-", "aucun quartier dans le fichier.")
    wanted = {code for draft in drafts.values() for code in draft.communes}
    communes = dict(Commune.objects.filter(insee_code__in=wanted).values_list("insee_code", "pk"))
    commune_epcis = dict(
        Commune.objects.filter(insee_code__in=wanted).values_list("insee_code", "epci__siren")
    )
    epcis = dict(Epci.objects.values_list("siren", "pk"))
    for draft in drafts.values():
        for code, (line, column) in draft.communes.items():
            if code not in communes:
                report.problem(
                    line,
                    column,
                    f"{draft.code} : commune {code} inconnue (importez d'abord les communes).",
                )
        if draft.epci and draft.epci not in epcis:
            report.problem(draft.line, "siren_epci", f"{draft.code} : EPCI {draft.epci} inconnu.")
    if report.problems:
        return

    def values(draft: NeighbourhoodDraft) -> dict:
        siren = draft.epci or next(
            (commune_epcis[c] for c in draft.communes if commune_epcis.get(c)), None
        )
        result = {"name": draft.name, "vintage": draft.vintage, "epci_id": epcis.get(siren)}
        if draft.contour is not None:
            contour = (
                draft.contour
                if isinstance(draft.contour, MultiPolygon)
                else MultiPolygon(draft.contour)
            )
            result["contour"] = contour
            result["contour_simplified"] = simplify_for_web(contour)
        return result

    saved = upsert(
        Neighbourhood, "code", {code: values(d) for code, d in drafts.items()}, report
    ).ids
    sync_links(
        Neighbourhood.communes.through,
        "neighbourhood",
        "commune",
        {saved[code]: [communes[c] for c in draft.communes] for code, draft in drafts.items()},
    )
    report.notes.append(
        f"{sum(len(d.communes) > 1 for d in drafts.values())} quartier(s) sur plusieurs communes."
    )
    if centroids:
        moved = upsert(
            Commune, "insee_code", {code: {"centroid": p} for code, (p, _) in centroids.items()}
        ).updated
        # Counted apart: the summary's counts are the neighbourhoods'; the maps' cache still
        # has to go when a centroid moves (ImportCommand).
        report.count("centroids", moved)
        report.notes.append(f"{moved} centre(s) de commune enregistré(s) ou modifié(s).")
    straddling = sum(d.straddles_epcis for d in drafts.values())
    if straddling:
        report.notes.append(
            f"{straddling} quartier(s) sur plusieurs EPCI : l'EPCI de leur première ligne est retenu."
        )
