"""Actions of health sections and their funding lines through the partner API (read and write).

Writes take the admin's path (``devices.api_write``: the admin's form, the territory policy,
history, If-Match) and the review's: changing the content of an approved section sends it back
to draft through ``contracts.review_services.health_section_content_changed``, so the change
is reviewed in a new round while the public keeps reading the approved version.

Reads: anonymous visitors and read tokens see the approved version only, as frozen in the last
approved round (``contracts.review_selectors.published_snapshots``), never the draft edited
since; writers read the drafts of every section.
"""

import re

from rest_framework import serializers

from contracts.enums import ActionStatus
from contracts.models import Action, ActionFunding, CityContract, Objective
from contracts.review_selectors import published_snapshots
from contracts.review_services import health_section_content_changed
from contracts.review_snapshot import FUNDING_SEPARATOR, funding_label
from devices.api_write import (
    AdminValidatedSerializer,
    CodeRelatedField,
    FundingLineSerializer,
    UidRelatedField,
    WritableViewSet,
    is_writer,
    shares_schema,
)
from devices.enums import ParticipationLevel
from devices.models import Organisation, Scheme
from neighbourhoods.models import Neighbourhood

STATUS_BY_LABEL = {label: value for value, label in ActionStatus.choices}
LEVEL_BY_LABEL = {label: value for value, label in ParticipationLevel.choices}
YEARS = re.compile(r"^(\d{4}|\?)–(\d{4}|\?)$")


def published_actions(request) -> dict[int, dict]:
    """Each action of an approved version, by id: its frozen fields and its objective's number
    there. Read once per request."""
    cache = getattr(request, "_published_actions", None)
    if cache is None:
        cache = {}
        for snapshot in published_snapshots().values():
            objective_at_depth: dict[int, str] = {}
            for node in snapshot.get("nodes", []):
                kind, _, pk = node["key"].partition(":")
                if kind == "objective":
                    objective_at_depth[node["depth"]] = node["fields"].get("numéro", "")
                elif kind == "action" and pk.isdigit():
                    cache[int(pk)] = {
                        "fields": node["fields"],
                        "objective": objective_at_depth.get(node["depth"] - 1, ""),
                    }
        request._published_actions = cache
    return cache


def _years(text: str) -> tuple[int | None, int | None]:
    match = YEARS.match(text or "")
    if not match:
        return None, None
    return tuple(None if part == "?" else int(part) for part in match.groups())


# Actions -------------------------------------------------------------------------------------


class WritableActionSerializer(AdminValidatedSerializer):
    """An action of a health section, under one objective (named by its contract's code and
    its number)."""

    contract = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CityContract.objects.all(),
        source="objective.section.contract",
        help_text="Code du contrat de ville dont le volet santé porte l'action.",
    )
    objective = serializers.CharField(
        source="objective.number",
        max_length=20,
        help_text="Numéro de l'objectif de l'action dans le volet santé (ex. 2.1.3).",
    )
    carrier = UidRelatedField(
        queryset=Organisation.objects.all(),
        allow_null=True,
        required=False,
        help_text="Identifiant (uid) de l'organisation porteuse.",
    )
    carrier_name = serializers.SerializerMethodField(help_text="Nom du porteur.")
    schemes = UidRelatedField(
        many=True,
        queryset=Scheme.objects.all(),
        required=False,
        help_text="Identifiants (uid) des dispositifs mobilisés.",
    )
    neighbourhoods = CodeRelatedField(
        many=True,
        queryset=Neighbourhood.objects.all(),
        required=False,
        help_text="Codes des quartiers ciblés (QPV).",
    )

    form_fields = (
        "objective",
        "title",
        "description",
        "carrier",
        "schemes",
        "neighbourhoods",
        "participation_aimed",
        "participation_reached",
        "illustrative",
        "status",
        "start_year",
        "end_year",
    )

    class Meta:
        model = Action
        fields = (
            "uid",
            "contract",
            "objective",
            "title",
            "description",
            "carrier",
            "carrier_name",
            "schemes",
            "neighbourhoods",
            "status",
            "participation_aimed",
            "participation_reached",
            "start_year",
            "end_year",
            "illustrative",
            "updated_at",
        )
        read_only_fields = ("uid", "updated_at")

    def get_carrier_name(self, action) -> str:
        return action.carrier.name if action.carrier_id else ""

    def validate(self, attrs):
        # The objective is named by the contract and its number: resolved to the row here.
        objective_data = attrs.pop("objective", None)
        contract = (objective_data or {}).get("section", {}).get("contract")
        number = (objective_data or {}).get("number")
        current = self.instance.objective if self.instance is not None else None
        if contract is None and number is None and current is None:
            raise serializers.ValidationError(
                {"objective": ["Indiquez le contrat et le numéro de l'objectif."]}
            )
        if contract is not None or number is not None:
            if contract is None and current is None:
                raise serializers.ValidationError(
                    {"contract": ["Indiquez le contrat de ville de l'action."]}
                )
            if number is None and current is None:
                raise serializers.ValidationError(
                    {"objective": ["Indiquez le numéro de l'objectif."]}
                )
            contract_id = contract.pk if contract is not None else current.section.contract_id
            number = number if number is not None else current.number
            objective = Objective.objects.filter(
                section__contract_id=contract_id, number=number
            ).first()
            if objective is None:
                raise serializers.ValidationError(
                    {"objective": [f"Le volet santé de ce contrat n'a pas d'objectif {number}."]}
                )
            if current is not None and objective.section_id != current.section_id:
                raise serializers.ValidationError(
                    {"contract": ["Une action ne change pas de volet santé."]}
                )
            attrs["objective"] = objective
        return super().validate(attrs)

    def after_save(self, instance, user) -> None:
        health_section_content_changed(section=instance.objective.section, user=user)

    def to_representation(self, action):
        data = super().to_representation(action)
        request = self.context.get("request")
        if request is None or is_writer(request):
            return data
        return _as_published(data, action, published_actions(request).get(action.pk))


def _as_published(data: dict, action: Action, published: dict | None) -> dict:
    """The action as the ARS approved it: the frozen fields replace the draft's."""
    if published is None:
        return data
    frozen = published["fields"]
    start, end = _years(frozen.get("années", ""))
    carrier_label = frozen.get("porteur", "")
    scheme_labels = {label.strip() for label in frozen.get("dispositifs", "").split(",")}
    data.update(
        objective=published["objective"],
        title=frozen.get("intitulé", ""),
        description=frozen.get("description", ""),
        status=STATUS_BY_LABEL.get(frozen.get("statut"), data["status"]),
        participation_aimed=LEVEL_BY_LABEL.get(frozen.get("participation visée")),
        participation_reached=LEVEL_BY_LABEL.get(frozen.get("participation atteinte")),
        start_year=start,
        end_year=end,
        carrier=str(action.carrier.uid)
        if action.carrier_id and str(action.carrier) == carrier_label
        else None,
        carrier_name=carrier_label,
        schemes=[str(s.uid) for s in action.schemes.all() if str(s) in scheme_labels],
        neighbourhoods=[code for code in frozen.get("quartiers", "").split(", ") if code],
    )
    return data


@shares_schema
class ActionViewSet(WritableViewSet):
    """Actions des volets santé. Sans jeton ou avec un jeton en lecture : la version validée
    par l'ARS seulement (les modifications ultérieures attendent la validation suivante).

    Écriture (POST, PATCH) : jeton en lecture-écriture de la coordination du territoire. Une
    modification d'un volet santé validé le remet en brouillon pour un nouveau tour de
    relecture ; la version publiée reste la version validée jusqu'à la prochaine validation."""

    api_tag = "Contrats de ville"
    serializer_class = WritableActionSerializer
    queryset = Action.objects.none()  # for the OpenAPI schema; reads use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Action.objects.none()
        queryset = Action.objects.select_related(
            "objective__section__contract", "carrier"
        ).prefetch_related("schemes", "neighbourhoods")
        if not is_writer(self.request):
            queryset = queryset.filter(pk__in=list(published_actions(self.request)))
        return queryset.order_by("pk")


# Funding lines of actions --------------------------------------------------------------------


class WritableActionFundingSerializer(FundingLineSerializer):
    """A funding line of an action."""

    action = UidRelatedField(
        queryset=Action.objects.all(), help_text="Identifiant (uid) de l'action financée."
    )

    form_fields = FundingLineSerializer.line_fields("action")

    class Meta:
        model = ActionFunding
        fields = FundingLineSerializer.api_fields("action")
        read_only_fields = ("uid", "updated_at")

    def validate(self, attrs):
        action = attrs.get("action")
        if self.instance is not None and action is not None and action != self.instance.action:
            raise serializers.ValidationError(
                {"action": ["Une ligne de financement ne change pas d'action."]}
            )
        return super().validate(attrs)

    def after_save(self, instance, user) -> None:
        health_section_content_changed(section=instance.action.objective.section, user=user)


@shares_schema
class ActionFundingViewSet(WritableViewSet):
    """Lignes de financement des actions des volets santé. Sans jeton ou avec un jeton en
    lecture : les lignes de la version validée par l'ARS seulement.

    Écriture (POST, PATCH) : jeton en lecture-écriture de la coordination du territoire ; le
    volet santé validé repasse en brouillon pour un nouveau tour de relecture."""

    api_tag = "Contrats de ville"
    serializer_class = WritableActionFundingSerializer
    queryset = ActionFunding.objects.none()  # for the OpenAPI schema; reads use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ActionFunding.objects.none()
        queryset = ActionFunding.objects.select_related("action", "funder")
        if is_writer(self.request):
            return queryset.order_by("pk")
        published = published_actions(self.request)
        lines = queryset.filter(action_id__in=list(published))
        # The lines as approved: those whose wording is in the approved version.
        visible = [
            line.pk
            for line in lines
            if funding_label(line)
            in published[line.action_id]["fields"].get("financements", "").split(FUNDING_SEPARATOR)
        ]
        return queryset.filter(pk__in=visible).order_by("pk")


def register(router) -> None:
    """The writable resources of this app (called from ``portal/api/urls.py``)."""
    router.register("actions", ActionViewSet, basename="action")
    router.register("action-fundings", ActionFundingViewSet, basename="action-funding")
