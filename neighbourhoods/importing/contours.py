"""GeoJSON contours attached to neighbourhoods that already exist, matched on their code."""

from pathlib import Path

from neighbourhoods.geo import (
    GeoInputError,
    declared_srid,
    multipolygon_from_geojson,
    simplify_for_web,
)
from neighbourhoods.importing.readers import iter_features, read_geojson
from neighbourhoods.importing.report import ImportReport
from neighbourhoods.importing.sync import upsert
from neighbourhoods.models import Neighbourhood

CODE_PROPERTIES = ("code_qp", "code_quartier", "code")


def import_contours(path: Path, report: ImportReport) -> None:
    document = read_geojson(path)
    try:
        srid = declared_srid(document)
    except GeoInputError as exc:
        report.problem(1, "crs", str(exc))
        return
    known = set(Neighbourhood.objects.values_list("code", flat=True))
    contours = {}
    for number, feature, properties in iter_features(document):
        where = f"objet {number}"
        code = next((str(properties[p]) for p in CODE_PROPERTIES if properties.get(p)), "")
        if not code:
            report.problem(where, "code_qp", "code du quartier manquant.")
            continue
        if code not in known:
            report.problem(
                where,
                "code_qp",
                f"quartier {code} inconnu : importez d'abord la liste des quartiers.",
            )
            continue
        repairs: list[str] = []
        try:
            contour = multipolygon_from_geojson(feature.get("geometry"), srid, repairs)
        except GeoInputError as exc:
            report.problem(where, "geometry", f"{code} : {exc}")
            continue
        if code in contours:
            report.problem(where, "code_qp", f"{code} a déjà un contour dans ce fichier.")
            continue
        report.notes += [f"{path.name}:{where}: {code} : {r}." for r in repairs]
        contours[code] = contour
    if not contours and not report.problems:
        report.problem(1, "features", "aucun contour dans le fichier.")
    if report.problems:
        return
    upsert(
        Neighbourhood,
        "code",
        {
            code: {"contour": c, "contour_simplified": simplify_for_web(c)}
            for code, c in contours.items()
        },
        report,
    )
