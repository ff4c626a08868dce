"""Public pages of a neighbourhood, a commune and an EPCI: thin views over
``neighbourhoods.pages_selectors``; unknown or malformed codes are a French 404."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from neighbourhoods import pages_selectors as selectors
from neighbourhoods.enums import Geography
from neighbourhoods.pages_charts import indicator_comparisons
from portal.public_cache import public_page

# The contours layer takes at most this many codes; beyond, the page draws the whole geography.
MAX_LAYER_CODES = 400


def contours_url(vintage: int, codes: list[str]) -> str:
    """The contours layer of these neighbourhoods (one without contour is drawn at its
    commune's centre by the layer itself)."""
    url = f"{reverse('neighbourhood-contours')}?geographie={vintage}"
    if len(codes) > MAX_LAYER_CODES:
        return url
    return f"{url}&quartiers={','.join(codes)}"


def map_of(neighbourhoods, request) -> dict | None:
    """The map of these neighbourhoods in one geography: the one asked for (?geographie=2015)
    when the page has neighbourhoods in it, else the newest present. One map per page (the map
    include loads Leaflet with each map); the table lists both geographies, and ``others``
    links to the same page drawn in the other geography."""
    present = [
        v for v in (Geography.G2024, Geography.G2015) if any(n.vintage == v for n in neighbourhoods)
    ]
    if not present:
        return None
    asked = request.GET.get("geographie", "")
    vintage = int(asked) if asked in {str(v) for v in present} else present[0]
    rows = [n for n in neighbourhoods if n.vintage == vintage]
    return {
        "vintage": vintage,
        "label": Geography(vintage).label,
        "layer_url": contours_url(vintage, [n.code for n in rows]),
        "count": len(rows),
        "without_contour": sum(1 for n in rows if not n.has_contour),
        "others": [
            {"vintage": v, "label": Geography(v).label, "url": f"?geographie={v}#quartiers"}
            for v in present
            if v != vintage
        ],
    }


def _crumbs(*links, current: str) -> dict:
    return {
        "links": [{"url": reverse("home"), "title": "Accueil"}]
        + [{"url": url, "title": title} for url, title in links],
        "current": current,
    }


@public_page
@require_safe
def neighbourhood_page(request, code: str):
    neighbourhood = selectors.neighbourhood_for_page(code)
    if neighbourhood is None:
        raise Http404("Quartier inconnu.")
    communes = selectors.french_sorted(neighbourhood.communes.all())
    region = communes[0].department.region if communes else None
    memberships = list(neighbourhood.memberships.all())
    predecessors, successors = selectors.linked_neighbourhoods(neighbourhood)
    council_coverage = next(iter(neighbourhood.citizen_council_coverages.all()), None)
    context = {
        "neighbourhood": neighbourhood,
        "communes": communes,
        "region": region,
        "predecessors": predecessors,
        "successors": successors,
        "contracts": list(neighbourhood.city_contracts.all()),
        "memberships": memberships,
        "council": council_coverage.council if council_coverage else None,
        "indicator_groups": indicator_comparisons(list(neighbourhood.indicator_values.all())),
        "schemes": selectors.schemes_covering(neighbourhood),
        "mediator_posts": list(selectors.mediator_posts_in(neighbourhood)),
        "structures": selectors.structures_near(neighbourhood),
        "near_km": selectors.NEAR_METRES // 1000,
        "has_contour": neighbourhood.contour is not None,
        "placed_at_commune": any(c.centroid is not None for c in communes),
        "layer_url": contours_url(neighbourhood.vintage, [neighbourhood.code]),
        "title": f"{neighbourhood.name} ({neighbourhood.code})",
        "breadcrumb_data": _crumbs(
            (reverse("neighbourhood-list"), "Quartiers"), current=neighbourhood.name
        ),
    }
    return render(request, "public/pages/neighbourhood.html", context)


@public_page
@require_safe
def commune_page(request, insee_code: str):
    commune = selectors.commune_for_page(insee_code)
    if commune is None:
        raise Http404("Commune inconnue.")
    neighbourhoods = list(commune.neighbourhoods.all())
    context = {
        "commune": commune,
        "neighbourhoods": neighbourhoods,
        "map": map_of(neighbourhoods, request),
        "contracts": list(selectors.contracts_of_commune(commune)),
        "schemes": list(selectors.schemes_of_commune(commune)),
        "structures": list(selectors.structures_of_commune(commune)),
        "title": f"{commune.name} ({commune.insee_code})",
        "breadcrumb_data": _crumbs(current=commune.name),
    }
    return render(request, "public/pages/commune.html", context)


@public_page
@require_safe
def epci_page(request, siren: str):
    epci = selectors.epci_for_page(siren)
    if epci is None:
        raise Http404("EPCI inconnu.")
    neighbourhoods = list(epci.neighbourhoods.all())
    context = {
        "epci": epci,
        "communes": selectors.french_sorted(epci.communes.all()),
        "neighbourhoods": neighbourhoods,
        "map": map_of(neighbourhoods, request),
        "contracts": list(selectors.contracts_of_epci(epci)),
        "schemes": list(selectors.schemes_of_epci(epci)),
        "structures": list(selectors.structures_of_epci(epci)),
        "title": f"{epci.name} (EPCI {epci.siren})",
        "breadcrumb_data": _crumbs(current=epci.name),
    }
    return render(request, "public/pages/epci.html", context)
