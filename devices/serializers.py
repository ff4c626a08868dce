"""Read serializers of the devices app's API resources (schemes, health structures,
organisations) and the small references other resources reuse.

Rules: official codes or ``uid`` identify every row, in payloads and URLs (never an internal
id); a nested row is referenced by its code and its API URL; a person appears only through
``devices.privacy.public_contact``; a mediator post never shows its mediator or the
eligibility facts. Write serializers (issue 10, api_write) may subclass these."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
from portal.api.base import CodeLinkField, SelfUrlField, api_url


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"lon": {"type": "number"}, "lat": {"type": "number"}},
        "description": "Localisation en WGS84 (longitude, latitude), si connue.",
    }
)
class PointLonLatField(serializers.Field):
    """A point as ``{"lon", "lat"}``, as the territories' resources give a commune's centre."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"lon": round(value.x, 6), "lat": round(value.y, 6)}


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


@extend_schema_field({"type": "string", "format": "uri", "readOnly": True})
class OrganisationUrlField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, organisation):
        return api_url(self.context, "organisation-detail", organisation_code(organisation))


# References (code, name, URL) ----------------------------------------------------------------


class OrganisationRefSerializer(serializers.ModelSerializer):
    code = OrganisationCodeField(help_text="SIREN de l'organisation, à défaut son uid.")
    url = OrganisationUrlField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["code", "name", "acronym", "kind", "kind_label", "url"]
        read_only_fields = fields


def commune_link(**kwargs):
    return CodeLinkField("commune-detail", "insee_code", **kwargs)


def epci_link(**kwargs):
    return CodeLinkField("epci-detail", "siren", **kwargs)


def neighbourhood_link(**kwargs):
    return CodeLinkField("priority-neighbourhood-detail", "code", **kwargs)


class SchemeRefSerializer(serializers.ModelSerializer):
    """Dispositif lié : son uid (code), son type, son nom et son adresse dans l'API."""

    code = serializers.UUIDField(source="uid", read_only=True, help_text="uid du dispositif.")
    url = SelfUrlField("scheme-detail", "uid")

    class Meta:
        model = Scheme
        fields = ["code", "kind", "name", "url"]
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
    """Poste d'adulte-relais médiateur santé : le poste, jamais la personne qui l'occupe
    ni son éligibilité."""

    employer = OrganisationRefSerializer(read_only=True)
    neighbourhoods = neighbourhood_link(many=True)

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
    """Siège d'une instance : une organisation, ou une personne dans son rôle (seulement le
    contact professionnel qu'elle a accepté de publier)."""

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
    communes = commune_link(many=True)
    epcis = epci_link(many=True)
    neighbourhoods = neighbourhood_link(many=True)


class SchemeSerializer(serializers.ModelSerializer):
    """Dispositif publié : territoire, rôles publics, financements, postes et liens."""

    url = SelfUrlField("scheme-detail", "uid")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    # Declared: a read-only model field loses allow_blank, and the schema then refused "".
    stage = serializers.ChoiceField(
        choices=Scheme._meta.get_field("stage").choices,
        allow_blank=True,
        read_only=True,
        help_text="Étape du projet (vide si non renseignée).",
    )
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
    url = SelfUrlField("health-structure-detail", "uid")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    carrier = OrganisationRefSerializer(read_only=True, allow_null=True)
    commune = commune_link()
    communes_served = commune_link(many=True)
    location = PointLonLatField(allow_null=True)

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
    # Not a URLField: an organisation without a website has "" (the schema's uri refused it).
    website = serializers.CharField(read_only=True, help_text="Site web (vide si inconnu).")
    parent = OrganisationRefSerializer(read_only=True, allow_null=True)
    commune = commune_link(allow_null=True)
    epci = epci_link(allow_null=True)
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
