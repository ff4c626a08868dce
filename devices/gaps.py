"""Coverage gaps (/couverture/): the 2024 priority neighbourhoods of a territory without an
ASV, a CLSM, a health mediator, or an MSP or health centre; on a map, in a table and as CSV
(/couverture.csv). Without a territory, a national summary per department."""

from django import forms
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse

from devices.gaps_selectors import (
    NEED_RULES,
    NEEDS,
    by_department,
    coverage,
    gap_counts,
    priority_neighbourhoods,
)
from devices.public_filters import TerritoryForm, communes_of, with_chosen
from neighbourhoods.enums import Geography
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood, Region
from portal.csv_export import csv_response
from portal.public_cache import public_page

# The contours layer is asked for these codes at most (a region has ~200 neighbourhoods).
MAP_LIMIT = 300
GAP_CHOICES = [
    ("", "Tous les quartiers"),
    ("tout", "Au moins un manque"),
    *[(need, f"Sans {label}") for need, label in NEEDS.items()],
]


class GapsForm(TerritoryForm):
    manque = forms.ChoiceField(label="Quartiers affichés", choices=GAP_CHOICES, required=False)


def _keep(rows, gap: str):
    if gap == "tout":
        return [row for row in rows if row.gaps]
    if gap in NEEDS:
        return [row for row in rows if gap in row.gaps]
    return rows


def _territory_label(territory) -> str:
    if isinstance(territory, Region):
        return f"région {territory.name}"
    if isinstance(territory, Department):
        return f"département {territory}"
    return f"EPCI {territory.name}"


def _options(form) -> dict:
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    departments = Department.objects.order_by("code")
    # EPCIs that have 2024 priority neighbourhoods (in the chosen department or region).
    epcis = Epci.objects.filter(
        pk__in=Neighbourhood.objects.filter(vintage=Geography.G2024).values("epci_id")
    ).order_by("name")
    if data.get("region"):
        departments = departments.filter(region=data["region"])
        epcis = epcis.filter(
            pk__in=Commune.objects.filter(department__region=data["region"]).values("epci_id")
        )
    if data.get("departement"):
        epcis = epcis.filter(
            pk__in=Commune.objects.filter(department=data["departement"]).values("epci_id")
        )
    return {
        "regions": list(Region.objects.values_list("code", "name")),
        "departments": [(c, f"{c} – {n}") for c, n in departments.values_list("code", "name")],
        "epcis": with_chosen(list(epcis.values_list("siren", "name")), data.get("epci"), "siren"),
    }


@public_page
def coverage_gaps(request):
    form = GapsForm(request.GET)
    territory = form.territory()
    gap = form.cleaned_data.get("manque", "")
    context = {
        "title": "Couverture des quartiers prioritaires",
        "breadcrumb_data": {
            "links": [],
            "current": "Couverture",
        },
        "form": form,
        "options": _options(form),
        "gap_choices": GAP_CHOICES,
        "needs": NEEDS,
        "rules": [(NEEDS[need], rule) for need, rule in NEED_RULES.items()],
        "territory": territory,
        "gap_select": {
            "name": "manque",
            "id": "territoire-manque",
            "label": "Quartiers affichés",
            "empty": GAP_CHOICES[0][1],
            "groups": [{"label": "", "options": GAP_CHOICES[1:]}],
            "value": gap,
            "errors": form.errors.get("manque", []),
        },
    }
    query = request.GET.copy()
    for name in list(query):
        if name not in form.fields or name in form.errors:
            del query[name]
    context["csv_url"] = reverse("coverage-gaps-csv") + (f"?{query.urlencode()}" if query else "")
    if territory is None:
        rows = coverage(priority_neighbourhoods(None))
        context["summary"] = by_department(rows)
        context["totals"] = {"count": len(rows), "gaps": gap_counts(rows)}
        return render(request, "public/devices/coverage_gaps.html", context)

    rows = coverage(priority_neighbourhoods(communes_of(territory)))
    shown = _keep(rows, gap)
    mapped = rows[:MAP_LIMIT]
    context.update(
        {
            "title": f"Couverture des quartiers prioritaires – {_territory_label(territory)}",
            "territory_label": _territory_label(territory),
            "rows": shown,
            "total": len(rows),
            "counts": [(NEEDS[need], count) for need, count in gap_counts(rows).items()],
            "complete": sum(1 for row in rows if not row.gaps),
            "layer_url": reverse("neighbourhood-contours")
            + "?geographie=2024&quartiers="
            + ",".join(row.code for row in mapped),
            "focus": ",".join(row.code for row in mapped if row.gaps),
            "map_truncated": len(rows) > MAP_LIMIT,
            "map_limit": MAP_LIMIT,
        }
    )
    context["breadcrumb_data"] = {
        "links": [
            {"url": reverse("coverage-gaps"), "title": "Couverture"},
        ],
        "current": _territory_label(territory)[:1].upper() + _territory_label(territory)[1:],
    }
    return render(request, "public/devices/coverage_gaps.html", context)


CSV_HEADER = [
    "Code du quartier",
    "Quartier",
    "Communes",
    "EPCI",
    "Département",
    "Population",
    *(f"{label}" for label in NEEDS.values()),
    "Nombre de manques",
]


def coverage_gaps_csv(request):
    form = GapsForm(request.GET)
    territory = form.territory()
    if form.errors:
        messages = "; ".join(
            f"{form.fields[name].label} : {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        return HttpResponseBadRequest(
            f"Filtres invalides : {messages}", content_type="text/plain; charset=utf-8"
        )
    communes = communes_of(territory) if territory else None
    rows = _keep(coverage(priority_neighbourhoods(communes)), form.cleaned_data.get("manque"))

    def lines():
        for row in rows:
            yield [
                row.code,
                row.name,
                ", ".join(row.communes),
                row.epci,
                f"{row.department[0]} – {row.department[1]}" if row.department else "",
                row.population if row.population is not None else "",
                *(
                    f"Oui : {', '.join(cell['by'])}" if cell["by"] else "Non"
                    for cell in row.cells()
                ),
                len(row.gaps),
            ]

    code = getattr(territory, "siren", None) or getattr(territory, "code", None) or "france"
    return csv_response(filename=f"couverture-quartiers-{code}", header=CSV_HEADER, rows=lines())
