"""The neighbourhoods' map layer and their list (the map's table alternative)."""

import re

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from neighbourhoods.enums import Geography
from neighbourhoods.geojson import MAX_CODES, contours_layer, tier_for, unknown_codes
from neighbourhoods.lists import neighbourhood_list  # noqa: F401 (routed from here)
from portal.http import accepts_gzip

CODE = re.compile(r"^[A-Z0-9]{1,10}$")
MAX_ZOOM = 22


class LayerRequestError(ValueError):
    """A query string the layer refuses; the message says why, in French."""


def layer_request(query) -> tuple[int, int, list[str] | None]:
    """(geography, zoom tier, codes or None) from ?geographie=, ?zoom=, ?quartiers=."""
    raw_geography = query.get("geographie")
    raw_codes = query.get("quartiers")
    codes = None
    if raw_codes is not None:
        codes = list(dict.fromkeys(c.strip().upper() for c in raw_codes.split(",") if c.strip()))
        if not codes:
            raise LayerRequestError(
                "Paramètre « quartiers » vide : des codes séparés par des virgules sont attendus."
            )
        if len(codes) > MAX_CODES:
            raise LayerRequestError(
                f"Au plus {MAX_CODES} quartiers par demande ({len(codes)} demandés)."
            )
        bad = [c for c in codes if not CODE.match(c)]
        if bad:
            raise LayerRequestError(f"Code de quartier invalide : {bad[0][:20]!r}.")
    if raw_geography is None:
        # A subset of 2015 codes (QP…) is read in the 2015 geography.
        vintage = Geography.G2015 if codes and codes[0].startswith("QP") else Geography.G2024
    elif raw_geography.isdigit() and int(raw_geography) in Geography.values:
        vintage = int(raw_geography)
    else:
        raise LayerRequestError("Géographie inconnue : 2015 ou 2024 attendu.")
    raw_zoom = query.get("zoom")
    zoom = None
    if raw_zoom is not None:
        if not (raw_zoom.isdigit() and len(raw_zoom) <= 2 and int(raw_zoom) <= MAX_ZOOM):
            raise LayerRequestError(f"Zoom invalide : un entier de 0 à {MAX_ZOOM} est attendu.")
        zoom = int(raw_zoom)
    return vintage, tier_for(zoom), codes


def etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    # If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x".
    return etag in {tag.strip().removeprefix("W/") for tag in header.split(",")}


@require_GET
def contours(request):
    """Contours of one geography (?geographie=2015|2024, default 2024) as GeoJSON, simplified
    for the map's zoom (?zoom=0…22), optionally only some neighbourhoods (?quartiers=CODE,CODE).
    Gzipped when the client accepts it; conditional GET (If-None-Match) answers 304."""
    try:
        vintage, tier, codes = layer_request(request.GET)
        if codes is not None:
            unknown = unknown_codes(vintage, codes)
            if unknown:
                raise LayerRequestError(
                    f"Quartier(s) inconnu(s) en géographie {vintage} : {', '.join(unknown[:5])}."
                )
    except LayerRequestError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    layer = contours_layer(vintage, tier, codes)
    gzipped = accepts_gzip(request)
    # Each representation has its own strong ETag: the gzipped bytes differ from the plain ones.
    etag = layer.etag[:-1] + '-gz"' if gzipped else layer.etag
    if etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(
            layer.gzipped if gzipped else layer.body, content_type="application/geo+json"
        )
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True, max_age=3600)
    return response
