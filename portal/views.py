from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from contracts.models import CityContract, HealthSection
from devices.models import Scheme
from neighbourhoods.models import Neighbourhood
from portal import search as public_search
from portal.public_cache import public_page


@public_page
@require_GET
def home(request):
    counts = {
        "contracts": CityContract.objects.count(),
        "sections": HealthSection.objects.published().count(),
        "neighbourhoods": Neighbourhood.objects.qpv().of_geography().count(),
        "schemes": Scheme.objects.published().count(),
    }
    return render(
        request,
        "portal/home.html",
        {"counts": counts, "search_max": public_search.MAX_QUERY_CHARS},
    )


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


@public_page
@require_GET
def search(request):
    """Results grouped by kind; straight to the page when the query is one exact code."""
    raw = request.GET.get("q", "")
    query = public_search.clean_query(raw)
    groups = public_search.search(query)
    exact = [hit for hits in groups.values() for hit in hits if hit.exact_code]
    if len(exact) == 1 and request.GET.get("liste") is None:
        return HttpResponseRedirect(exact[0].url)
    total = sum(len(hits) for hits in groups.values())
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "too_short": 0 < len(query) < public_search.MIN_QUERY_CHARS or (raw and not query),
            "groups": [
                (kind, public_search.KINDS[kind], hits) for kind, hits in groups.items() if hits
            ],
            "total": total,
            "per_kind": public_search.MAX_PER_KIND,
            "search_max": public_search.MAX_QUERY_CHARS,
            "looks_like_postcode": query.isdigit() and len(query) == 5,
            "title": f"Recherche « {query} »" if query else "Recherche",
            "breadcrumb_data": {
                "links": [],
                "current": "Recherche",
            },
        },
    )


@public_page
@require_GET
@cache_control(public=True, max_age=300)
def search_suggestions(request):
    """At most ten suggestions as JSON for the search box, in one query."""
    hits = public_search.suggest(request.GET.get("q"))
    return JsonResponse(
        {
            "suggestions": [
                {
                    "type": hit.kind,
                    "type_libelle": hit.kind_label,
                    "code": hit.code,
                    "nom": hit.name,
                    "detail": hit.detail_label,
                    "url": hit.url,
                }
                for hit in hits
            ]
        }
    )
