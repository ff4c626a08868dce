"""Public form of the territories in the partner API.

Official codes are the identifiers (``code``: INSEE code, SIREN, QPV code); related objects are
``{"code", "name", "url"}`` (``portal.api.base.CodeLinkField``), never internal ids. Regions,
departments and EPCI read their relations from the viewset's prefetches: no serializer queries
by itself.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from neighbourhoods.enums import ValueStatus
from neighbourhoods.models import (
    CitizenCouncil,
    Commune,
    Department,
    Epci,
    IndicatorValue,
    Neighbourhood,
    Region,
)
from portal.api.base import CodeLinkField, SelfUrlField

# The two resources partners read in bulk, communes and neighbourhoods, build their rows from
# ``.values()`` records (``neighbourhoods.api_rows``): their serializers here only describe the
# payload to the OpenAPI schema, and the tests pin the rows' keys to these declared fields.


UPDATED_AT_HELP = (
    "Date de la dernière modification (pour les quartiers : y compris de leurs indicateurs, "
    "familles, conseil citoyen, communes et correspondances)."
)


class RegionSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Code INSEE de la région (COG).")
    url = SelfUrlField("region-detail", "code")
    departments = CodeLinkField("department-detail", "code", many=True)

    class Meta:
        model = Region
        fields = ["code", "name", "url", "updated_at", "departments"]


class DepartmentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Code INSEE du département (COG) : 59, 2A, 971…")
    url = SelfUrlField("department-detail", "code")
    region = CodeLinkField("region-detail", "code")

    class Meta:
        model = Department
        fields = ["code", "name", "url", "updated_at", "region"]


class EpciSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="siren", help_text="SIREN de l'EPCI (9 chiffres).")
    url = SelfUrlField("epci-detail", "siren")
    nature_label = serializers.CharField(source="get_nature_display", help_text="Nature en clair.")
    communes = CodeLinkField("commune-detail", "insee_code", many=True)
    neighbourhoods = CodeLinkField("priority-neighbourhood-detail", "code", many=True)

    class Meta:
        model = Epci
        fields = [
            "code",
            "name",
            "url",
            "updated_at",
            "nature",
            "nature_label",
            "communes",
            "neighbourhoods",
        ]


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"lon": {"type": "number"}, "lat": {"type": "number"}},
        "description": "Centre de la commune en WGS84 (longitude, latitude), si connu.",
    }
)
class LonLatField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"lon": round(value.x, 6), "lat": round(value.y, 6)}


class CommuneSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="insee_code", help_text="Code INSEE de la commune.")
    url = SelfUrlField("commune-detail", "insee_code")
    kind_label = serializers.CharField(source="get_kind_display", help_text="Type en clair.")
    parent = CodeLinkField("commune-detail", "insee_code", allow_null=True)
    department = CodeLinkField("department-detail", "code")
    region = CodeLinkField("region-detail", "code", source="department.region")
    epci = CodeLinkField("epci-detail", "siren", allow_null=True)
    centroid = LonLatField(allow_null=True)
    neighbourhoods = CodeLinkField("priority-neighbourhood-detail", "code", many=True)

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


class IndicatorValueSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", help_text="Code de l'indicateur (INSEE).")
    label = serializers.CharField(source="indicator.label")
    unit = serializers.CharField(
        source="indicator.unit", help_text="percent, count, euro ou ratio."
    )
    source = serializers.CharField(source="indicator.source")
    vintage = serializers.CharField(source="indicator.vintage", help_text="Millésime de la source.")
    year = serializers.IntegerField()
    value = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        coerce_to_string=False,
        allow_null=True,
        help_text="Valeur ; null quand elle est secrète ou non disponible (jamais 0).",
    )
    secret = serializers.SerializerMethodField(
        help_text="Vrai quand l'INSEE tient la valeur secrète (trop peu d'habitants)."
    )
    status = serializers.ChoiceField(choices=ValueStatus.choices)

    class Meta:
        model = IndicatorValue
        fields = ["code", "label", "unit", "source", "vintage", "year", "value", "secret", "status"]

    def get_secret(self, obj) -> bool:
        return obj.status == ValueStatus.SECRET


class FamilySerializer(serializers.Serializer):
    typology = serializers.CharField(
        source="family.typology.code", help_text="Code de la typologie."
    )
    typology_name = serializers.CharField(source="family.typology.name")
    code = serializers.CharField(source="family.code", help_text="Code de la famille.")
    label = serializers.CharField(source="family.label")
    colour = serializers.CharField(source="family.colour", help_text="Couleur #rrggbb de l'atlas.")


class CitizenCouncilSerializer(serializers.ModelSerializer):
    """The council's public form: its own published contact, never a member's."""

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


class NeighbourhoodSerializer(serializers.ModelSerializer):
    code = serializers.CharField(help_text="Code du quartier : QP… (2015) ou QN… (2024).")
    url = SelfUrlField("priority-neighbourhood-detail", "code")
    kind_label = serializers.CharField(source="get_kind_display", help_text="Type en clair.")
    geography = serializers.IntegerField(source="vintage", help_text="Géographie : 2015 ou 2024.")
    updated_at = serializers.DateTimeField(read_only=True, help_text=UPDATED_AT_HELP)
    has_contour = serializers.BooleanField(
        read_only=True, help_text="Vrai quand le contour est connu (GeoJSON : ?format=geojson)."
    )
    epci = CodeLinkField("epci-detail", "siren", allow_null=True)
    communes = CodeLinkField("commune-detail", "insee_code", many=True)
    # The model's ``predecessors`` field reads NeighbourhoodLink from ``previous`` to
    # ``current`` (Django takes a self-referential through model's first foreign key as the
    # source): ``n.predecessors`` holds n's successors and ``n.successors`` its predecessors.
    predecessors = CodeLinkField(
        "priority-neighbourhood-detail",
        "code",
        many=True,
        source="successors",
        help_text="Quartiers de la géographie 2015 que celui-ci reprend.",
    )
    successors = CodeLinkField(
        "priority-neighbourhood-detail",
        "code",
        many=True,
        source="predecessors",
        help_text="Quartiers de la géographie 2024 qui reprennent celui-ci.",
    )
    contracts = CodeLinkField(
        "city-contract-detail",
        "code",
        many=True,
        source="city_contracts",
        help_text="Contrats de ville qui couvrent ce quartier.",
    )
    families = FamilySerializer(many=True, source="memberships", read_only=True)
    citizen_council = CitizenCouncilSerializer(allow_null=True, read_only=True)
    indicators = IndicatorValueSerializer(many=True, source="indicator_values", read_only=True)

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
