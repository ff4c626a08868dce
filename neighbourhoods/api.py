"""This app's resources in the partner API (/api/v1/): the territories, read-only.

regions, departments, epci, communes, neighbourhoods (with indicators, typology families,
citizen council, 2015↔2024 links, communes, EPCI, contracts), and the point lookup
``neighbourhoods/locate/``. Each resource is read in a fixed number of queries, whatever the
page size: regions, departments and EPCI through their serializers and prefetches, communes and
neighbourhoods (read in bulk by partners) from ``.values()`` records (``api_rows``).
"""

import math

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from neighbourhoods import api_filters, api_rows, serializers
from neighbourhoods.enums import Geography
from neighbourhoods.models import (
    Commune,
    Department,
    Epci,
    Neighbourhood,
    Region,
)
from neighbourhoods.selectors import locate_points
from portal.api import renderers
from portal.api.base import PublicReadViewSet, api_url

TAG = "Territoires"
MAX_POINTS = 1000


def _links(model, code: str, *extra: str):
    """The queryset of a ``CodeLinkField`` prefetch: only the code and the name (and the
    foreign keys the prefetch joins on)."""
    return model.objects.only(code, "name", *extra).order_by(code)


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class RegionViewSet(PublicReadViewSet):
    """Régions (code officiel géographique de l'INSEE), avec leurs départements."""

    resource_name = "regions"
    not_found_message = "Aucune région n'a le code « {code} »."
    lookup_field = "code"
    serializer_class = serializers.RegionSerializer
    filterset_class = api_filters.RegionFilter
    ordering = ("code", "pk")
    ordering_fields = ("code", "name", "updated_at")
    search_fields = ("code", "name")
    export_columns = [
        ("code", "Code INSEE"),
        ("name", "Nom"),
        ("departments.code", "Départements (codes)"),
        ("updated_at", "Modifiée le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return Region.objects.prefetch_related(
            Prefetch("departments", queryset=_links(Department, "code", "region_id"))
        )


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class DepartmentViewSet(PublicReadViewSet):
    """Départements (code officiel géographique de l'INSEE), avec leur région."""

    resource_name = "departments"
    not_found_message = "Aucun département n'a le code « {code} »."
    lookup_field = "code"
    serializer_class = serializers.DepartmentSerializer
    filterset_class = api_filters.DepartmentFilter
    ordering = ("code", "pk")
    ordering_fields = ("code", "name", "updated_at")
    search_fields = ("code", "name")
    export_columns = [
        ("code", "Code INSEE"),
        ("name", "Nom"),
        ("region.code", "Région (code)"),
        ("region.name", "Région"),
        ("updated_at", "Modifié le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return Department.objects.select_related("region")


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class EpciViewSet(PublicReadViewSet):
    """EPCI à fiscalité propre (DGCL), identifiés par leur SIREN, avec leurs communes et leurs
    quartiers prioritaires."""

    resource_name = "epci"
    not_found_message = "Aucun EPCI n'a le SIREN « {code} »."
    lookup_field = "siren"
    serializer_class = serializers.EpciSerializer
    filterset_class = api_filters.EpciFilter
    ordering = ("siren", "pk")
    ordering_fields = ("code", "name", "updated_at")
    ordering_aliases = {"code": "siren"}
    search_fields = ("siren", "name")
    export_columns = [
        ("code", "SIREN"),
        ("name", "Nom"),
        ("nature_label", "Nature"),
        ("communes.code", "Communes (codes INSEE)"),
        ("neighbourhoods.code", "Quartiers (codes)"),
        ("updated_at", "Modifié le"),
        ("url", "Adresse dans l'API"),
    ]

    def get_queryset(self):
        return Epci.objects.prefetch_related(
            Prefetch("communes", queryset=_links(Commune, "insee_code", "epci_id")),
            Prefetch("neighbourhoods", queryset=_links(Neighbourhood, "code", "epci_id")),
        )


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class CommuneViewSet(PublicReadViewSet):
    """Communes et arrondissements municipaux (COG de l'INSEE), avec leur département, leur
    région, leur EPCI, leur centre et leurs quartiers prioritaires. En GeoJSON
    (?format=geojson), un point par commune : son centre."""

    resource_name = "communes"
    not_found_message = "Aucune commune n'a le code INSEE « {code} »."
    lookup_field = "insee_code"
    serializer_class = serializers.CommuneSerializer
    filterset_class = api_filters.CommuneFilter
    ordering = ("insee_code", "pk")
    ordering_fields = ("code", "name", "updated_at")
    ordering_aliases = {"code": "insee_code"}
    search_fields = ("insee_code", "name")
    export_columns = [
        ("code", "Code INSEE"),
        ("name", "Nom"),
        ("kind_label", "Type"),
        ("population", "Population municipale"),
        ("parent.code", "Commune parente (code INSEE)"),
        ("department.code", "Département (code)"),
        ("department.name", "Département"),
        ("region.code", "Région (code)"),
        ("region.name", "Région"),
        ("epci.code", "EPCI (SIREN)"),
        ("epci.name", "EPCI"),
        ("centroid.lon", "Longitude du centre"),
        ("centroid.lat", "Latitude du centre"),
        ("neighbourhoods.code", "Quartiers (codes)"),
        ("updated_at", "Modifiée le"),
        ("url", "Adresse dans l'API"),
    ]

    record_fields = api_rows.COMMUNE_FIELDS

    def get_queryset(self):
        return Commune.objects.all()

    def build_rows(self, records):
        return api_rows.commune_rows(records, self.get_serializer_context())

    def geo_feature(self, obj, row):
        properties = {
            renderers.property_name(path): renderers.flatten(row, path)
            for path, _ in self.export_columns
            if not path.startswith("centroid.")
        }
        return {
            "type": "Feature",
            "id": obj["insee_code"],
            "geometry": renderers.geometry(obj["centroid"]),
            "properties": properties,
        }


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class NeighbourhoodViewSet(PublicReadViewSet):
    """Quartiers prioritaires de la politique de la ville (QPV) et quartiers de veille active,
    géographies 2015 et 2024, avec leurs indicateurs (une valeur secrète est null avec
    « secret »: true, jamais 0), leurs familles de typologie, leur conseil citoyen, leurs
    correspondances 2015↔2024, leurs communes, leur EPCI et les contrats de ville qui les
    couvrent. En GeoJSON (?format=geojson), le contour simplifié ; un quartier 2024 sans
    contour connu est un point au centre de sa commune, avec « approximate »: true."""

    resource_name = "neighbourhoods"
    # The batch point lookup reads through POST: anyone may call it, like a GET.
    read_only_post_actions = ("locate",)
    not_found_message = "Aucun quartier n'a le code « {code} »."
    lookup_field = "code"
    serializer_class = serializers.NeighbourhoodSerializer
    filterset_class = api_filters.NeighbourhoodFilter
    ordering = ("code", "pk")
    ordering_fields = ("code", "name", "updated_at")
    search_fields = ("code", "name")
    base_columns = [
        ("code", "Code du quartier"),
        ("name", "Nom"),
        ("kind_label", "Type"),
        ("geography", "Géographie"),
        ("population", "Population"),
        ("in_renewal_programme", "Renouvellement urbain (NPNRU)"),
        ("epci.code", "EPCI (SIREN)"),
        ("epci.name", "EPCI"),
        ("communes.code", "Communes (codes INSEE)"),
        ("communes.name", "Communes"),
        ("predecessors.code", "Quartiers 2015 repris (codes)"),
        ("successors.code", "Quartiers 2024 successeurs (codes)"),
        ("contracts.code", "Contrats de ville (codes)"),
        ("families.label", "Familles de typologie"),
        ("citizen_council.name", "Conseil citoyen"),
        ("updated_at", "Modifié le"),
        ("url", "Adresse dans l'API"),
    ]

    @property
    def export_columns(self):
        """The base columns, then one column per indicator found in the rows' values (latest
        year): read once per export, not per row."""
        return self.base_columns + [
            (f"indicator_values.{code}", f"{label} ({code})")
            for code, label in self.indicator_columns()
        ]

    def indicator_columns(self):
        if not hasattr(self, "_indicator_columns"):
            from neighbourhoods.models import Indicator

            self._indicator_columns = list(
                Indicator.objects.filter(values__isnull=False)
                .distinct()
                .order_by("code")
                .values_list("code", "label")
            )
        return self._indicator_columns

    record_fields = api_rows.NEIGHBOURHOOD_FIELDS

    def get_queryset(self):
        return Neighbourhood.objects.annotate(
            has_contour=ExpressionWrapper(Q(contour__isnull=False), output_field=BooleanField())
        )

    def geojson(self) -> bool:
        return getattr(getattr(self.request, "accepted_renderer", None), "format", "") == "geojson"

    def get_record_fields(self):
        # The simplified contour is only read by the GeoJSON export; never in JSON.
        return self.record_fields + (("contour_simplified",) if self.geojson() else ())

    def build_rows(self, records):
        return api_rows.neighbourhood_rows(
            records, self.get_serializer_context(), centroids=self.geojson()
        )

    def rows(self, objects):
        for obj, row in super().rows(objects):
            if self.request.accepted_renderer.format != "geojson":
                row = dict(row)
                row["indicator_values"] = latest_values(row["indicators"])
            yield obj, row

    def geo_feature(self, obj, row):
        geometry = renderers.geometry(obj["contour_simplified"])
        approximate = False
        if geometry is None and obj["vintage"] == Geography.G2024:
            geometry = renderers.geometry(obj["commune_centroid"])
            approximate = geometry is not None
        properties = {
            renderers.property_name(path): renderers.flatten(row, path)
            for path, _ in self.base_columns
        }
        properties["approximate"] = approximate
        return {
            "type": "Feature",
            "id": obj["code"],
            "geometry": geometry,
            "properties": properties,
        }

    # Point lookup

    @extend_schema(
        tags=[TAG],
        summary="Quel quartier contient ce point ?",
        description=(
            "GET : un point (?lon=&lat=, WGS84). POST : jusqu'à 1 000 points en une requête, "
            '{"points": [[lon, lat], …]} ; POST est ici une lecture, permise sans jeton. '
            "Un point sur la limite de deux quartiers les donne tous les deux ; hors de tout "
            "quartier, la liste est vide. Seuls les quartiers dont le contour est connu sont "
            "trouvés."
        ),
        parameters=[
            OpenApiParameter(
                "lon", OpenApiTypes.DOUBLE, description="Longitude WGS84 (GET).", required=False
            ),
            OpenApiParameter(
                "lat", OpenApiTypes.DOUBLE, description="Latitude WGS84 (GET).", required=False
            ),
        ],
        request=inline_serializer(
            "LocateRequest",
            {
                "points": drf_serializers.ListField(
                    child=drf_serializers.ListField(
                        child=drf_serializers.FloatField(), min_length=2, max_length=2
                    ),
                    max_length=MAX_POINTS,
                    help_text="Points [longitude, latitude] en WGS84, 1 000 au plus.",
                )
            },
        ),
        responses=inline_serializer(
            "LocateResponse",
            {
                "results": inline_serializer(
                    "LocatedPoint",
                    {
                        "index": drf_serializers.IntegerField(
                            help_text="Rang du point dans la demande."
                        ),
                        "point": drf_serializers.ListField(child=drf_serializers.FloatField()),
                        "neighbourhoods": inline_serializer(
                            "LocatedNeighbourhood",
                            {
                                "code": drf_serializers.CharField(),
                                "name": drf_serializers.CharField(),
                                "url": drf_serializers.URLField(),
                                "geography": drf_serializers.IntegerField(),
                            },
                            many=True,
                        ),
                    },
                    many=True,
                )
            },
        ),
        examples=[
            OpenApiExample(
                "Deux points",
                value={"points": [[3.0573, 50.6292], [3.5234, 50.3579]]},
                request_only=True,
            )
        ],
        filters=False,
    )
    @action(
        detail=False,
        methods=["get", "post"],
        url_path="locate",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer],
        parser_classes=[JSONParser],
        # A lookup is a read, by GET or by POST: anonymous clients may use both (the viewset's
        # ``read_only_post_actions``). Session users still need the CSRF token (DRF's
        # SessionAuthentication enforces it).
    )
    def locate(self, request, *args, **kwargs):
        if request.method == "POST":
            points = parse_points(request.data)
        else:
            points = [parse_get_point(request.query_params)]
        found = locate_points(points)
        codes = {code for matched in found.values() for code in matched}
        known = (
            {
                code: (name, vintage)
                for code, name, vintage in Neighbourhood.objects.filter(code__in=codes).values_list(
                    "code", "name", "vintage"
                )
            }
            if codes
            else {}
        )
        context = self.get_serializer_context()
        results = [
            {
                "index": index,
                "point": list(point),
                "neighbourhoods": [
                    {
                        "code": code,
                        "name": known.get(code, ("", None))[0],
                        "url": api_url(context, "priority-neighbourhood-detail", code),
                        "geography": known.get(code, ("", None))[1],
                    }
                    for code in found[index]
                ],
            }
            for index, point in enumerate(points)
        ]
        return Response({"results": results})


def latest_values(indicators: list[dict]) -> dict:
    """Indicator code → its latest value, as an export cell: the number, « secret » for a
    secret value, empty when missing."""
    values = {}
    for item in indicators:  # ordered by code, then latest year first
        if item["code"] in values:
            continue
        values[item["code"]] = "secret" if item["secret"] else item["value"]
    return values


def _coordinate(value, low: float, high: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name} doit être un nombre")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} doit être un nombre (reçu : {str(value)[:20]!r})") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name} doit être comprise entre {low:g} et {high:g}")
    return number


def _point(value) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError("un point s'écrit [longitude, latitude]")
    return (
        _coordinate(value[0], -180, 180, "la longitude"),
        _coordinate(value[1], -90, 90, "la latitude"),
    )


def parse_get_point(params) -> tuple[float, float]:
    errors = {}
    point = []
    for name, label, bound in (("lon", "La longitude", 180), ("lat", "La latitude", 90)):
        raw = params.get(name)
        if raw is None or not raw.strip():
            errors[name] = [f"{label} est obligatoire (WGS84, ex. lon=3.0573&lat=50.6292)."]
            continue
        try:
            point.append(_coordinate(raw.strip(), -bound, bound, label.lower()))
        except ValueError as error:
            errors[name] = [f"{str(error)[0].upper()}{str(error)[1:]}."]
    if errors:
        raise ValidationError(errors)
    return (point[0], point[1])


def parse_points(data) -> list[tuple[float, float]]:
    if not isinstance(data, dict) or not isinstance(data.get("points"), list):
        raise ValidationError(
            {"points": ['Attendu un objet JSON {"points": [[longitude, latitude], …]}.']}
        )
    raw = data["points"]
    if not raw:
        raise ValidationError({"points": ["La liste de points est vide."]})
    if len(raw) > MAX_POINTS:
        raise ValidationError(
            {"points": [f"Au plus {MAX_POINTS} points par requête (reçu : {len(raw)})."]}
        )
    points, errors = [], {}
    for index, value in enumerate(raw):
        try:
            points.append(_point(value))
        except ValueError as error:
            errors[str(index)] = [f"Point n° {index} : {error}."]
    if errors:
        raise ValidationError({"points": errors})
    return points


def register(router):
    """Adds this app's viewsets to the API router (portal/api/urls.py)."""
    router.register("regions", RegionViewSet, basename="region")
    router.register("departments", DepartmentViewSet, basename="department")
    router.register("epci", EpciViewSet, basename="epci")
    router.register("communes", CommuneViewSet, basename="commune")
    # Not "neighbourhood": the public list page is already named "neighbourhood-list".
    router.register("neighbourhoods", NeighbourhoodViewSet, basename="priority-neighbourhood")
