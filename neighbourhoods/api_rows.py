"""The rows of the two resources partners read in bulk, communes and neighbourhoods, built from
``.values()`` records: one query for the page, then one per nested list for the whole page.

Model instances, prefetches and DRF's field-by-field serializers cost several times the queries
themselves at 100 rows (the API benchmark, scripts/bench_api.py). The payload is the one the
serializers of ``neighbourhoods.serializers`` declare to the OpenAPI schema; the tests pin both.
"""

from collections import defaultdict

from rest_framework import serializers

from neighbourhoods.enums import ValueStatus
from neighbourhoods.models import (
    CitizenCouncilCoverage,
    Commune,
    FamilyMembership,
    IndicatorValue,
    Neighbourhood,
    NeighbourhoodLink,
)
from portal.api.base import api_url

_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()

COMMUNE_FIELDS = (
    "pk",
    "insee_code",
    "name",
    "updated_at",
    "kind",
    "population",
    "parent__insee_code",
    "parent__name",
    "department__code",
    "department__name",
    "department__region__code",
    "department__region__name",
    "epci__siren",
    "epci__name",
    "centroid",
)
NEIGHBOURHOOD_FIELDS = (
    "pk",
    "code",
    "name",
    "updated_at",
    "kind",
    "vintage",
    "population",
    "in_renewal_programme",
    "epci__siren",
    "epci__name",
    "has_contour",
)
NEIGHBOURHOOD = "priority-neighbourhood-detail"


def when(value):
    return None if value is None else _DATETIME.to_representation(value)


def labels(model, field: str) -> dict:
    """Choice value → its French label, for the request's language."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


class Links:
    """``{"code", "name", "url"}`` references, with each view's URL reversed once a request."""

    def __init__(self, context: dict):
        self.context = context

    def __call__(self, view_name: str, code: str, name: str) -> dict:
        return {"code": code, "name": name, "url": api_url(self.context, view_name, code)}


def grouped(rows, view_name: str, link: Links) -> dict[int, list]:
    """(owner pk, code, name) rows → owner pk → its references, in the rows' order."""
    found = defaultdict(list)
    for owner, code, name in rows:
        found[owner].append(link(view_name, code, name))
    return found


def commune_rows(records: list[dict], context: dict) -> list[dict]:
    link = Links(context)
    kinds = labels(Commune, "kind")
    pks = [record["pk"] for record in records]
    neighbourhoods = grouped(
        Neighbourhood.communes.through.objects.filter(commune_id__in=pks)
        .order_by("neighbourhood__code")
        .values_list("commune_id", "neighbourhood__code", "neighbourhood__name"),
        NEIGHBOURHOOD,
        link,
    )
    rows = []
    for r in records:
        centroid = r["centroid"]
        rows.append(
            {
                "code": r["insee_code"],
                "name": r["name"],
                "url": api_url(context, "commune-detail", r["insee_code"]),
                "updated_at": when(r["updated_at"]),
                "kind": r["kind"],
                "kind_label": kinds.get(r["kind"], r["kind"]),
                "population": r["population"],
                "parent": r["parent__insee_code"]
                and link("commune-detail", r["parent__insee_code"], r["parent__name"]),
                "department": link(
                    "department-detail", r["department__code"], r["department__name"]
                ),
                "region": link(
                    "region-detail", r["department__region__code"], r["department__region__name"]
                ),
                "epci": r["epci__siren"] and link("epci-detail", r["epci__siren"], r["epci__name"]),
                "centroid": centroid and {"lon": round(centroid.x, 6), "lat": round(centroid.y, 6)},
                "neighbourhoods": neighbourhoods.get(r["pk"], []),
            }
        )
    return rows


def neighbourhood_rows(
    records: list[dict], context: dict, *, centroids: bool = False
) -> list[dict]:
    """With ``centroids``, each record also gets ``commune_centroid``: the centre of its first
    commune that has one (where the GeoJSON export draws a neighbourhood without a contour)."""
    link = Links(context)
    kinds = labels(Neighbourhood, "kind")
    pks = [record["pk"] for record in records]
    if not pks:
        return []
    communes, first_centroid = defaultdict(list), {}
    commune_values = ["neighbourhood_id", "commune__insee_code", "commune__name"]
    for row in (
        Neighbourhood.communes.through.objects.filter(neighbourhood_id__in=pks)
        .order_by("commune__insee_code")
        .values_list(*commune_values, *(["commune__centroid"] if centroids else []))
    ):
        communes[row[0]].append(link("commune-detail", row[1], row[2]))
        if centroids and row[3] is not None:
            first_centroid.setdefault(row[0], row[3])
    links = NeighbourhoodLink.objects
    # A link goes from a 2015 neighbourhood (``previous``) to a 2024 one (``current``).
    predecessors = grouped(
        links.filter(current_id__in=pks)
        .order_by("previous__code")
        .values_list("current_id", "previous__code", "previous__name"),
        NEIGHBOURHOOD,
        link,
    )
    successors = grouped(
        links.filter(previous_id__in=pks)
        .order_by("current__code")
        .values_list("previous_id", "current__code", "current__name"),
        NEIGHBOURHOOD,
        link,
    )
    contracts = grouped(
        Neighbourhood.city_contracts.through.objects.filter(neighbourhood_id__in=pks)
        .order_by("citycontract__code")
        .values_list("neighbourhood_id", "citycontract__code", "citycontract__name"),
        "city-contract-detail",
        link,
    )
    families = defaultdict(list)
    for owner, typology, typology_name, code, label, colour in (
        FamilyMembership.objects.filter(neighbourhood_id__in=pks)
        .order_by("family__typology__code", "family__code")
        .values_list(
            "neighbourhood_id",
            "family__typology__code",
            "family__typology__name",
            "family__code",
            "family__label",
            "family__colour",
        )
    ):
        families[owner].append(
            {
                "typology": typology,
                "typology_name": typology_name,
                "code": code,
                "label": label,
                "colour": colour,
            }
        )
    councils = {
        row["neighbourhood_id"]: council(row)
        for row in CitizenCouncilCoverage.objects.filter(neighbourhood_id__in=pks).values(
            "neighbourhood_id", *COUNCIL_VALUES
        )
    }
    indicators = defaultdict(list)
    for owner, code, label, unit, source, vintage, year, value, status in (
        IndicatorValue.objects.filter(neighbourhood_id__in=pks)
        .order_by("indicator__code", "-year")
        .values_list(
            "neighbourhood_id",
            "indicator__code",
            "indicator__label",
            "indicator__unit",
            "indicator__source",
            "indicator__vintage",
            "year",
            "value",
            "status",
        )
    ):
        indicators[owner].append(
            {
                "code": code,
                "label": label,
                "unit": unit,
                "source": source,
                "vintage": vintage,
                "year": year,
                "value": value,
                "secret": status == ValueStatus.SECRET,
                "status": status,
            }
        )

    rows = []
    for r in records:
        pk = r["pk"]
        if centroids:
            r["commune_centroid"] = first_centroid.get(pk)
        rows.append(
            {
                "code": r["code"],
                "name": r["name"],
                "url": api_url(context, NEIGHBOURHOOD, r["code"]),
                "updated_at": when(r["updated_at"]),
                "kind": r["kind"],
                "kind_label": kinds.get(r["kind"], r["kind"]),
                "geography": r["vintage"],
                "population": r["population"],
                "in_renewal_programme": r["in_renewal_programme"],
                "has_contour": r["has_contour"],
                "epci": r["epci__siren"] and link("epci-detail", r["epci__siren"], r["epci__name"]),
                "communes": communes.get(pk, []),
                "predecessors": predecessors.get(pk, []),
                "successors": successors.get(pk, []),
                "contracts": contracts.get(pk, []),
                "families": families.get(pk, []),
                "citizen_council": councils.get(pk),
                "indicators": indicators.get(pk, []),
            }
        )
    return rows


COUNCIL_VALUES = (
    "council__name",
    "council__created_on",
    "council__residents_members",
    "council__local_actors_members",
    "council__support_structure",
    "council__public_email",
    "council__public_address",
    "council__website",
    "council__updated_at",
)


def council(row: dict) -> dict:
    """A citizen council's public form: its own published contact, never a member's."""
    created_on = row["council__created_on"]
    return {
        "name": row["council__name"],
        "created_on": created_on and _DATE.to_representation(created_on),
        "residents_members": row["council__residents_members"],
        "local_actors_members": row["council__local_actors_members"],
        "support_structure": row["council__support_structure"],
        "public_email": row["council__public_email"],
        "public_address": row["council__public_address"],
        "website": row["council__website"],
        "updated_at": when(row["council__updated_at"]),
    }
