"""Read serializers of the devices app's API resources (schemes, health structures,
organisations) and the small references other resources reuse.

Rules: official codes or ``uid`` identify every row, in payloads and URLs (never an internal
id); a nested row is referenced by its code and its API URL; a person appears only through
``devices.privacy.public_contact``; a mediator post never shows its mediator or the
eligibility facts. Write serializers (issue 10, api_write) may subclass these."""

from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField

from devices.models import (
    Funding,
    GovernanceBody,
    HealthStructure,
    MediatorPost,
    Organisation,
    Role,
    Scheme,
    SchemeLink,
    SchemeSignatory,
    Thematic,
)
from devices.privacy import public_contact


@lru_cache(maxsize=1)
def _api_paths() -> dict[str, str]:
    """The API path of each resource, by the model its viewset lists (``app_label.model``).

    Read from the router's registry rather than reversed by URL name: the public pages use
    names such as ``contract-list`` and ``neighbourhood-list`` too."""
    from portal.api.urls import router

    try:
        root = reverse("api-root")
    except NoReverseMatch:  # a router without a root view
        root = "/api/v1/"
    paths = {}
    for prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None:
            paths.setdefault(queryset.model._meta.label_lower, f"{root}{prefix}/")
    return paths


def resource_url(request, model: str, code) -> str | None:
    """The API URL of a row from its model (``app_label.model``) and its public code; None
    when no API resource lists that model. Costs a string join per row, no query."""
    if code in (None, ""):
        return None
    path = _api_paths().get(model)
    if path is None:
        return None
    path = f"{path}{code}/"
    return request.build_absolute_uri(path) if request is not None else path


@extend_schema_field({"type": "string", "format": "uri", "nullable": True, "readOnly": True})
class ResourceUrlField(serializers.Field):
    """The API URL of the row named by ``code_source`` (a dotted attribute path)."""

    def __init__(self, model: str, code_source: str, **kwargs):
        self.model = model
        self.code_source = code_source
        kwargs.setdefault("read_only", True)
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, instance):
        value = instance
        for part in self.code_source.split("."):
            value = getattr(value, part, None)
            if value is None:
                return None
        return resource_url(self.context.get("request"), self.model, value)


def organisation_code(organisation: Organisation) -> str:
    """An organisation's public code: its SIREN when known, else its ``uid``."""
    return organisation.siren or str(organisation.uid)


@extend_schema_field(OpenApiTypes.STR)
class OrganisationCodeField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, organisation):
        return organisation_code(organisation)


class OrganisationUrlField(ResourceUrlField):
    def __init__(self, **kwargs):
        super().__init__("devices.organisation", "pk", **kwargs)

    def to_representation(self, organisation):
        return resource_url(
            self.context.get("request"), "devices.organisation", organisation_code(organisation)
        )


# References (code, name, URL) ----------------------------------------------------------------


class OrganisationRefSerializer(serializers.ModelSerializer):
    code = OrganisationCodeField(help_text="SIREN de l'organisation, à défaut son uid.")
    url = OrganisationUrlField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["code", "name", "acronym", "kind", "kind_label", "url"]
        read_only_fields = fields


class CommuneRefSerializer(serializers.Serializer):
    insee_code = serializers.CharField(read_only=True, help_text="Code INSEE de la commune.")
    name = serializers.CharField(read_only=True)
    url = ResourceUrlField("neighbourhoods.commune", "insee_code")


class EpciRefSerializer(serializers.Serializer):
    siren = serializers.CharField(read_only=True, help_text="SIREN de l'EPCI.")
    name = serializers.CharField(read_only=True)
    url = ResourceUrlField("neighbourhoods.epci", "siren")


class NeighbourhoodRefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Code du quartier (QP… ou QN…).")
    name = serializers.CharField(read_only=True)
    url = ResourceUrlField("neighbourhoods.neighbourhood", "code")


class SchemeRefSerializer(serializers.ModelSerializer):
    url = ResourceUrlField("devices.scheme", "uid")

    class Meta:
        model = Scheme
        fields = ["uid", "kind", "name", "url"]
        read_only_fields = fields


class ThematicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Thematic
        fields = ["code", "label"]
        read_only_fields = fields


class PublicContactSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    organisation = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)


@extend_schema_field(PublicContactSerializer(allow_null=True))
class PublicContactField(serializers.Field):
    """A person's published professional contact (``devices.privacy.public_contact``), or
    null: the one way a person leaves the back office."""

    def __init__(self, person_source: str = "person", **kwargs):
        kwargs.update(source=person_source, read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, person):
        return public_contact(person)


# Nested rows of a scheme ---------------------------------------------------------------------


class PublicRoleSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    contact = PublicContactField()

    class Meta:
        model = Role
        fields = ["kind", "kind_label", "contact"]
        read_only_fields = fields


class FundingSerializer(serializers.ModelSerializer):
    funder = OrganisationRefSerializer(read_only=True)
    programme_label = serializers.CharField(source="get_programme_display", read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)

    class Meta:
        model = Funding
        fields = [
            "uid",
            "funder",
            "year",
            "programme",
            "programme_label",
            "purpose",
            "purpose_label",
            "amount",
            "share",
            "illustrative",
        ]
        read_only_fields = fields


class MediatorPostSerializer(serializers.ModelSerializer):
    """A post, never its holder: no mediator, no eligibility facts."""

    employer = OrganisationRefSerializer(read_only=True)
    neighbourhoods = NeighbourhoodRefSerializer(many=True, read_only=True)

    class Meta:
        model = MediatorPost
        fields = [
            "uid",
            "employer",
            "neighbourhoods",
            "start_date",
            "end_date",
            "renewals",
            "state_share",
            "ars_share",
        ]
        read_only_fields = fields


class SignatorySerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = SchemeSignatory
        fields = ["organisation", "role", "role_label", "signed_on"]
        read_only_fields = fields


class OutgoingLinkSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    scheme = SchemeRefSerializer(source="target", read_only=True)

    class Meta:
        model = SchemeLink
        fields = ["kind", "kind_label", "scheme", "note"]
        read_only_fields = fields


class IncomingLinkSerializer(OutgoingLinkSerializer):
    scheme = SchemeRefSerializer(source="source", read_only=True)


class GovernanceMemberSerializer(serializers.Serializer):
    """A seat: an organisation, or a person in their role (their public contact only)."""

    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    role = serializers.CharField(source="role.kind", read_only=True, allow_null=True)
    contact = PublicContactField(person_source="role.person", allow_null=True)
    chairs = serializers.BooleanField(read_only=True)


class GovernanceBodySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = GovernanceBody
        fields = ["kind", "kind_label", "remit", "members"]
        read_only_fields = fields

    @extend_schema_field(GovernanceMemberSerializer(many=True))
    def get_members(self, body):
        # A person who did not agree to publish their contact keeps their seat unnamed: the
        # seat is left out rather than shown as an anonymous member.
        seats = [
            member
            for member in body.members.all()
            if member.organisation_id or public_contact(member.role.person) is not None
        ]
        return GovernanceMemberSerializer(seats, many=True, context=self.context).data


class TerritorySerializer(serializers.Serializer):
    communes = CommuneRefSerializer(many=True, read_only=True)
    epcis = EpciRefSerializer(many=True, read_only=True)
    neighbourhoods = NeighbourhoodRefSerializer(many=True, read_only=True)


class SchemeSerializer(serializers.ModelSerializer):
    """A published scheme with its territory, public roles, funding, posts and links."""

    url = ResourceUrlField("devices.scheme", "uid")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    participation_level_label = serializers.CharField(
        source="get_participation_level_display", read_only=True, allow_null=True
    )
    carrier = OrganisationRefSerializer(read_only=True)
    reference_hospital = OrganisationRefSerializer(read_only=True, allow_null=True)
    territory = TerritorySerializer(source="*", read_only=True)
    thematics = ThematicSerializer(many=True, read_only=True)
    roles = PublicRoleSerializer(many=True, read_only=True)
    fundings = FundingSerializer(many=True, read_only=True)
    mediator_posts = MediatorPostSerializer(many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    links = OutgoingLinkSerializer(source="outgoing_links", many=True, read_only=True)
    linked_from = IncomingLinkSerializer(source="incoming_links", many=True, read_only=True)
    governance_bodies = GovernanceBodySerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "uid",
            "url",
            "kind",
            "kind_label",
            "name",
            "status",
            "status_label",
            "stage",
            "stage_label",
            "description",
            "carrier",
            "start_date",
            "end_date",
            "signed_on",
            "generation",
            "reference_hospital",
            "coordination_fte",
            "start_year",
            "participation_level",
            "participation_level_label",
            "illustrative",
            "territory",
            "thematics",
            "roles",
            "fundings",
            "mediator_posts",
            "signatories",
            "links",
            "linked_from",
            "governance_bodies",
            "updated_at",
        ]
        read_only_fields = fields


class HealthStructureSerializer(serializers.ModelSerializer):
    url = ResourceUrlField("devices.healthstructure", "uid")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    carrier = OrganisationRefSerializer(read_only=True, allow_null=True)
    commune = CommuneRefSerializer(read_only=True)
    communes_served = CommuneRefSerializer(many=True, read_only=True)
    location = GeometryField(read_only=True, allow_null=True)

    class Meta:
        model = HealthStructure
        fields = [
            "uid",
            "url",
            "kind",
            "kind_label",
            "name",
            "carrier",
            "commune",
            "address",
            "location",
            "description",
            "communes_served",
            "population_served",
            "doctors",
            "paramedics",
            "professionals",
            "project_cost",
            "floor_area",
            "opened_on",
            "consultation_every_days",
            "updated_at",
        ]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    code = OrganisationCodeField(help_text="SIREN de l'organisation, à défaut son uid.")
    url = OrganisationUrlField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = OrganisationRefSerializer(read_only=True, allow_null=True)
    commune = CommuneRefSerializer(read_only=True, allow_null=True)
    epci = EpciRefSerializer(read_only=True, allow_null=True)
    department = serializers.CharField(
        source="department.code", read_only=True, allow_null=True, help_text="Code du département."
    )

    class Meta:
        model = Organisation
        fields = [
            "code",
            "uid",
            "siren",
            "url",
            "name",
            "acronym",
            "kind",
            "kind_label",
            "parent",
            "department",
            "commune",
            "epci",
            "website",
            "updated_at",
        ]
        read_only_fields = fields
