"""The public directory (/annuaire/) of published schemes and health structures, and its CSV
(/annuaire.csv): one form, one selector (``directory_rows``), so the page and the file list the
same rows for the same filters."""

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse

from devices.directory_selectors import (
    CSV_HEADER,
    KIND_LABELS,
    SCHEME,
    directory_rows,
    filtered_schemes,
    scheme_details,
)
from devices.enums import ProjectStage, SchemeStatus
from devices.models import Thematic
from devices.public_filters import KIND_CHOICES, SORT_CHOICES, DirectoryFilterForm, with_chosen
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood, Region
from portal.csv_export import csv_response
from portal.public_cache import public_page

PAGE_SIZE = 25
CSV_CHUNK = 500
STATUS_LABELS = dict(SchemeStatus.choices)
STAGE_LABELS = dict(ProjectStage.choices)
FILTER_NAMES = ("q", "region", "departement", "epci", "commune", "type", "thematique", "statut")
FILTER_NAMES += ("etape",)


def _valid_query(form: DirectoryFilterForm, *, sort: str | None = None) -> str:
    """The query string of the filters that passed validation (bad ones are dropped)."""
    query = form.data.copy()
    for name in list(query):
        if name not in (*FILTER_NAMES, "tri") or name in form.errors or not query.get(name):
            del query[name]
    if sort:
        query["tri"] = sort
    return query.urlencode()


def _territory(row: dict, details: dict) -> str:
    if row["row_source"] != SCHEME:
        return row["row_commune"]
    scheme = details.get(row["row_id"], {})
    communes, epcis = scheme.get("communes", []), scheme.get("epcis", [])
    names = communes or epcis
    if len(names) > 3:
        return f"{', '.join(names[:3])} et {len(names) - 3} autre(s)"
    return ", ".join(names)


def _row_url(row: dict) -> str:
    name = "scheme-page" if row["row_source"] == SCHEME else "structure-page"
    return reverse(name, kwargs={"uid": row["row_uid"]})


def _select(form, name: str, options, *, empty: str) -> dict:
    """What the template needs to draw one DSFR select (options may be grouped)."""
    value = form.data.get(name, "") if name not in form.errors else ""
    groups, loose = [], []
    for option_value, label in options:
        if isinstance(label, list | tuple):
            groups.append({"label": option_value, "options": label})
        else:
            loose.append((str(option_value), label))
    if loose:
        groups.insert(0, {"label": "", "options": loose})
    return {
        "name": name,
        "id": f"filtre-{name}",
        "label": form.fields[name].label,
        "empty": empty,
        "groups": groups,
        "value": str(value),
        "errors": form.errors.get(name, []),
    }


def _selects(form, filters: dict) -> list[dict]:
    epcis = Epci.objects.order_by("name")
    if "departement" in filters:
        communes = Commune.objects.filter(department=filters["departement"])
        epcis = epcis.filter(pk__in=communes.values("epci_id"))
    elif "region" in filters:
        communes = Commune.objects.filter(department__region=filters["region"])
        epcis = epcis.filter(pk__in=communes.values("epci_id"))
    else:
        # Nationally, the EPCIs of the city contracts (those with priority neighbourhoods);
        # choosing a department lists all of its EPCIs.
        epcis = epcis.filter(pk__in=Neighbourhood.objects.values("epci_id"))
    epci_options = with_chosen(
        list(epcis.values_list("siren", "name")), filters.get("epci"), "siren"
    )
    departments = Department.objects.order_by("code")
    if "region" in filters:
        departments = departments.filter(region=filters["region"])
    return [
        _select(
            form, "region", Region.objects.values_list("code", "name"), empty="Toutes les régions"
        ),
        _select(
            form,
            "departement",
            [(code, f"{code} – {name}") for code, name in departments.values_list("code", "name")],
            empty="Tous les départements",
        ),
        _select(form, "epci", epci_options, empty="Tous les EPCI"),
        _select(form, "type", KIND_CHOICES[1:], empty="Tous les types"),
        _select(
            form,
            "thematique",
            Thematic.objects.values_list("code", "label"),
            empty="Toutes les thématiques",
        ),
        _select(form, "statut", SchemeStatus.choices, empty="Tous les états"),
        _select(form, "etape", ProjectStage.choices, empty="Toutes les étapes"),
    ]


@public_page
def directory(request):
    form = DirectoryFilterForm(request.GET)
    filters = form.valid_filters()
    sort = filters.pop("tri", "nom")
    rows = directory_rows(filters, sort)
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    items = list(page.object_list)
    details = scheme_details([row["row_id"] for row in items if row["row_source"] == SCHEME])
    table = [
        {
            "url": _row_url(row),
            "name": row["row_name"],
            "is_scheme": row["row_source"] == SCHEME,
            "kind": row["row_kind"],
            "kind_label": KIND_LABELS.get(row["row_kind"], row["row_kind"]),
            "territory": _territory(row, details),
            "carrier": row["row_carrier"],
            "status": STATUS_LABELS.get(row["row_status"], ""),
            "stage": STAGE_LABELS.get(row["row_stage"], ""),
        }
        for row in items
    ]
    sort_key = sort.lstrip("-")
    columns = []
    for key, label in (("nom", "Nom"), ("type", "Type"), ("commune", "Commune ou territoire")):
        current = sort_key == key
        descending = current and sort.startswith("-")
        columns.append(
            {
                "label": label,
                "url": "?"
                + _valid_query(form, sort=f"-{key}" if current and not descending else key),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    query = _valid_query(form)
    return render(
        request,
        "public/devices/directory.html",
        {
            "title": "Annuaire des dispositifs et structures de santé",
            "breadcrumb_data": {
                "links": [],
                "current": "Annuaire",
            },
            "form": form,
            "selects": _selects(form, filters),
            "sort_choices": SORT_CHOICES,
            "sort": sort,
            "page_obj": page,
            "rows": table,
            "columns": columns,
            "csv_url": reverse("directory-csv") + (f"?{query}" if query else ""),
            "has_filters": bool(filters),
        },
    )


def directory_csv(request):
    form = DirectoryFilterForm(request.GET)
    filters = form.valid_filters()
    if form.errors:
        messages = "; ".join(
            f"{form.fields[name].label} : {' '.join(errs)}" for name, errs in form.errors.items()
        )
        return HttpResponseBadRequest(
            f"Filtres invalides : {messages}", content_type="text/plain; charset=utf-8"
        )
    sort = filters.pop("tri", "nom")
    details = scheme_details(filtered_schemes(filters).values("pk"))
    base = request.build_absolute_uri("/").rstrip("/")

    def lines():
        for row in directory_rows(filters, sort).iterator(chunk_size=CSV_CHUNK):
            scheme = details.get(row["row_id"], {}) if row["row_source"] == SCHEME else {}
            contacts = scheme.get("contacts", [])
            yield [
                "Dispositif" if row["row_source"] == SCHEME else "Structure de santé",
                KIND_LABELS.get(row["row_kind"], row["row_kind"]),
                row["row_name"],
                STATUS_LABELS.get(row["row_status"], ""),
                STAGE_LABELS.get(row["row_stage"], ""),
                row["row_carrier"],
                ", ".join(scheme.get("communes", [])) if scheme else row["row_commune"],
                ", ".join(scheme.get("epcis", [])),
                row["row_address"],
                ", ".join(scheme.get("thematics", [])),
                " / ".join(
                    f"{c['name']} ({c['organisation']})" if c["organisation"] else c["name"]
                    for c in contacts
                ),
                " / ".join(c["email"] for c in contacts if c["email"]),
                " / ".join(c["phone"] for c in contacts if c["phone"]),
                base + _row_url(row),
            ]

    return csv_response(filename="annuaire-sante", header=CSV_HEADER, rows=lines())
