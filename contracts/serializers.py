"""Read serializers of the contracts app's API resources (city contracts with their approved
health section, published calls for projects).

The health section is read from its approved snapshot only (``contracts.review_selectors``):
a draft objective or action edited since the approval never reaches the API. The snapshot is
frozen text; it is reshaped here into a tree (orientation → objectives → priorities, each with
its actions) without the snapshot's internal keys."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from contracts.api_selectors import approved_sections
from contracts.enums import ProposalDecision
from contracts.models import CallForProjects, CityContract, Proposal, Signatory
from devices.serializers import (
    OrganisationRefSerializer,
    PointLonLatField,
    commune_link,
    neighbourhood_link,
)
from portal.api.base import CodeLinkField, SelfUrlField, api_url

# Snapshot field names (French, as the review displays them) → API names.
SECTION_FIELDS = {
    "intitulé": "title",
    "étape du projet": "stage",
    "constitué par": "constituted_by",
    "diagnostics": "diagnoses",
}
ACTION_FIELDS = {
    "intitulé": "title",
    "description": "description",
    "porteur": "carrier",
    "statut": "status",
    "participation visée": "participation_aimed",
    "participation atteinte": "participation_reached",
    "années": "years",
}


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in (text or "").split(separator) if part.strip()]


def section_from_snapshot(snapshot: dict, context: dict) -> dict:
    """The approved section as the API shows it: its fields, then its tree."""
    fields = snapshot.get("section", {})
    section = {name: fields.get(key, "") for key, name in SECTION_FIELDS.items()}
    section["contributing_schemes"] = _split(fields.get("dispositifs contributeurs", ""), ",")
    section["orientations"] = []
    stack: list[tuple[int, dict]] = []
    for node in snapshot.get("nodes", []):
        depth = node.get("depth", 0)
        values = node.get("fields", {})
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if node.get("kind") == "objective":
            number = values.get("numéro", "")
            item = {
                "number": number,
                "level": len(number.split(".")) if number else depth + 1,
                "level_label": values.get("niveau", ""),
                "title": values.get("intitulé", ""),
                "description": values.get("description", ""),
                "actions": [],
                "objectives": [],
            }
            (stack[-1][1]["objectives"] if stack else section["orientations"]).append(item)
            stack.append((depth, item))
        elif node.get("kind") == "action" and stack:
            action = {name: values.get(key, "") for key, name in ACTION_FIELDS.items()}
            action["schemes"] = _split(values.get("dispositifs", ""), ",")
            action["neighbourhoods"] = [
                {"code": code, "url": api_url(context, "priority-neighbourhood-detail", code)}
                for code in _split(values.get("quartiers", ""), ",")
            ]
            action["fundings"] = _split(values.get("financements", ""), ";")
            stack[-1][1]["actions"].append(action)
    return section


# Schema of the section tree, for the OpenAPI documentation (the tree nests three levels below
# an orientation; the schema names the same shape recursively in words).
ACTION_SCHEMA = inline_serializer(
    "ApprovedAction",
    {
        "title": serializers.CharField(),
        "description": serializers.CharField(),
        "carrier": serializers.CharField(help_text="Nom du porteur tel que validé."),
        "status": serializers.CharField(help_text="Statut tel que validé (libellé)."),
        "participation_aimed": serializers.CharField(),
        "participation_reached": serializers.CharField(),
        "years": serializers.CharField(help_text="Années de début et de fin (ex. 2016–2018)."),
        "schemes": serializers.ListField(child=serializers.CharField()),
        "neighbourhoods": serializers.ListField(
            child=serializers.DictField(), help_text="Codes et adresses des quartiers ciblés."
        ),
        "fundings": serializers.ListField(child=serializers.CharField()),
    },
)


def _objective_schema(name: str, children):
    fields = {
        "number": serializers.CharField(help_text="Numéro (ex. 2.1.3)."),
        "level": serializers.IntegerField(
            help_text="1 orientation, 2 objectif stratégique, 3 objectif opérationnel, "
            "4 priorité d'intervention."
        ),
        "level_label": serializers.CharField(),
        "title": serializers.CharField(),
        "description": serializers.CharField(),
        "actions": ACTION_SCHEMA.__class__(many=True),
    }
    fields["objectives"] = (
        children.__class__(many=True)
        if children is not None
        else serializers.ListField(child=serializers.DictField())
    )
    return inline_serializer(name, fields)


PRIORITY_SCHEMA = _objective_schema("ApprovedPriority", None)
OPERATIONAL_SCHEMA = _objective_schema("ApprovedOperationalObjective", PRIORITY_SCHEMA)
STRATEGIC_SCHEMA = _objective_schema("ApprovedStrategicObjective", OPERATIONAL_SCHEMA)
ORIENTATION_SCHEMA = _objective_schema("ApprovedOrientation", STRATEGIC_SCHEMA)
SECTION_SCHEMA = inline_serializer(
    "ApprovedHealthSection",
    {
        "title": serializers.CharField(),
        "stage": serializers.CharField(help_text="Étape du projet (libellé)."),
        "constituted_by": serializers.CharField(help_text="Dispositif qui le constitue."),
        "diagnoses": serializers.CharField(),
        "contributing_schemes": serializers.ListField(child=serializers.CharField()),
        "orientations": ORIENTATION_SCHEMA.__class__(many=True),
    },
    allow_null=True,
)


class ContractSignatorySerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Signatory
        fields = ["organisation", "role", "role_label", "signed_on"]
        read_only_fields = fields


class CallRefSerializer(serializers.ModelSerializer):
    url = SelfUrlField("call-for-projects-detail", "uid")

    class Meta:
        model = CallForProjects
        fields = ["uid", "year", "title", "url"]
        read_only_fields = fields


def remember_approved_sections(context: dict, contracts) -> None:
    """Reads the approved sections of these contracts at once (one query) for the serializer
    to find: a page, or a chunk of an export."""
    known = context.setdefault("approved_sections", {})
    known.update(dict.fromkeys((c.code for c in contracts), None))
    known.update(approved_sections(contracts))


class ContractListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        contracts = list(data.all() if hasattr(data, "all") else data)
        remember_approved_sections(self.child.context, contracts)
        return super().to_representation(contracts)


class ContractSerializer(serializers.ModelSerializer):
    """Contrat de ville : signataires, communes, quartiers et volet santé tel que validé par
    l'ARS (null tant qu'aucune version n'a été validée)."""

    url = SelfUrlField("city-contract-detail", "code")
    generation_label = serializers.CharField(source="get_generation_display", read_only=True)
    carrier = serializers.SerializerMethodField()
    department = serializers.CharField(
        source="department.code", read_only=True, allow_null=True, help_text="Code du département."
    )
    communes = commune_link(many=True)
    neighbourhoods = neighbourhood_link(many=True)
    signatories = ContractSignatorySerializer(many=True, read_only=True)
    location = PointLonLatField(allow_null=True)
    health_section = serializers.SerializerMethodField()
    calls_for_projects = CallRefSerializer(source="published_calls", many=True, read_only=True)

    class Meta:
        model = CityContract
        list_serializer_class = ContractListSerializer
        fields = [
            "code",
            "url",
            "name",
            "generation",
            "generation_label",
            "carrier",
            "department",
            "signed_on",
            "description",
            "communes",
            "neighbourhoods",
            "signatories",
            "location",
            "health_section",
            "calls_for_projects",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "ContractCarrier",
            {
                "kind": serializers.CharField(help_text="epci, commune ou other."),
                "code": serializers.CharField(
                    help_text="SIREN de l'EPCI ou code INSEE de la commune porteuse."
                ),
                "name": serializers.CharField(),
                "url": serializers.URLField(allow_null=True),
            },
        )
    )
    def get_carrier(self, contract):
        if contract.carrier_epci_id:
            epci = contract.carrier_epci
            return {
                "kind": contract.carrier_kind,
                "code": epci.siren,
                "name": epci.name,
                "url": api_url(self.context, "epci-detail", epci.siren),
            }
        if contract.carrier_commune_id:
            commune = contract.carrier_commune
            return {
                "kind": contract.carrier_kind,
                "code": commune.insee_code,
                "name": commune.name,
                "url": api_url(self.context, "commune-detail", commune.insee_code),
            }
        return {
            "kind": contract.carrier_kind,
            "code": contract.carrier_code,
            "name": "",
            "url": None,
        }

    @extend_schema_field(SECTION_SCHEMA)
    def get_health_section(self, contract):
        if contract.code not in self.context.get("approved_sections", {}):
            remember_approved_sections(self.context, [contract])
        snapshot = self.context["approved_sections"][contract.code]
        if snapshot is None:
            return None
        return section_from_snapshot(snapshot, self.context)


class PublicProposalSerializer(serializers.ModelSerializer):
    """Proposition décidée : retenue avec le montant accordé, ou non retenue avec le motif
    publié. Les avis techniques ne sont pas publiés."""

    carrier = OrganisationRefSerializer(read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "title",
            "description",
            "carrier",
            "is_health",
            "decision",
            "decision_label",
            "decision_reason",
            "amount_asked",
            "amount_granted",
        ]
        read_only_fields = fields


class CallSummarySerializer(serializers.Serializer):
    proposals = serializers.IntegerField(help_text="Propositions reçues (toutes).")
    retained = serializers.IntegerField()
    not_retained = serializers.IntegerField()
    pending = serializers.IntegerField()
    amount_granted = serializers.DecimalField(max_digits=14, decimal_places=2)


class CallForProjectsSerializer(serializers.ModelSerializer):
    url = SelfUrlField("call-for-projects-detail", "uid")
    contract = CodeLinkField("city-contract-detail", "code")
    funder = OrganisationRefSerializer(read_only=True)
    programme_label = serializers.CharField(source="get_programme_display", read_only=True)
    orientations = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    proposals = serializers.SerializerMethodField()

    class Meta:
        model = CallForProjects
        fields = [
            "uid",
            "url",
            "contract",
            "year",
            "title",
            "budget",
            "funder",
            "programme",
            "programme_label",
            "opens_on",
            "closes_on",
            "orientations",
            "summary",
            "proposals",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_orientations(self, call):
        # Numbers only: the orientations' wording is read from the approved section.
        return sorted(o.number for o in call.orientations.all())

    @extend_schema_field(CallSummarySerializer)
    def get_summary(self, call):
        proposals = call.proposals.all()
        decided = dict.fromkeys(ProposalDecision.values, 0)
        for proposal in proposals:
            decided[proposal.decision] += 1
        summary = {
            "proposals": len(proposals),
            "retained": decided[ProposalDecision.RETAINED],
            "not_retained": decided[ProposalDecision.NOT_RETAINED],
            "pending": decided[ProposalDecision.PENDING],
            "amount_granted": sum(
                (p.amount_granted for p in proposals if p.amount_granted is not None), Decimal(0)
            ),
        }
        return CallSummarySerializer(summary).data

    @extend_schema_field(PublicProposalSerializer(many=True))
    def get_proposals(self, call):
        decided = [p for p in call.proposals.all() if p.decision != ProposalDecision.PENDING]
        return PublicProposalSerializer(decided, many=True, context=self.context).data
