from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from contracts.models import CityContract, HealthSection
from devices.models import Scheme
from neighbourhoods.models import Neighbourhood
from portal.public_cache import public_page
from portal.scaffold import not_built_yet


@public_page
@require_GET
def home(request):
    counts = {
        "contracts": CityContract.objects.count(),
        "sections": HealthSection.objects.published().count(),
        "neighbourhoods": Neighbourhood.objects.qpv().of_geography().count(),
        "schemes": Scheme.objects.published().count(),
    }
    return render(request, "portal/home.html", {"counts": counts})


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: 200 once the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the pages link: send them to the
    portal's icon instead of a 404."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


search = not_built_yet()
search_suggestions = not_built_yet()
