"""Form fields and widgets that take geometries typed or drawn by people: bounded, known CRS only."""

import json
import math
import re

from django.contrib.gis import forms
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from leaflet.admin import LeafletAdminWidget

from neighbourhoods.geo import (
    WGS84,
    GeoInputError,
    declared_srid,
    srid_error,
    validate_lon_lat,
    vertex_budget_error,
)
from neighbourhoods.limits import MAX_GEOMETRY_INPUT_CHARS, MAX_GEOMETRY_VERTICES, MAX_JSON_DEPTH
from neighbourhoods.validators import sentence

EWKT_SRID = re.compile(r"\s*SRID=(-?[0-9]{1,12});", re.IGNORECASE)
NOT_A_BRACKET = re.compile(r"[^\[\]{}()]")


def nesting_depth(text: str) -> int:
    """Deepest nesting of brackets (JSON) and parentheses (WKT), without parsing anything."""
    depth = deepest = 0
    for char in NOT_A_BRACKET.sub("", text):
        if char in "[{(":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


INVALID = "Géométrie illisible : WKT, EWKT ou GeoJSON attendu."


def parse_geometry(text: str, srid: int = WGS84) -> GEOSGeometry:
    """A geometry from text typed or posted by a person, or a French ValidationError.

    Before GEOS or GDAL see the text, refuses input over MAX_GEOMETRY_INPUT_CHARS or nested
    beyond MAX_JSON_DEPTH, and any SRID or GeoJSON CRS outside KNOWN_CRS (GDAL would otherwise
    resolve it); then more than MAX_GEOMETRY_VERTICES vertices, empty and non-finite
    coordinates. Text without a SRID is taken in ``srid``.
    """
    if len(text) > MAX_GEOMETRY_INPUT_CHARS:
        raise ValidationError(
            f"Géométrie de {len(text)} caractères : au plus {MAX_GEOMETRY_INPUT_CHARS} "
            "(limite MAX_GEOMETRY_INPUT_CHARS).",
            code="too_long",
        )
    if nesting_depth(text) > MAX_JSON_DEPTH:
        raise ValidationError(
            f"Géométrie imbriquée sur plus de {MAX_JSON_DEPTH} niveaux (limite MAX_JSON_DEPTH).",
            code="too_deep",
        )
    try:
        geometry = _from_geojson(text) if text.lstrip().startswith("{") else _from_wkt(text)
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        raise ValidationError(INVALID, code="invalid_geom") from exc
    if geometry.srid:
        _check_srid(geometry.srid)
    else:
        geometry.srid = srid
    if geometry.num_coords > MAX_GEOMETRY_VERTICES:
        raise ValidationError(
            sentence(vertex_budget_error(geometry.num_coords)), code="too_many_vertices"
        )
    if geometry.empty:  # POINT(nan nan) reads as an empty point
        raise ValidationError("Géométrie vide.", code="empty")
    if not all(map(math.isfinite, geometry.extent)):
        raise ValidationError("Coordonnées non finies (NaN ou infini).", code="not_finite")
    return geometry


def _check_srid(srid: int) -> None:
    reason = srid_error(srid)
    if reason:
        raise ValidationError(sentence(reason), code="unknown_srid")


def _from_wkt(text: str) -> GEOSGeometry:
    """WKT, EWKT, HEXEWKB: parsed by GEOS alone; the SRID is checked before parsing."""
    match = EWKT_SRID.match(text)
    if match:
        _check_srid(int(match.group(1)))
    return GEOSGeometry(text)


def _from_geojson(text: str) -> GEOSGeometry:
    """A GeoJSON geometry: its CRS is matched against KNOWN_CRS and removed before GDAL reads
    the rest, so that GDAL never resolves a CRS taken from input."""
    document = json.loads(text)
    if not isinstance(document, dict):
        raise ValueError("GeoJSON geometry expected")
    srid = None
    if "crs" in document:
        try:
            srid = declared_srid(document)
        except GeoInputError as exc:
            raise ValidationError(sentence(str(exc)), code="unknown_srid") from exc
        document = {key: value for key, value in document.items() if key != "crs"}
    geometry = GEOSGeometry(json.dumps(document))
    if srid is not None:
        geometry.srid = srid
    return geometry


class SafeGeometryField(forms.GeometryField):
    """A geometry form field that answers a French field error, never a 500, to any input
    (see parse_geometry), and refuses coordinates that are not longitudes/latitudes."""

    default_error_messages = {
        "required": "Indiquez une géométrie.",
        "invalid_geom": INVALID,
        "invalid_geom_type": "Type de géométrie incorrect.",
        "transform_error": "La géométrie n'a pas pu être convertie en WGS84.",
    }

    def to_python(self, value):
        if isinstance(value, str) and value not in self.empty_values:
            # Text without a SRID is in the field's own, whatever the widget's map uses.
            value = parse_geometry(value, self.srid or WGS84)
        return super().to_python(value)

    def clean(self, value):
        geometry = super().clean(value)
        if geometry is not None:
            validate_lon_lat(geometry)
        return geometry


class SafeLeafletWidget(LeafletAdminWidget):
    """Redisplays a refused value as an empty map instead of parsing it again unguarded
    (Django's widget re-reads the posted text with GEOS/GDAL when the form has errors)."""

    def deserialize(self, value):
        try:
            return parse_geometry(value, self.map_srid)
        except ValidationError:
            return None
