"""The two baselines of the API benchmark (bench_api.py), served under /bench/ by bench_urls.py.

* floor: the first page of neighbourhoods or communes, the same rows and fields as the API lists
  give, read with ``.values()`` (one query for the rows, one for the neighbourhoods' communes) and
  written with ``JsonResponse``: no serializer, no pagination class, no content negotiation. No
  real endpoint can be faster by much; the API must reach 0.7 × its throughput.
* naive: what a first DRF version would be: a read-only viewset with nested ModelSerializers
  (commune → department → region, EPCI; neighbourhood → EPCI, its communes) and no
  ``select_related``/``prefetch_related``: one query per nested object or list, and a count
  for the offset pagination. The API must be 3 × faster.

Fields (French keys, official codes, nested objects by code): code, nom, type, geographie,
population, renouvellement_urbain, epci {siren, nom}, communes [{code_insee, nom}] for a
neighbourhood; code_insee, nom, type, population, departement {code, nom, region {code, nom}},
epci {siren, nom} for a commune. Align them with the API's serializers if these differ.
Page size: ``?limit=`` (bench_api.py passes the size of the API's first page), default
REST_FRAMEWORK's PAGE_SIZE.
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from rest_framework import serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny

from neighbourhoods.models import Commune, Department, Epci, Neighbourhood, Region

MAX_LIMIT = 1000


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


def floor_neighbourhoods(request):
    limit = _limit(request)
    rows = list(
        Neighbourhood.objects.order_by("code").values(
            "pk",
            "code",
            "name",
            "kind",
            "vintage",
            "population",
            "in_renewal_programme",
            "epci__siren",
            "epci__name",
        )[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    communes: dict[int, list] = {}
    for neighbourhood_id, code, name in (
        Neighbourhood.communes.through.objects.filter(
            neighbourhood_id__in=[row["pk"] for row in rows]
        )
        .order_by("commune__insee_code")
        .values_list("neighbourhood_id", "commune__insee_code", "commune__name")
    ):
        communes.setdefault(neighbourhood_id, []).append({"code_insee": code, "nom": name})
    results = [
        {
            "code": row["code"],
            "nom": row["name"],
            "type": row["kind"],
            "geographie": row["vintage"],
            "population": row["population"],
            "renouvellement_urbain": row["in_renewal_programme"],
            "epci": {"siren": row["epci__siren"], "nom": row["epci__name"]}
            if row["epci__siren"]
            else None,
            "communes": communes.get(row["pk"], []),
            "url": request.build_absolute_uri(f"/api/v1/neighbourhoods/{row['code']}/"),
        }
        for row in rows
    ]
    return _page(request, results, limit, more)


def floor_communes(request):
    limit = _limit(request)
    rows = list(
        Commune.objects.order_by("insee_code").values(
            "insee_code",
            "name",
            "kind",
            "population",
            "department__code",
            "department__name",
            "department__region__code",
            "department__region__name",
            "epci__siren",
            "epci__name",
        )[: limit + 1]
    )
    more = len(rows) > limit
    results = [
        {
            "code_insee": row["insee_code"],
            "nom": row["name"],
            "type": row["kind"],
            "population": row["population"],
            "departement": {
                "code": row["department__code"],
                "nom": row["department__name"],
                "region": {
                    "code": row["department__region__code"],
                    "nom": row["department__region__name"],
                },
            },
            "epci": {"siren": row["epci__siren"], "nom": row["epci__name"]}
            if row["epci__siren"]
            else None,
            "url": request.build_absolute_uri(f"/api/v1/communes/{row['insee_code']}/"),
        }
        for row in rows[:limit]
    ]
    return _page(request, results, limit, more)


class RegionSerializer(serializers.ModelSerializer):
    nom = serializers.CharField(source="name")

    class Meta:
        model = Region
        fields = ["code", "nom"]


class DepartmentSerializer(serializers.ModelSerializer):
    nom = serializers.CharField(source="name")
    region = RegionSerializer()

    class Meta:
        model = Department
        fields = ["code", "nom", "region"]


class EpciSerializer(serializers.ModelSerializer):
    nom = serializers.CharField(source="name")

    class Meta:
        model = Epci
        fields = ["siren", "nom"]


class CommuneSerializer(serializers.ModelSerializer):
    code_insee = serializers.CharField(source="insee_code")
    nom = serializers.CharField(source="name")
    type = serializers.CharField(source="kind")
    departement = DepartmentSerializer(source="department")
    epci = EpciSerializer(allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Commune
        fields = ["code_insee", "nom", "type", "population", "departement", "epci", "url"]

    def get_url(self, commune):
        return self.context["request"].build_absolute_uri(f"/api/v1/communes/{commune.insee_code}/")


class CommuneReferenceSerializer(serializers.ModelSerializer):
    code_insee = serializers.CharField(source="insee_code")
    nom = serializers.CharField(source="name")

    class Meta:
        model = Commune
        fields = ["code_insee", "nom"]


class NeighbourhoodSerializer(serializers.ModelSerializer):
    nom = serializers.CharField(source="name")
    type = serializers.CharField(source="kind")
    geographie = serializers.IntegerField(source="vintage")
    renouvellement_urbain = serializers.BooleanField(source="in_renewal_programme")
    epci = EpciSerializer(allow_null=True)
    communes = CommuneReferenceSerializer(many=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Neighbourhood
        fields = [
            "code",
            "nom",
            "type",
            "geographie",
            "population",
            "renouvellement_urbain",
            "epci",
            "communes",
            "url",
        ]

    def get_url(self, neighbourhood):
        return self.context["request"].build_absolute_uri(
            f"/api/v1/neighbourhoods/{neighbourhood.code}/"
        )


class NaivePagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT


class NaiveNeighbourhoodViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Neighbourhood.objects.order_by("code")
    serializer_class = NeighbourhoodSerializer
    pagination_class = NaivePagination
    permission_classes = [AllowAny]
    throttle_classes = []
    filter_backends = []


class NaiveCommuneViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Commune.objects.order_by("insee_code")
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
