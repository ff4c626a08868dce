"""The nightly open-data dump: every published row, zipped, with a data package describing it.

``export_open_data`` (management command) writes ``export.zip`` in ``OPEN_DATA_DIR``: CSV
(``;``, UTF-8, no BOM), JSON and GeoJSON files, the health schemes following the published
Table Schema (``fixtures/schema/dispositifs-sante.schema.json``), and ``datapackage.json``
(Frictionless Data Package). Rows are streamed from the database (``.iterator()``) into the
zip entries, so memory stays flat whatever the number of rows; the zip is built beside the
previous one and renamed over it only once complete, so a failure leaves the previous dump.

Nothing private is exported: people appear nowhere (schemes, structures and contracts name
organisations only), mediator posts are left out, draft content of health sections too (the
contracts carry the version the ARS approved).
"""

import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import JSONField, OuterRef, Subquery

from contracts.enums import ReviewStatus
from contracts.models import CityContract, HealthSection, Review
from devices.models import HealthStructure, Scheme
from neighbourhoods.models import IndicatorValue, Neighbourhood

SCHEMA_NAME = "dispositifs-sante.schema.json"
SCHEMA_PATH = Path(settings.BASE_DIR) / "fixtures" / "schema" / SCHEMA_NAME
ZIP_NAME = "export.zip"
CHUNK = 500
DELIMITER = ";"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


def export_dir() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def export_path() -> Path:
    return export_dir() / ZIP_NAME


def scheme_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# Values as text ------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return _text(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _joined(values: Iterable[str]) -> str:
    return "|".join(sorted(values))


# Rows ----------------------------------------------------------------------------------------


def scheme_rows() -> Iterator[dict]:
    """Published schemes, one dict per row, keys in the Table Schema's order."""
    schemes = (
        Scheme.objects.published()
        .select_related("carrier", "reference_hospital")
        .prefetch_related("epcis", "communes", "neighbourhoods", "thematics")
        .order_by("pk")
    )
    for scheme in schemes.iterator(chunk_size=CHUNK):
        yield {
            "uid": str(scheme.uid),
            "type": scheme.kind,
            "nom": scheme.name,
            "statut": scheme.status,
            "description": scheme.description,
            "porteur_nom": scheme.carrier.name,
            "porteur_siren": scheme.carrier.siren,
            "date_debut": scheme.start_date,
            "date_fin": scheme.end_date,
            "date_signature": scheme.signed_on,
            "annee_creation": scheme.start_year,
            "epci_siren": _joined(e.siren for e in scheme.epcis.all()),
            "communes_insee": _joined(c.insee_code for c in scheme.communes.all()),
            "quartiers": _joined(n.code for n in scheme.neighbourhoods.all()),
            "thematiques": _joined(t.code for t in scheme.thematics.all()),
            "participation_habitants": scheme.participation_level,
            "etape": scheme.stage,
            "generation_cls": scheme.generation,
            "etablissement_reference": scheme.reference_hospital.name
            if scheme.reference_hospital_id
            else "",
            "etp_coordination": scheme.coordination_fte,
            "valeur_illustrative": scheme.illustrative,
            "date_modification": scheme.updated_at,
        }


STRUCTURE_FIELDS = (
    "uid",
    "type",
    "nom",
    "commune_insee",
    "commune",
    "adresse",
    "porteur",
    "medecins",
    "paramedicaux",
    "professionnels",
    "population_desservie",
    "cout_projet",
    "surface_m2",
    "ouverture",
    "longitude",
    "latitude",
    "date_modification",
)


def structure_rows() -> Iterator[tuple[dict, dict | None]]:
    """Published health structures and their point (GeoJSON geometry or None)."""
    structures = (
        HealthStructure.objects.published().select_related("commune", "carrier").order_by("pk")
    )
    for s in structures.iterator(chunk_size=CHUNK):
        point = s.location
        yield (
            {
                "uid": str(s.uid),
                "type": s.kind,
                "nom": s.name,
                "commune_insee": s.commune.insee_code,
                "commune": s.commune.name,
                "adresse": s.address,
                "porteur": s.carrier.name if s.carrier_id else "",
                "medecins": s.doctors,
                "paramedicaux": s.paramedics,
                "professionnels": s.professionals,
                "population_desservie": s.population_served,
                "cout_projet": s.project_cost,
                "surface_m2": s.floor_area,
                "ouverture": s.opened_on,
                "longitude": round(point.x, 6) if point else None,
                "latitude": round(point.y, 6) if point else None,
                "date_modification": s.updated_at,
            },
            {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]}
            if point
            else None,
        )


NEIGHBOURHOOD_FIELDS = (
    "code",
    "nom",
    "geographie",
    "epci_siren",
    "communes_insee",
    "population",
    "renouvellement_urbain",
    "date_modification",
)


def neighbourhood_rows() -> Iterator[tuple[dict, str | None]]:
    """Priority neighbourhoods (public reference) and their simplified contour as GeoJSON text."""
    neighbourhoods = (
        Neighbourhood.objects.select_related("epci").prefetch_related("communes").order_by("code")
    )
    for n in neighbourhoods.iterator(chunk_size=CHUNK):
        contour = n.contour_simplified or n.contour
        yield (
            {
                "code": n.code,
                "nom": n.name,
                "geographie": n.vintage,
                "epci_siren": n.epci.siren if n.epci_id else "",
                "communes_insee": _joined(c.insee_code for c in n.communes.all()),
                "population": n.population,
                "renouvellement_urbain": n.in_renewal_programme,
                "date_modification": n.updated_at,
            },
            contour.geojson if contour else None,
        )


INDICATOR_FIELDS = ("quartier", "indicateur", "libelle", "unite", "annee", "valeur", "statut")


def indicator_rows() -> Iterator[dict]:
    """INSEE indicators of the neighbourhoods; a secret or missing value stays empty, with its
    status (never zero)."""
    values = IndicatorValue.objects.select_related("neighbourhood", "indicator").order_by(
        "neighbourhood__code", "indicator__code", "year"
    )
    for v in values.iterator(chunk_size=CHUNK):
        yield {
            "quartier": v.neighbourhood.code,
            "indicateur": v.indicator.code,
            "libelle": v.indicator.label,
            "unite": v.indicator.unit,
            "annee": v.year,
            "valeur": v.value,
            "statut": v.status,
        }


CONTRACT_FIELDS = (
    "code",
    "nom",
    "generation",
    "porteur_code",
    "departement",
    "date_signature",
    "quartiers",
    "volet_sante_publie",
    "date_modification",
)


def contract_rows() -> Iterator[tuple[dict, dict | None]]:
    """City contracts (public reference) and, when the ARS approved it, their health section
    as approved (the last approved round's snapshot, never the draft)."""
    approved = (
        Review.objects.filter(section=OuterRef("pk"), status=ReviewStatus.APPROVED)
        .order_by("-number")
        .values("snapshot")[:1]
    )
    sections = HealthSection.objects.published().annotate(
        approved_snapshot=Subquery(approved, output_field=JSONField())
    )
    published = Subquery(
        sections.filter(contract=OuterRef("pk")).values("approved_snapshot")[:1],
        output_field=JSONField(),
    )
    contracts = (
        CityContract.objects.select_related("department")
        .prefetch_related("neighbourhoods")
        .annotate(published_section=published)
        .order_by("code")
    )
    for c in contracts.iterator(chunk_size=CHUNK):
        snapshot = c.published_section
        if isinstance(snapshot, str):  # some backends hand JSON subqueries back as text
            snapshot = json.loads(snapshot)
        yield (
            {
                "code": c.code,
                "nom": c.name,
                "generation": c.generation,
                "porteur_code": c.carrier_code,
                "departement": c.department.code if c.department_id else "",
                "date_signature": c.signed_on,
                "quartiers": _joined(n.code for n in c.neighbourhoods.all()),
                "volet_sante_publie": snapshot is not None,
                "date_modification": c.updated_at,
            },
            snapshot,
        )


# Writers -------------------------------------------------------------------------------------


@dataclass
class Written:
    path: str
    rows: int


def _write_csv(archive: zipfile.ZipFile, name: str, fields, rows: Iterable[dict]) -> Written:
    count = 0
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow([_text(row[field]) for field in fields])
            count += 1
    return Written(name, count)


def _write_json_array(archive: zipfile.ZipFile, name: str, items: Iterable[dict]) -> Written:
    count = 0
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        out.write("[")
        for item in items:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(item, ensure_ascii=False, default=_json_default))
            count += 1
        out.write("\n]\n")
    return Written(name, count)


def _write_geojson(
    archive: zipfile.ZipFile, name: str, features: Iterable[tuple[dict, str | dict | None]]
) -> Written:
    count = 0
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        for properties, geometry in features:
            geometry_text = (
                "null"
                if geometry is None
                else geometry
                if isinstance(geometry, str)
                else json.dumps(geometry)
            )
            props = json.dumps(properties, ensure_ascii=False, default=_json_default)
            out.write(",\n" if count else "\n")
            out.write(f'{{"type": "Feature", "properties": {props}, "geometry": {geometry_text}}}')
            count += 1
        out.write("\n]}\n")
    return Written(name, count)


def _fields(names, types: dict | None = None) -> list[dict]:
    types = types or {}
    return [{"name": name, "type": types.get(name, "string")} for name in names]


def build_archive(target) -> dict:
    """Writes the whole dump into ``target`` (a binary file) and returns the data package."""
    created = datetime.now(UTC).replace(microsecond=0)
    schema = scheme_schema()
    scheme_fields = [field["name"] for field in schema["fields"]]
    resources = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SCHEMA_NAME, SCHEMA_PATH.read_bytes())

        # Schemes: CSV per the Table Schema, and the same rows as JSON.
        written = _write_csv(archive, "dispositifs-sante.csv", scheme_fields, scheme_rows())
        resources.append(
            _csv_resource(
                "dispositifs-sante",
                written,
                "Dispositifs territoriaux de santé publiés (CLS, CTS, ASV, CLSM, ARMS).",
                SCHEMA_NAME,
            )
        )
        written = _write_json_array(archive, "dispositifs-sante.json", scheme_rows())
        resources.append(
            _json_resource("dispositifs-sante-json", written, "Mêmes lignes, en JSON.")
        )

        # Health structures: CSV and GeoJSON points.
        written = _write_csv(
            archive,
            "structures-sante.csv",
            STRUCTURE_FIELDS,
            (row for row, _ in structure_rows()),
        )
        resources.append(
            _csv_resource(
                "structures-sante",
                written,
                "Structures de santé publiées (MSP, pôles et centres de santé, PASS).",
                {
                    "fields": _fields(
                        STRUCTURE_FIELDS,
                        {
                            "medecins": "integer",
                            "paramedicaux": "integer",
                            "professionnels": "integer",
                            "population_desservie": "integer",
                            "cout_projet": "number",
                            "surface_m2": "integer",
                            "ouverture": "date",
                            "longitude": "number",
                            "latitude": "number",
                            "date_modification": "datetime",
                        },
                    ),
                    "primaryKey": "uid",
                },
            )
        )
        written = _write_geojson(archive, "structures-sante.geojson", structure_rows())
        resources.append(
            _geojson_resource("structures-sante-geojson", written, "Structures de santé (points).")
        )

        # Neighbourhoods: CSV, contours as GeoJSON, indicators as CSV.
        written = _write_csv(
            archive,
            "quartiers.csv",
            NEIGHBOURHOOD_FIELDS,
            (row for row, _ in neighbourhood_rows()),
        )
        resources.append(
            _csv_resource(
                "quartiers",
                written,
                "Quartiers prioritaires de la politique de la ville (QPV), géographies 2015 et 2024.",
                {
                    "fields": _fields(
                        NEIGHBOURHOOD_FIELDS,
                        {
                            "geographie": "integer",
                            "population": "integer",
                            "renouvellement_urbain": "boolean",
                            "date_modification": "datetime",
                        },
                    ),
                    "primaryKey": "code",
                },
            )
        )
        written = _write_geojson(archive, "quartiers.geojson", neighbourhood_rows())
        resources.append(
            _geojson_resource(
                "quartiers-geojson", written, "Contours simplifiés des quartiers (WGS84)."
            )
        )
        written = _write_csv(
            archive, "quartiers-indicateurs.csv", INDICATOR_FIELDS, indicator_rows()
        )
        resources.append(
            _csv_resource(
                "quartiers-indicateurs",
                written,
                "Indicateurs INSEE des quartiers ; une valeur secrète ou manquante est vide "
                "(voir « statut »), jamais zéro.",
                {
                    "fields": _fields(INDICATOR_FIELDS, {"annee": "integer", "valeur": "number"}),
                },
            )
        )

        # City contracts: CSV, and JSON with the approved health section.
        written = _write_csv(
            archive, "contrats-de-ville.csv", CONTRACT_FIELDS, (row for row, _ in contract_rows())
        )
        resources.append(
            _csv_resource(
                "contrats-de-ville",
                written,
                "Contrats de ville ; « volet_sante_publie » indique un volet santé validé par l'ARS.",
                {
                    "fields": _fields(
                        CONTRACT_FIELDS,
                        {
                            "date_signature": "date",
                            "volet_sante_publie": "boolean",
                            "date_modification": "datetime",
                        },
                    ),
                    "primaryKey": "code",
                },
            )
        )
        written = _write_json_array(
            archive,
            "contrats-de-ville.json",
            ({**row, "volet_sante": snapshot} for row, snapshot in contract_rows()),
        )
        resources.append(
            _json_resource(
                "contrats-de-ville-json",
                written,
                "Contrats de ville avec leur volet santé tel que validé par l'ARS (arborescence "
                "orientations → objectifs → actions), null s'il n'est pas publié.",
            )
        )

        package = {
            "name": "volets-sante-contrats-de-ville",
            "title": "Volets santé des contrats de ville : données publiées",
            "description": "Export complet des données publiées du portail, régénéré chaque nuit.",
            "created": _text(created),
            "licenses": [LICENCE],
            "resources": resources,
        }
        archive.writestr(
            "datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n"
        )
    return package


def _csv_resource(name: str, written: Written, description: str, schema) -> dict:
    return {
        "name": name,
        "path": written.path,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": DELIMITER, "header": True},
        "schema": schema,
        "licenses": [LICENCE],
        "rows": written.rows,
    }


def _json_resource(name: str, written: Written, description: str) -> dict:
    return {
        "name": name,
        "path": written.path,
        "description": description,
        "format": "json",
        "mediatype": "application/json",
        "encoding": "utf-8",
        "count": written.rows,
    }


def _geojson_resource(name: str, written: Written, description: str) -> dict:
    return {
        "name": name,
        "path": written.path,
        "description": description,
        "format": "geojson",
        "mediatype": "application/geo+json",
        "encoding": "utf-8",
        "count": written.rows,
    }


def export_open_data(directory: Path | None = None) -> tuple[Path, dict]:
    """Builds the dump beside the previous one and renames it over it once complete: readers
    get the previous zip or the new one, never half of one."""
    directory = Path(directory or export_dir())
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=".zip.tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as target:
            package = build_archive(target)
            target.flush()
            os.fsync(target.fileno())
        os.chmod(temporary, 0o644)
        final = directory / ZIP_NAME
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return final, package


@dataclass
class DumpInfo:
    path: Path
    size: int
    created: str
    resources: list[dict]


def dump_info() -> DumpInfo | None:
    """What the download page shows (date, size, files), read from the zip; None when no dump
    was generated yet."""
    path = export_path()
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            package = json.loads(archive.read("datapackage.json"))
    except (FileNotFoundError, KeyError, zipfile.BadZipFile, ValueError):
        return None
    return DumpInfo(path, size, package.get("created", ""), package.get("resources", []))
