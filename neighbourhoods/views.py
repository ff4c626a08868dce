from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from neighbourhoods.enums import Geography
from neighbourhoods.geojson import contours_geojson
from portal.scaffold import not_built_yet


@require_GET
@cache_control(public=True, max_age=3600)
def contours(request):
    """Simplified contours of one geography (?geographie=2015|2024, default 2024) as GeoJSON."""
    raw = request.GET.get("geographie", str(Geography.G2024))
    if not raw.isdigit() or int(raw) not in Geography.values:
        return HttpResponseBadRequest("Géographie inconnue : 2015 ou 2024 attendu.")
    return HttpResponse(contours_geojson(int(raw)), content_type="application/geo+json")


neighbourhood_list = not_built_yet()
