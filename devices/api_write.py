"""Writes through the partner API: mediator posts, scheme funding lines and schemes' own fields.

Every write goes through the admin's own validation: the serializer checks the shape of the
JSON and resolves public identifiers (uid, official codes), then the admin's form
(``TerritoryModelForm``: the model's ``full_clean`` and the territory policy on every foreign
key and many-to-many value) decides, with its French messages. The history records the API
user; ``If-Match`` with the resource's ``ETag`` guards against lost updates
(``portal/concurrency.py``, the admin's fingerprint).

Reads: anonymous visitors and read tokens see what is published only; writers (coordinators
and administrators writing through a read-write token) also see the rest. A mediator post never
shows who holds it nor the eligibility facts (``devices/privacy.py``).
"""

import re
import uuid

from django.db import transaction
from django.forms.models import model_to_dict, modelform_factory
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from devices.models import Funding, MediatorPost, Organisation, Scheme
from devices.rules import clsm_missing_signatories, clsm_signatories_message
from neighbourhoods.admin_territory import TerritoryModelForm
from neighbourhoods.models import Neighbourhood
from neighbourhoods.territory import located, rule_for
from portal.api import access
from portal.api.pagination import CodeCursorPagination
from portal.api.permissions import PublicReadTokenWrite
from portal.concurrency import ConcurrentChange, ensure_unchanged, version_of

UUID_PATTERN = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


# Who may write -------------------------------------------------------------------------------


def is_writer(request) -> bool:
    """Coordinators and administrators with a credential that writes (a read-and-write token,
    or the portal's session): they read drafts too; everyone else, read tokens included, reads
    what is published."""
    user = request.user
    return bool(
        user.is_authenticated
        and (user.is_superuser or getattr(user, "is_coordinator", False))
        and access.writer_refusal(request) is None
    )


class WriteAccess(PublicReadTokenWrite):
    """Reads for everyone (the querysets keep to what each one may read); writes through
    ``portal.api.access``: a read-and-write token of a coordinator or an administrator, on rows
    of the user's territory policy intersected with the token's territory."""

    def has_permission(self, request, view) -> bool:
        allowed = super().has_permission(request, view)
        if allowed and request.method not in SAFE_METHODS and not is_writer(request):
            raise exceptions.PermissionDenied(access.NO_WRITE_ROLE)
        return allowed


def outside_token(request, model, pks) -> object | None:
    """The first row among ``pks`` of a territorial ``model`` outside the token's territory."""
    territory = access.token_territory(access.api_token(request))
    if territory is None or not pks or rule_for(model).shared:
        return None
    rows = model._default_manager.filter(pk__in=pks)
    return rows.exclude(located(model, territory)).first()


# Conflicts -----------------------------------------------------------------------------------


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "La ressource a été modifiée depuis que vous l'avez lue."
    default_code = "precondition_failed"


def etag_of(obj) -> str:
    return f'"{version_of(obj)}"'


def expected_version(request) -> str | None:
    """The version named by ``If-Match`` (None when absent or ``*``)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tag = header.split(",")[0].strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


# Identifiers ---------------------------------------------------------------------------------


class UidRelatedField(serializers.SlugRelatedField):
    """A row named by its public uid; anything else is a French field error, never a 500."""

    default_error_messages = {
        "does_not_exist": _("Aucune ressource n'a l'identifiant « {value} »."),
        "invalid": _("Identifiant invalide : un UUID est attendu."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="uid", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = uuid.UUID(data)
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(str(value))

    def to_representation(self, obj):
        return str(obj.uid)


CODE_PATTERN = re.compile(r"^[0-9A-Za-z_-]{1,20}$")


class CodeRelatedField(serializers.SlugRelatedField):
    """A row named by its official code (a neighbourhood's QPV code)."""

    default_error_messages = {
        "does_not_exist": _("Aucune ressource n'a le code « {value} »."),
        "invalid": _("Code invalide."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not CODE_PATTERN.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)


# The admin's validation, reused --------------------------------------------------------------


def _form_value(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [_form_value(item) for item in value]
    return value


def admin_form_errors(user, instance, attrs: dict, fields: tuple[str, ...]):
    """Runs the admin's form (model validation + territory policy) on ``instance`` changed by
    ``attrs``; returns the bound form, valid or with its French errors."""
    form_class = modelform_factory(type(instance), form=TerritoryModelForm, fields=fields)
    form_class.territory_user = user
    # A new row starts from the model's defaults, as the admin's add form does.
    data = model_to_dict(instance, fields=fields)
    data = {name: _form_value(value) for name, value in data.items()}
    for name, value in attrs.items():
        if name in fields:
            data[name] = _form_value(value)
    return form_class(data=data, instance=instance)


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def raise_form_errors(form) -> None:
    errors = {}
    for name, messages in form.errors.items():
        key = "non_field_errors" if name == "__all__" else name
        errors[key] = list(messages)
    raise serializers.ValidationError(errors)


class AdminValidatedSerializer(serializers.ModelSerializer):
    """Validates through the admin's form (``form_fields``) and saves what it built, signed by
    the API user in the history, under ``If-Match`` when given."""

    form_fields: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context["request"]
        instance = self.instance if self.instance is not None else self.Meta.model()
        form = admin_form_errors(request.user, instance, attrs, self.form_fields)
        if not form.is_valid():
            raise_form_errors(form)
        self._check_token_territory(request, form)
        self.extra_checks(form.instance, form.cleaned_data)
        if self.instance is None:
            reason = access.write_refusal(
                request, form.instance, "create", self._anchor_values(form)
            )
            if reason:
                raise exceptions.PermissionDenied(reason)
        self._form = form
        return attrs

    def _check_token_territory(self, request, form) -> None:
        """What the form attached must also sit in the token's territory (when it has one)."""
        errors = {}
        for name, value in form.cleaned_data.items():
            field = form.instance._meta.get_field(name)
            if not field.is_relation or value is None:
                continue
            added = {row.pk for row in value} if field.many_to_many else {value.pk}
            added -= {getattr(row, "pk", row) for row in _as_list(form.initial.get(name))}
            outside = outside_token(request, field.related_model, added)
            if outside is not None:
                errors[name] = [f"« {outside} » n'est pas dans le territoire de ce jeton d'API."]
        if errors:
            raise serializers.ValidationError(errors)

    def _anchor_values(self, form) -> dict:
        values = {}
        for name, value in form.cleaned_data.items():
            field = form.instance._meta.get_field(name)
            if field.many_to_many:
                values[name] = [row.pk for row in value]
            elif field.is_relation:
                values[name] = [value.pk if value is not None else None]
        return values

    def extra_checks(self, instance, cleaned_data) -> None:
        """Rules spanning several rows (the admin checks them in its formsets)."""

    def save(self, **kwargs):
        request = self.context["request"]
        form = self._form
        with transaction.atomic():
            if self.instance is not None:
                version = expected_version(request)
                if version is not None:
                    try:
                        ensure_unchanged(self.instance, version)
                    except ConcurrentChange as change:
                        raise PreconditionFailed(change.message) from None
            form.instance._history_user = request.user
            self.instance = form.save()
            self.after_save(self.instance, request.user)
        return self.instance

    def after_save(self, instance, user) -> None:
        """What the write implies besides the row itself (a section back to draft)."""


# Viewsets ------------------------------------------------------------------------------------

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Valeur de l'en-tête ETag reçue à la lecture : la modification est refusée "
    "(412) si la ressource a changé depuis.",
)


class WritableViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Read (list, detail) and write (POST, PATCH) one resource by its uid."""

    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN
    permission_classes = (WriteAccess,)
    pagination_class = CodeCursorPagination
    api_tag = "Dispositifs et structures"
    http_method_names = ("get", "post", "patch", "head", "options")

    def get_object(self):
        # A malformed uid in the URL never reaches the database.
        try:
            uuid.UUID(str(self.kwargs.get(self.lookup_field)))
        except ValueError:
            raise exceptions.NotFound("Aucune ressource n'a cet identifiant.") from None
        return super().get_object()

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag_of(instance)
        return response

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["ETag"] = etag_of(self._saved)
        return response

    def perform_create(self, serializer):
        self._saved = serializer.save()

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = etag_of(self._saved)
        return response

    def perform_update(self, serializer):
        self._saved = serializer.save()


ERROR_DESCRIPTIONS = {
    400: "Requête invalide : erreurs par champ, en français.",
    401: "Authentification requise (jeton absent, expiré ou révoqué).",
    403: "Droits insuffisants : jeton en lecture seule, rôle ou territoire.",
    404: "Aucune ressource n'a cet identifiant.",
    412: "La ressource a changé depuis la lecture (If-Match).",
    429: "Trop de requêtes : réessayez après le délai de l'en-tête Retry-After.",
}


def errors(*codes: int) -> dict:
    return {code: OpenApiResponse(description=ERROR_DESCRIPTIONS[code]) for code in codes}


def shares_schema(viewset):
    """The OpenAPI description of a writable resource: its answers, errors included, and the
    If-Match header on PATCH."""
    serializer = viewset.serializer_class
    tags = [viewset.api_tag]
    return extend_schema_view(
        list=extend_schema(tags=tags, responses={200: serializer(many=True), **errors(400, 429)}),
        retrieve=extend_schema(tags=tags, responses={200: serializer, **errors(404, 429)}),
        create=extend_schema(tags=tags, responses={201: serializer, **errors(400, 401, 403, 429)}),
        partial_update=extend_schema(
            tags=tags,
            parameters=[IF_MATCH],
            responses={200: serializer, **errors(400, 401, 403, 404, 412, 429)},
        ),
    )(viewset)


# Mediator posts ------------------------------------------------------------------------------


class WritableMediatorPostSerializer(AdminValidatedSerializer):
    """An adult-relay health mediator post (ARMS). Who holds it is never published."""

    scheme = UidRelatedField(
        queryset=Scheme.objects.all(), help_text="Identifiant (uid) du dispositif ARMS."
    )
    employer = UidRelatedField(
        queryset=Organisation.objects.all(), help_text="Identifiant (uid) de l'employeur."
    )
    employer_name = serializers.CharField(
        source="employer.name", read_only=True, help_text="Nom de l'employeur."
    )
    neighbourhoods = CodeRelatedField(
        many=True,
        queryset=Neighbourhood.objects.all(),
        help_text="Codes des quartiers d'intervention (QPV).",
    )

    form_fields = (
        "scheme",
        "employer",
        "neighbourhoods",
        "start_date",
        "end_date",
        "renewals",
        "state_share",
        "ars_share",
    )

    class Meta:
        model = MediatorPost
        fields = (
            "uid",
            "scheme",
            "employer",
            "employer_name",
            "neighbourhoods",
            "start_date",
            "end_date",
            "renewals",
            "state_share",
            "ars_share",
            "updated_at",
        )
        read_only_fields = ("uid", "updated_at")


@shares_schema
class MediatorPostViewSet(WritableViewSet):
    """Postes d'adultes-relais médiateurs santé (ARMS) : employeur, quartiers d'intervention,
    contrat (3 ans renouvelable une fois) et financement (État 75 %, ARS 25 %). La personne
    qui occupe le poste et son éligibilité ne sont jamais publiées.

    Écriture (POST, PATCH) : jeton en lecture-écriture d'une coordination, dans son
    territoire ; mêmes règles que l'administration du portail."""

    serializer_class = WritableMediatorPostSerializer
    queryset = MediatorPost.objects.none()  # for the OpenAPI schema; reads use get_queryset

    def get_queryset(self):
        queryset = MediatorPost.objects.select_related("scheme", "employer").prefetch_related(
            "neighbourhoods"
        )
        if not is_writer(self.request):
            queryset = queryset.filter(scheme__in=Scheme.objects.published())
        return queryset.order_by("pk")


# Funding lines of schemes --------------------------------------------------------------------


class FundingLineSerializer(AdminValidatedSerializer):
    """What every funding line shares, a scheme's or an action's: funder, year, programme,
    purpose, amount or share. Subclasses name the financed row (``parent``)."""

    funder = UidRelatedField(
        queryset=Organisation.objects.all(), help_text="Identifiant (uid) du financeur."
    )
    funder_name = serializers.CharField(
        source="funder.name", read_only=True, help_text="Nom du financeur."
    )

    LINE_FIELDS = ("funder", "year", "programme", "purpose", "amount", "share", "illustrative")

    @classmethod
    def line_fields(cls, parent: str) -> tuple[str, ...]:
        return (parent, *cls.LINE_FIELDS)

    @classmethod
    def api_fields(cls, parent: str) -> tuple[str, ...]:
        return ("uid", parent, "funder", "funder_name", *cls.LINE_FIELDS[1:], "updated_at")


class WritableFundingSerializer(FundingLineSerializer):
    """A funding line of a scheme."""

    scheme = UidRelatedField(
        queryset=Scheme.objects.all(), help_text="Identifiant (uid) du dispositif financé."
    )

    form_fields = FundingLineSerializer.line_fields("scheme")

    class Meta:
        model = Funding
        fields = FundingLineSerializer.api_fields("scheme")
        read_only_fields = ("uid", "updated_at")

    def extra_checks(self, instance, cleaned_data) -> None:
        # The CLSM rule of the admin's scheme page: an ARS-funded CLSM is signed by the ARS,
        # the local authority and its reference hospital.
        scheme = instance.scheme
        others = list(scheme.fundings.select_related("funder").exclude(pk=instance.pk))
        signatories = scheme.signatories.select_related("organisation")
        missing = clsm_missing_signatories(scheme, [*others, instance], signatories)
        if missing:
            raise serializers.ValidationError({"funder": [clsm_signatories_message(missing)]})


@shares_schema
class FundingViewSet(WritableViewSet):
    """Lignes de financement des dispositifs : financeur, année, programme (147, FIR de l'ARS,
    droit commun…), objet (coordination ou actions), montant et/ou part.

    Écriture (POST, PATCH) : jeton en lecture-écriture d'une coordination, dans son
    territoire."""

    serializer_class = WritableFundingSerializer
    queryset = Funding.objects.none()  # for the OpenAPI schema; reads use get_queryset

    def get_queryset(self):
        queryset = Funding.objects.select_related("scheme", "funder")
        if not is_writer(self.request):
            queryset = queryset.filter(scheme__in=Scheme.objects.published())
        return queryset.order_by("pk")


# Schemes: the write half, for the catalogue's viewset ----------------------------------------


class SchemeWriteSerializer(AdminValidatedSerializer):
    """The fields of a scheme a coordinator changes through the API (its kind, carrier and
    territory stay as they are: the admin's page changes those)."""

    thematics = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=Scheme.thematics.field.related_model.objects.all(),
        required=False,
        help_text="Codes des thématiques.",
    )
    neighbourhoods = CodeRelatedField(
        many=True,
        queryset=Neighbourhood.objects.all(),
        required=False,
        help_text="Codes des quartiers couverts (QPV).",
    )

    form_fields = (
        "name",
        "status",
        "description",
        "start_date",
        "end_date",
        "signed_on",
        "neighbourhoods",
        "thematics",
        "participation_level",
        "stage",
        "generation",
        "coordination_fte",
        "start_year",
        "is_published",
    )

    class Meta:
        model = Scheme
        fields = (
            "uid",
            "kind",
            "name",
            "status",
            "description",
            "start_date",
            "end_date",
            "signed_on",
            "neighbourhoods",
            "thematics",
            "participation_level",
            "stage",
            "generation",
            "coordination_fte",
            "start_year",
            "is_published",
            "updated_at",
        )
        read_only_fields = ("uid", "kind", "updated_at")


class SchemeWriteMixin:
    """PATCH for the catalogue's scheme viewset (``devices/api.py``): add it before the read
    mixins. Same permission, validation, history and If-Match as the other writes; the answer
    is the catalogue's own representation."""

    def get_permissions(self):
        if self.request.method in SAFE_METHODS:
            return super().get_permissions()
        return [WriteAccess()]

    @extend_schema(
        request=SchemeWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: SchemeWriteSerializer, **errors(400, 401, 403, 404, 412, 429)},
    )
    def partial_update(self, request, *args, **kwargs):
        uid = str(kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        try:
            uuid.UUID(uid)
        except ValueError:
            raise exceptions.NotFound("Aucun dispositif n'a cet identifiant.") from None
        # Drafts too: a coordinator completes a scheme before publishing it.
        instance = Scheme.objects.filter(uid=uid).select_related("carrier").first()
        if instance is None:
            raise exceptions.NotFound("Aucun dispositif n'a cet identifiant.")
        self.check_object_permissions(request, instance)
        serializer = SchemeWriteSerializer(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        saved = serializer.save()
        # The catalogue's representation when the scheme is public, else the written fields.
        public = self.get_queryset().filter(pk=saved.pk).first()
        data = self.get_serializer(public).data if public is not None else serializer.data
        response = Response(data)
        response["ETag"] = etag_of(saved)
        return response


def register(router) -> None:
    """The writable resources of this app (called from ``devices/api.py``'s ``register``)."""
    router.register("mediator-posts", MediatorPostViewSet, basename="mediator-post")
    router.register("fundings", FundingViewSet, basename="funding")
