"""The two baselines of the API benchmark (bench_api.py), served under /bench/ by bench_urls.py.

Both give, for the same ordering (code then pk) and page size, a ``results`` list equal to the
API's lists ``/api/v1/neighbourhoods/`` and ``/api/v1/communes/`` (neighbourhoods/serializers.py:
same keys in the same order, same values, absolute URLs, datetimes in the current time zone as
DRF writes them); tests/portal/test_bench_helpers.py pins the equality.

* floor: plain view functions: ``.values()``/``values_list()`` queries only, dicts written by
  hand, ``JsonResponse``: no DRF, no serializer, no model instance. A constant number of
  queries whatever the page size: neighbourhoods 8 (the page of rows, then one per nested list
  for all the page's rows: communes, predecessors, successors, contracts, families, citizen
  council, indicators), communes 2 (the rows, their neighbourhoods). No real endpoint can be
  faster by much; the API must reach 0.7 × its throughput.
* naive: what a first DRF version would be: read-only viewsets with nested ModelSerializers and
  no ``select_related``/``prefetch_related`` (nor ``defer``): one query per nested object or
  list of every row, a count for the offset pagination. The API must be 3 × faster.

Page size: ``?limit=`` (bench_api.py passes the size of the API's first page), default
REST_FRAMEWORK's PAGE_SIZE. The body is ``{"next", "previous", "results"}``.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny

from contracts.models import CityContract
from neighbourhoods.enums import CommuneKind, NeighbourhoodKind, ValueStatus
from neighbourhoods.models import (
    CitizenCouncil,
    CitizenCouncilCoverage,
    Commune,
    Department,
    Epci,
    FamilyMembership,
    IndicatorValue,
    Neighbourhood,
    NeighbourhoodLink,
    Region,
    TypologyFamily,
)

MAX_LIMIT = 1000
COMMUNE_KINDS = dict(CommuneKind.choices)
NEIGHBOURHOOD_KINDS = dict(NeighbourhoodKind.choices)


# Floor


def _limit(request) -> int:
    try:
        limit = int(request.GET.get("limit", ""))
    except ValueError:
        limit = settings.REST_FRAMEWORK.get("PAGE_SIZE") or 50
    return max(1, min(limit, MAX_LIMIT))


def _page(request, results: list, limit: int, more: bool) -> JsonResponse:
    next_url = request.build_absolute_uri(f"?limit={limit}&offset={limit}") if more else None
    return JsonResponse(
        {"next": next_url, "previous": None, "results": results},
        json_dumps_params={"ensure_ascii": False},
    )


def _when(value) -> str | None:
    """A datetime as DRF's DateTimeField writes it: ISO 8601 in the current time zone."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class _Links:
    """``{"code", "name", "url"}`` of the API's related objects, the URL prefixes built once."""

    def __init__(self, request):
        self.base = request.build_absolute_uri("/api/v1/")

    def __call__(self, resource: str, code: str | None, name: str | None) -> dict | None:
        if code is None:
            return None
        return {"code": code, "name": name, "url": self.url(resource, code)}

    def url(self, resource: str, code: str) -> str:
        return f"{self.base}{resource}/{quote(code, safe='')}/"


def _grouped(rows) -> dict:
    """(key, item) pairs → key → [item, …], in the rows' order."""
    groups: dict = {}
    for key, item in rows:
        groups.setdefault(key, []).append(item)
    return groups


def floor_neighbourhoods(request):
    limit = _limit(request)
    link = _Links(request)
    rows = list(
        Neighbourhood.objects.order_by("code", "pk")
        .annotate(
            has_contour=ExpressionWrapper(Q(contour__isnull=False), output_field=BooleanField())
        )
        .values(
            "pk",
            "code",
            "name",
            "updated_at",
            "kind",
            "vintage",
            "population",
            "in_renewal_programme",
            "has_contour",
            "epci__siren",
            "epci__name",
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    pks = [row["pk"] for row in rows]

    communes = _grouped(
        (pk, link("communes", code, name))
        for pk, code, name in Neighbourhood.communes.through.objects.filter(
            neighbourhood_id__in=pks
        )
        .order_by("commune__insee_code")
        .values_list("neighbourhood_id", "commune__insee_code", "commune__name")
    )
    # A link goes from a 2015 neighbourhood (previous) to the 2024 one that took it over.
    predecessors = _grouped(
        (pk, link("neighbourhoods", code, name))
        for pk, code, name in NeighbourhoodLink.objects.filter(current_id__in=pks)
        .order_by("previous__code")
        .values_list("current_id", "previous__code", "previous__name")
    )
    successors = _grouped(
        (pk, link("neighbourhoods", code, name))
        for pk, code, name in NeighbourhoodLink.objects.filter(previous_id__in=pks)
        .order_by("current__code")
        .values_list("previous_id", "current__code", "current__name")
    )
    contracts = _grouped(
        (pk, link("contracts", code, name))
        for pk, code, name in CityContract.neighbourhoods.through.objects.filter(
            neighbourhood_id__in=pks
        )
        .order_by("citycontract__code")
        .values_list("neighbourhood_id", "citycontract__code", "citycontract__name")
    )
    families = _grouped(
        (
            pk,
            {
                "typology": typology,
                "typology_name": typology_name,
                "code": code,
                "label": label,
                "colour": colour,
            },
        )
        for pk, typology, typology_name, code, label, colour in FamilyMembership.objects.filter(
            neighbourhood_id__in=pks
        )
        .order_by("family__typology__code", "family__code")
        .values_list(
            "neighbourhood_id",
            "family__typology__code",
            "family__typology__name",
            "family__code",
            "family__label",
            "family__colour",
        )
    )
    councils = {
        council.pop("neighbourhood_id"): {
            "name": council["council__name"],
            "created_on": council["council__created_on"]
            and council["council__created_on"].isoformat(),
            "residents_members": council["council__residents_members"],
            "local_actors_members": council["council__local_actors_members"],
            "support_structure": council["council__support_structure"],
            "public_email": council["council__public_email"],
            "public_address": council["council__public_address"],
            "website": council["council__website"],
            "updated_at": _when(council["council__updated_at"]),
        }
        for council in CitizenCouncilCoverage.objects.filter(neighbourhood_id__in=pks).values(
            "neighbourhood_id",
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
    }
    indicators = _grouped(
        (
            pk,
            {
                "code": code,
                "label": label,
                "unit": unit,
                "source": source,
                "vintage": vintage,
                "year": year,
                # The API's JSON writes decimals as numbers; Django's encoder would quote them.
                "value": None if value is None else float(value),
                "secret": status == ValueStatus.SECRET,
                "status": status,
            },
        )
        for pk, code, label, unit, source, vintage, year, value, status in (
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
        )
    )
    results = [
        {
            "code": row["code"],
            "name": row["name"],
            "url": link.url("neighbourhoods", row["code"]),
            "updated_at": _when(row["updated_at"]),
            "kind": row["kind"],
            "kind_label": NEIGHBOURHOOD_KINDS.get(row["kind"], row["kind"]),
            "geography": row["vintage"],
            "population": row["population"],
            "in_renewal_programme": row["in_renewal_programme"],
            "has_contour": row["has_contour"],
            "epci": link("epci", row["epci__siren"], row["epci__name"]),
            "communes": communes.get(row["pk"], []),
            "predecessors": predecessors.get(row["pk"], []),
            "successors": successors.get(row["pk"], []),
            "contracts": contracts.get(row["pk"], []),
            "families": families.get(row["pk"], []),
            "citizen_council": councils.get(row["pk"]),
            "indicators": indicators.get(row["pk"], []),
        }
        for row in rows
    ]
    return _page(request, results, limit, more)


def floor_communes(request):
    limit = _limit(request)
    link = _Links(request)
    rows = list(
        Commune.objects.order_by("insee_code", "pk").values(
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
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    neighbourhoods = _grouped(
        (pk, link("neighbourhoods", code, name))
        for pk, code, name in Neighbourhood.communes.through.objects.filter(
            commune_id__in=[row["pk"] for row in rows]
        )
        .order_by("neighbourhood__code")
        .values_list("commune_id", "neighbourhood__code", "neighbourhood__name")
    )
    results = [
        {
            "code": row["insee_code"],
            "name": row["name"],
            "url": link.url("communes", row["insee_code"]),
            "updated_at": _when(row["updated_at"]),
            "kind": row["kind"],
            "kind_label": COMMUNE_KINDS.get(row["kind"], row["kind"]),
            "population": row["population"],
            "parent": link("communes", row["parent__insee_code"], row["parent__name"]),
            "department": link("departments", row["department__code"], row["department__name"]),
            "region": link(
                "regions", row["department__region__code"], row["department__region__name"]
            ),
            "epci": link("epci", row["epci__siren"], row["epci__name"]),
            "centroid": row["centroid"]
            and {"lon": round(row["centroid"].x, 6), "lat": round(row["centroid"].y, 6)},
            "neighbourhoods": neighbourhoods.get(row["pk"], []),
        }
        for row in rows
    ]
    return _page(request, results, limit, more)


# Naive


def _url(view_name: str, lookup_field: str):
    return serializers.HyperlinkedIdentityField(
        view_name=view_name, lookup_field=lookup_field, lookup_url_kwarg="code"
    )


class LinkSerializer(serializers.ModelSerializer):
    """``{"code", "name", "url"}``: subclasses set the model, ``code``'s source and ``url``."""

    class Meta:
        fields = ["code", "name", "url"]


class RegionLinkSerializer(LinkSerializer):
    url = _url("region-detail", "code")

    class Meta(LinkSerializer.Meta):
        model = Region


class DepartmentLinkSerializer(LinkSerializer):
    url = _url("department-detail", "code")

    class Meta(LinkSerializer.Meta):
        model = Department


class EpciLinkSerializer(LinkSerializer):
    code = serializers.CharField(source="siren")
    url = _url("epci-detail", "siren")

    class Meta(LinkSerializer.Meta):
        model = Epci


class CommuneLinkSerializer(LinkSerializer):
    code = serializers.CharField(source="insee_code")
    url = _url("commune-detail", "insee_code")

    class Meta(LinkSerializer.Meta):
        model = Commune


class NeighbourhoodLinkSerializer(LinkSerializer):
    url = _url("priority-neighbourhood-detail", "code")

    class Meta(LinkSerializer.Meta):
        model = Neighbourhood


class ContractLinkSerializer(LinkSerializer):
    url = _url("city-contract-detail", "code")

    class Meta(LinkSerializer.Meta):
        model = CityContract


class CentroidField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return {"lon": round(value.x, 6), "lat": round(value.y, 6)}


class CommuneSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="insee_code")
    url = _url("commune-detail", "insee_code")
    kind_label = serializers.CharField(source="get_kind_display")
    parent = CommuneLinkSerializer(allow_null=True)
    department = DepartmentLinkSerializer()
    region = RegionLinkSerializer(source="department.region")
    epci = EpciLinkSerializer(allow_null=True)
    centroid = CentroidField(allow_null=True)
    neighbourhoods = NeighbourhoodLinkSerializer(many=True)

    class Meta:
        model = Commune
        fields = [
            "code",
            "name",
            "url",
            "updated_at",
            "kind",
            "kind_label",
            "population",
            "parent",
            "department",
            "region",
            "epci",
            "centroid",
            "neighbourhoods",
        ]


class FamilySerializer(serializers.ModelSerializer):
    typology = serializers.CharField(source="typology.code")
    typology_name = serializers.CharField(source="typology.name")

    class Meta:
        model = TypologyFamily
        fields = ["typology", "typology_name", "code", "label", "colour"]


class CitizenCouncilSerializer(serializers.ModelSerializer):
    class Meta:
        model = CitizenCouncil
        fields = [
            "name",
            "created_on",
            "residents_members",
            "local_actors_members",
            "support_structure",
            "public_email",
            "public_address",
            "website",
            "updated_at",
        ]


class IndicatorValueSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code")
    label = serializers.CharField(source="indicator.label")
    unit = serializers.CharField(source="indicator.unit")
    source = serializers.CharField(source="indicator.source")
    vintage = serializers.CharField(source="indicator.vintage")
    value = serializers.DecimalField(
        max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    secret = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = ["code", "label", "unit", "source", "vintage", "year", "value", "secret", "status"]

    def get_secret(self, value) -> bool:
        return value.status == ValueStatus.SECRET


class NeighbourhoodSerializer(serializers.ModelSerializer):
    url = _url("priority-neighbourhood-detail", "code")
    kind_label = serializers.CharField(source="get_kind_display")
    geography = serializers.IntegerField(source="vintage")
    has_contour = serializers.SerializerMethodField()
    epci = EpciLinkSerializer(allow_null=True)
    communes = CommuneLinkSerializer(many=True)
    # The model's ``predecessors`` holds a neighbourhood's successors and ``successors`` its
    # predecessors (see neighbourhoods/serializers.py).
    predecessors = NeighbourhoodLinkSerializer(many=True, source="successors")
    successors = NeighbourhoodLinkSerializer(many=True, source="predecessors")
    contracts = ContractLinkSerializer(many=True, source="city_contracts")
    # Ordered by typology (its code), then code: TypologyFamily's default ordering.
    families = FamilySerializer(many=True)
    citizen_council = serializers.SerializerMethodField()
    indicators = IndicatorValueSerializer(many=True, source="indicator_values")

    class Meta:
        model = Neighbourhood
        fields = [
            "code",
            "name",
            "url",
            "updated_at",
            "kind",
            "kind_label",
            "geography",
            "population",
            "in_renewal_programme",
            "has_contour",
            "epci",
            "communes",
            "predecessors",
            "successors",
            "contracts",
            "families",
            "citizen_council",
            "indicators",
        ]

    def get_has_contour(self, neighbourhood) -> bool:
        return neighbourhood.contour is not None

    def get_citizen_council(self, neighbourhood):
        council = neighbourhood.citizen_councils.first()
        return council and CitizenCouncilSerializer(council).data


class NaivePagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT


class NaiveNeighbourhoodViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Neighbourhood.objects.order_by("code", "pk")
    serializer_class = NeighbourhoodSerializer
    pagination_class = NaivePagination
    permission_classes = [AllowAny]
    throttle_classes = []
    filter_backends = []


class NaiveCommuneViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Commune.objects.order_by("insee_code", "pk")
    serializer_class = CommuneSerializer
    pagination_class = NaivePagination
    permission_classes = [AllowAny]
    throttle_classes = []
    filter_backends = []


urlpatterns = [
    path("floor/neighbourhoods/", floor_neighbourhoods),
    path("floor/communes/", floor_communes),
    path("naive/neighbourhoods/", NaiveNeighbourhoodViewSet.as_view({"get": "list"})),
    path("naive/communes/", NaiveCommuneViewSet.as_view({"get": "list"})),
]
