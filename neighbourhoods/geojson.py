"""The neighbourhoods' map layer (GeoJSON for Leaflet), built once per geography and zoom tier
and kept in the cache, with its gzipped copy and a strong ETag computed from its content.

Zoom tiers: the contours are simplified more when the map shows more of France. A tier is
chosen from the map's zoom level (``?zoom=``); no zoom gives the finest tier.

=========  ==============  ========================  =========
zoom       tolerance (°)   about                     decimals
=========  ==============  ========================  =========
0–6        0.005           400 m (France, a region)  3
7–9        0.001           80 m (a department)       4
10–12      0.0003          25 m (a city)             5
13+        0.0001          10 m (a neighbourhood)    5
=========  ==============  ========================  =========

A neighbourhood without a contour is still on the map: a Point at its first commune's centre
(lowest INSEE code among its communes that have one), with ``approximate: true``.

Invalidation: the import commands call ``contours_cache_clear()``; saving or deleting a
neighbourhood or a commune anywhere else (the admin) does too (``invalidate_on_change``).
"""

import gzip
import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse

from neighbourhoods.enums import Geography
from neighbourhoods.models import Commune, Neighbourhood

# (highest zoom of the tier, tolerance in degrees, decimals kept)
ZOOM_TIERS = ((6, 0.005, 3), (9, 0.001, 4), (12, 0.0003, 5), (99, 0.0001, 5))
FINEST = len(ZOOM_TIERS) - 1
# A subset (?quartiers=) names at most this many codes: a region's neighbourhoods fit.
MAX_CODES = 400

FRAGMENTS_KEY = "neighbourhoods:contours:{vintage}:{tier}"
DOCUMENT_KEY = "neighbourhoods:contours:{vintage}:{tier}:document"
HEAD = b'{"type":"FeatureCollection","features":['
TAIL = b"]}"


@dataclass(frozen=True)
class Layer:
    body: bytes
    gzipped: bytes
    etag: str  # strong, quoted, of the uncompressed body

    @classmethod
    def of(cls, body: bytes) -> "Layer":
        digest = hashlib.sha256(body).hexdigest()[:32]
        return cls(body, gzip.compress(body, compresslevel=6, mtime=0), f'"{digest}"')


def tier_for(zoom: int | None) -> int:
    if zoom is None:
        return FINEST
    return next(index for index, (highest, _, _) in enumerate(ZOOM_TIERS) if zoom <= highest)


def contours_layer(vintage: int, tier: int = FINEST, codes: list[str] | None = None) -> Layer:
    """The layer of a geography at a zoom tier, or only the features of ``codes`` (all known
    to the geography: see ``unknown_codes``). No query once the geography's tier is cached."""
    if codes is None:
        key = DOCUMENT_KEY.format(vintage=vintage, tier=tier)
        layer = cache.get(key)
        if layer is None:
            fragments = _fragments(vintage, tier)["features"]
            layer = Layer.of(HEAD + b",".join(fragments.values()) + TAIL)
            cache.set(key, layer, timeout=None)
        return layer
    fragments = _fragments(vintage, tier)["features"]
    chosen = [fragments[code] for code in sorted(set(codes)) if code in fragments]
    return Layer.of(HEAD + b",".join(chosen) + TAIL)


def unknown_codes(vintage: int, codes: list[str]) -> list[str]:
    known = _fragments(vintage, FINEST)["codes"]
    return [code for code in codes if code not in known]


def contours_geojson(vintage: int = Geography.G2024) -> bytes:
    """The whole layer of a geography at the finest tier."""
    return contours_layer(vintage).body


def _fragments(vintage: int, tier: int) -> dict:
    key = FRAGMENTS_KEY.format(vintage=vintage, tier=tier)
    fragments = cache.get(key)
    if fragments is None:
        fragments = _build(vintage, tier)
        cache.set(key, fragments, timeout=None)
    return fragments


def _build(vintage: int, tier: int) -> dict:
    """{"codes": every code of the geography, "features": code → serialised Feature}, in two
    queries whatever the number of neighbourhoods."""
    _, tolerance, decimals = ZOOM_TIERS[tier]
    rows = (
        Neighbourhood.objects.of_geography(vintage)
        .order_by("code")
        .values_list("code", "name", "kind", "contour")
    )
    placed = (
        Neighbourhood.communes.through.objects.filter(
            neighbourhood__vintage=vintage,
            neighbourhood__contour__isnull=True,
            commune__centroid__isnull=False,
        )
        .order_by("neighbourhood__code", "commune__insee_code")
        .values_list("neighbourhood__code", "commune__name", "commune__centroid")
    )
    first_centre: dict[str, tuple] = {}
    for code, commune, centre in placed:
        first_centre.setdefault(code, (commune, centre))
    page = reverse("neighbourhood-page", args=["CODE"])
    features: dict[str, bytes] = {}
    codes = set()
    for code, name, kind, contour in rows:
        codes.add(code)
        properties = {
            "code": code,
            "nom": name,
            "type": kind,
            "geographie": vintage,
            "url": page.replace("CODE", code),
        }
        if contour is not None:
            geometry = _polygons(contour, tolerance, decimals)
        elif code in first_centre:
            commune, centre = first_centre[code]
            properties.update(approximate=True, commune=commune)
            geometry = {
                "type": "Point",
                "coordinates": [round(centre.x, decimals), round(centre.y, decimals)],
            }
        else:
            continue
        feature = {"type": "Feature", "id": code, "properties": properties, "geometry": geometry}
        features[code] = json.dumps(feature, ensure_ascii=False, separators=(",", ":")).encode()
    return {"codes": frozenset(codes), "features": features}


def _polygons(contour, tolerance: float, decimals: int) -> dict:
    simplified = contour.simplify(tolerance, preserve_topology=True)
    if simplified.empty or simplified.geom_type not in ("Polygon", "MultiPolygon"):
        simplified = contour
    polygons = [simplified.coords] if simplified.geom_type == "Polygon" else simplified.coords
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [[[round(x, decimals), round(y, decimals)] for x, y, *_ in ring] for ring in polygon]
            for polygon in polygons
        ],
    }


def contours_cache_clear() -> None:
    keys = [
        template.format(vintage=vintage, tier=tier)
        for vintage in Geography.values
        for tier in range(len(ZOOM_TIERS))
        for template in (FRAGMENTS_KEY, DOCUMENT_KEY)
    ]
    cache.delete_many(keys)


def _clear_now_and_on_commit(using: str | None = None) -> None:
    # Now, for this process; after the commit too, so that a request that rebuilt the layer
    # from the old rows while the transaction was open does not keep them in the cache.
    contours_cache_clear()
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return
    # Once per transaction, however many rows it saves (an import saves thousands).
    if not any(callback is contours_cache_clear for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(contours_cache_clear, using=using)


@receiver(post_save, sender=Neighbourhood, dispatch_uid="contours_neighbourhood_saved")
@receiver(post_delete, sender=Neighbourhood, dispatch_uid="contours_neighbourhood_deleted")
@receiver(post_save, sender=Commune, dispatch_uid="contours_commune_saved")
@receiver(post_delete, sender=Commune, dispatch_uid="contours_commune_deleted")
@receiver(
    m2m_changed, sender=Neighbourhood.communes.through, dispatch_uid="contours_communes_changed"
)
def invalidate_on_change(**kwargs) -> None:
    """A contour edited in the admin (or a name, a commune's centre) shows on the next map."""
    _clear_now_and_on_commit(kwargs.get("using"))
