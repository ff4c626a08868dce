"""Geometry input rules: known CRS only, valid WGS84 multipolygons, simplified copies for maps.

A declared CRS is only ever *matched* against KNOWN_CRS and turned into an EPSG integer; the
declared text is never handed to GDAL (GDAL < 3.9 cannot block file or network access from a
malicious spatial reference, Django check gis.W001).
"""

import math

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError

from neighbourhoods.limits import MAX_GEOMETRY_VERTICES

WGS84 = 4326

# Official projections: Lambert-93 for metropolitan France; the overseas departments' own.
PROJECTED = {
    2154: "Lambert-93",
    5490: "RGAF09 / UTM 20N (Guadeloupe, Martinique)",
    2972: "RGFG95 / UTM 22N (Guyane)",
    2975: "RGR92 / UTM 40S (La Réunion)",
    4471: "RGM04 / UTM 38S (Mayotte)",
}


def _names(code: int) -> list[str]:
    return [f"EPSG:{code}", f"urn:ogc:def:crs:EPSG::{code}", f"urn:ogc:def:crs:EPSG:6.6:{code}"]


KNOWN_CRS: dict[str, int] = {
    "urn:ogc:def:crs:OGC:1.3:CRS84": WGS84,
    "urn:ogc:def:crs:OGC::CRS84": WGS84,
    "CRS84": WGS84,
    **dict.fromkeys(_names(WGS84), WGS84),
    **{name: code for code in PROJECTED for name in _names(code)},
}
KNOWN_SRIDS = frozenset(KNOWN_CRS.values())
ACCEPTED_CRS = "WGS84 (CRS84, EPSG:4326), Lambert-93 (EPSG:2154), " + ", ".join(
    f"{label} (EPSG:{code})" for code, label in PROJECTED.items() if code != 2154
)

# Longitude/latitude boxes of France, with a margin: metropolitan France with Corsica, the overseas
# departments and collectivities. A contour, a commune centre or a contract point lies in one.
FRANCE_EXTENTS = (
    ("France métropolitaine et Corse", -6.0, 41.0, 10.0, 51.5),
    ("Antilles (Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy)", -63.5, 14.2, -60.5, 18.5),
    ("Guyane", -55.0, 1.5, -51.0, 6.5),
    ("La Réunion", 54.5, -22.0, 56.5, -20.5),
    ("Mayotte", 44.5, -13.5, 45.5, -12.3),
    ("Saint-Pierre-et-Miquelon", -56.6, 46.7, -56.0, 47.2),
    ("Polynésie française", -155.0, -28.0, -134.0, -7.0),
    ("Nouvelle-Calédonie", 163.0, -23.0, 169.0, -19.0),
    ("Wallis-et-Futuna", -178.5, -14.5, -175.9, -13.0),
)


def in_france(x_min: float, y_min: float, x_max: float, y_max: float) -> bool:
    """Whether a longitude/latitude box lies within one of France's (a point: min = max)."""
    return any(
        x_min >= a and y_min >= b and x_max <= c and y_max <= d for _, a, b, c, d in FRANCE_EXTENTS
    )


# About ten metres at French latitudes: enough for a city-scale web map.
WEB_TOLERANCE = 0.0001


class GeoInputError(ValueError):
    """A geometry or CRS that the portal refuses; the message says why, in French."""


def declared_srid(collection: dict) -> int:
    """The EPSG code of a GeoJSON document: WGS84 when it declares none (RFC 7946)."""
    crs = collection.get("crs")
    if crs is None:
        return WGS84
    properties = crs.get("properties") if isinstance(crs, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    if not isinstance(name, str) or name.strip() not in KNOWN_CRS:
        shown = name if isinstance(name, str) else crs
        raise GeoInputError(
            f"système de coordonnées non pris en charge : {str(shown)[:100]!r} ; "
            f"acceptés : {ACCEPTED_CRS}."
        )
    return KNOWN_CRS[name.strip()]


def srid_error(srid: int | None) -> str | None:
    """Why a SRID is refused, or None: only KNOWN_CRS ever reach GDAL."""
    if srid in KNOWN_SRIDS:
        return None
    return f"système de coordonnées EPSG:{srid} non pris en charge ; acceptés : {ACCEPTED_CRS}."


def vertex_budget_error(count: int) -> str:
    return (
        f"{count} sommets : au plus {MAX_GEOMETRY_VERTICES} par géométrie "
        "(limite MAX_GEOMETRY_VERTICES) ; simplifiez-la avant de l'importer."
    )


def _is_position(point) -> bool:
    return (
        isinstance(point, list)
        and 2 <= len(point) <= 3
        and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in point
        )
    )


def _check_rings(polygons: list) -> None:
    """Checks the GeoJSON structure and the vertex budget before GEOS sees a single point:
    GEOS recurses over vertices and can exhaust the stack on huge contours."""
    if not isinstance(polygons, list):
        raise GeoInputError("les coordonnées doivent être une liste de polygones.")
    vertices = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeoInputError("polygone vide ou mal formé (liste d'anneaux attendue).")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise GeoInputError(
                    "anneau de moins de 4 points : un polygone fermé en compte au moins 4."
                )
            vertices += len(ring)
            if vertices > MAX_GEOMETRY_VERTICES:
                raise GeoInputError(vertex_budget_error(_count_vertices(polygons)))
            bad = next((point for point in ring if not _is_position(point)), None)
            if bad is not None:
                raise GeoInputError(
                    f"position {str(bad)[:60]} : deux ou trois nombres [x, y] attendus."
                )
            if ring[0] != ring[-1]:
                raise GeoInputError(
                    f"anneau non fermé : le premier point {ring[0]} diffère du dernier {ring[-1]}."
                )


def _count_vertices(polygons: list) -> int:
    return sum(
        len(ring)
        for polygon in polygons
        if isinstance(polygon, list)
        for ring in polygon
        if isinstance(ring, list)
    )


def _check_lon_lat(polygons: list) -> None:
    for polygon in polygons:
        for ring in polygon:
            for point in ring:
                lon, lat = point[0], point[1]
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise GeoInputError(
                        f"les coordonnées ({lon}, {lat}) ne sont pas des longitudes/latitudes ; "
                        "le fichier est-il en Lambert-93 sans CRS déclaré ?"
                    )


def _polygonal(geometry: GEOSGeometry) -> MultiPolygon | None:
    if isinstance(geometry, Polygon):
        return MultiPolygon(geometry, srid=geometry.srid)
    if isinstance(geometry, MultiPolygon):
        return geometry
    parts = [part for part in getattr(geometry, "__iter__", lambda: iter(()))() if part.dims == 2]
    polygons = []
    for part in parts:
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part)
    return MultiPolygon(*polygons, srid=geometry.srid) if polygons else None


def multipolygon_from_geojson(
    geometry: dict, srid: int, repairs: list[str] | None = None
) -> MultiPolygon:
    """A valid WGS84 MultiPolygon from a GeoJSON Polygon or MultiPolygon in ``srid``.

    An invalid contour (self-intersection, bow-tie) is repaired; the reason is appended to
    ``repairs`` so that the importer can say what it changed.
    """
    if not isinstance(geometry, dict):
        raise GeoInputError("géométrie absente.")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeoInputError(
            f"type de géométrie {kind!r} : un contour est un Polygon ou un MultiPolygon."
        )
    if not coordinates:
        raise GeoInputError("géométrie vide.")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    _check_rings(polygons)
    if srid == WGS84:
        _check_lon_lat(polygons)
    try:
        shape = MultiPolygon(
            *[
                Polygon(*[[tuple(point[:2]) for point in ring] for ring in polygon])
                for polygon in polygons
            ],
            srid=srid,
        )
    except (GEOSException, TypeError, ValueError) as exc:
        raise GeoInputError(f"coordonnées illisibles ({exc}).") from exc
    if srid != WGS84:
        shape.transform(WGS84)
    if not in_france(*shape.extent):
        raise GeoInputError(
            "le contour tombe hors de la France et de ses territoires d'outre-mer "
            f"(emprise {tuple(round(v, 4) for v in shape.extent)})."
        )
    if not shape.valid:
        repaired = _polygonal(shape.make_valid())
        if repaired is None or repaired.empty:
            raise GeoInputError(f"contour invalide et irréparable ({shape.valid_reason}).")
        if repairs is not None:
            repairs.append(f"contour réparé ({shape.valid_reason})")
        shape = repaired
    if shape.num_coords > MAX_GEOMETRY_VERTICES:  # a repair can add vertices
        raise GeoInputError(vertex_budget_error(shape.num_coords))
    return shape


def simplify_for_web(geometry: MultiPolygon) -> MultiPolygon:
    """A lighter copy for web maps: topology preserved, always a valid, non-empty MultiPolygon.

    Refuses a geometry over MAX_GEOMETRY_VERTICES: GEOS's simplifier recurses per vertex.
    """
    if geometry.num_coords > MAX_GEOMETRY_VERTICES:
        raise GeoInputError(vertex_budget_error(geometry.num_coords))
    simplified = geometry.simplify(WEB_TOLERANCE, preserve_topology=True)
    result = _polygonal(simplified)
    if result is None or result.empty or not result.valid:
        return geometry
    result.srid = geometry.srid
    return result


def validate_lon_lat(geometry: GEOSGeometry) -> None:
    """Model validator: a WGS84 geometry within the vertex budget, with finite longitudes in
    −180…180 and latitudes in −90…90."""
    if geometry is None:
        return
    if geometry.num_coords > MAX_GEOMETRY_VERTICES:
        raise ValidationError(vertex_budget_error(geometry.num_coords), code="too_many_vertices")
    if geometry.empty:
        return
    x_min, y_min, x_max, y_max = geometry.extent
    if not all(map(math.isfinite, (x_min, y_min, x_max, y_max))) or not (
        -180 <= x_min <= x_max <= 180 and -90 <= y_min <= y_max <= 90
    ):
        raise ValidationError(
            f"coordonnées hors des longitudes (−180 à 180) et latitudes (−90 à 90) : "
            f"emprise {tuple(round(v, 4) for v in (x_min, y_min, x_max, y_max))}.",
            code="out_of_range",
        )
