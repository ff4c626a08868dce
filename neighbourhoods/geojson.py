"""GeoJSON of the simplified contours for web maps, built once and kept in the cache."""

import json

from django.core.cache import cache

from neighbourhoods.enums import Geography
from neighbourhoods.models import Neighbourhood

CACHE_KEY = "neighbourhoods:contours:{vintage}"


def contours_geojson(vintage: int = Geography.G2024) -> bytes:
    key = CACHE_KEY.format(vintage=vintage)
    document = cache.get(key)
    if document is None:
        document = _build(vintage)
        cache.set(key, document, timeout=None)
    return document


def _build(vintage: int) -> bytes:
    rows = (
        Neighbourhood.objects.of_geography(vintage)
        .exclude(contour_simplified__isnull=True)
        .order_by("code")
        .values_list("code", "name", "kind", "vintage", "contour_simplified")
    )
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "nom": name, "type": kind, "geographie": year},
            "geometry": json.loads(contour.geojson),
        }
        for code, name, kind, year, contour in rows
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def contours_cache_clear() -> None:
    cache.delete_many([CACHE_KEY.format(vintage=vintage) for vintage in Geography.values])
