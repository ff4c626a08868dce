"""Geometry input rules: known CRS only, valid WGS84 multipolygons, simplified copies for maps.

A declared CRS is only ever *matched* against KNOWN_CRS and turned into an EPSG integer; the
declared text is never handed to GDAL (GDAL < 3.9 cannot block file or network access from a
malicious spatial reference, Django check gis.W001).
"""

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon

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

# Longitude/latitude extent of France with its overseas departments, with a margin.
FRANCE_EXTENTS = (
    (-6.0, 41.0, 10.0, 51.5),  # metropolitan France and Corsica
    (-63.5, 15.5, -60.5, 18.5),  # Guadeloupe, Martinique, Saint-Martin
    (-55.0, 1.5, -51.0, 6.5),  # Guyane
    (54.5, -22.0, 56.5, -20.5),  # La Réunion
    (44.5, -13.5, 45.5, -12.3),  # Mayotte
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
    name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
    if not isinstance(name, str) or name.strip() not in KNOWN_CRS:
        accepted = "WGS84 (CRS84, EPSG:4326), Lambert-93 (EPSG:2154), " + ", ".join(
            f"{label} (EPSG:{code})" for code, label in PROJECTED.items() if code != 2154
        )
        raise GeoInputError(
            f"système de coordonnées non pris en charge : {name!r} ; acceptés : {accepted}."
        )
    return KNOWN_CRS[name.strip()]


def _check_rings(polygons: list) -> None:
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeoInputError("polygone vide.")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise GeoInputError(
                    "anneau de moins de 4 points : un polygone fermé en compte au moins 4."
                )
            if ring[0] != ring[-1]:
                raise GeoInputError(
                    f"anneau non fermé : le premier point {ring[0]} diffère du dernier {ring[-1]}."
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


def _in_france(geometry: GEOSGeometry) -> bool:
    x_min, y_min, x_max, y_max = geometry.extent
    return any(
        x_min >= a and y_min >= b and x_max <= c and y_max <= d for a, b, c, d in FRANCE_EXTENTS
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
    if not _in_france(shape):
        raise GeoInputError(
            "le contour tombe hors de la France et de ses départements d'outre-mer "
            f"(emprise {tuple(round(v, 4) for v in shape.extent)})."
        )
    if not shape.valid:
        repaired = _polygonal(shape.make_valid())
        if repaired is None or repaired.empty:
            raise GeoInputError(f"contour invalide et irréparable ({shape.valid_reason}).")
        if repairs is not None:
            repairs.append(f"contour réparé ({shape.valid_reason})")
        shape = repaired
    return shape


def simplify_for_web(geometry: MultiPolygon) -> MultiPolygon:
    """A lighter copy for web maps: topology preserved, always a valid, non-empty MultiPolygon."""
    simplified = geometry.simplify(WEB_TOLERANCE, preserve_topology=True)
    result = _polygonal(simplified)
    if result is None or result.empty or not result.valid:
        return geometry
    result.srid = geometry.srid
    return result
