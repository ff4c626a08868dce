"""What an API request may write: the caller's territory policy (``neighbourhoods.territory``,
the same as the admin's) intersected with the territory of the token it came with.

The write viewsets call ``writable_scope(request, queryset)`` to find the rows a request may
change or delete, ``can_write(request, obj)`` before changing or deleting one, and
``can_write(request, obj, "create", values)`` before creating one; ``write_refusal`` gives the
French reason of a refusal for the 403 problem detail.
"""

from collections.abc import Iterable, Mapping

from django.db.models import Model, QuerySet

from neighbourhoods import territory as policy
from portal.api_tokens import ApiToken, may_write_through_api

READ_ONLY_TOKEN = (
    "Ce jeton d'API est en lecture seule : créez un jeton « Lecture et écriture » pour modifier "
    "des données."
)
NO_WRITE_ROLE = "Votre compte ne permet pas de modifier des données par l'API."


def api_token(request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


def token_territory(token: ApiToken | None) -> policy.Territory | None:
    """The territory a token is limited to (its EPCI, its communes and those of its
    departments); None when it has none of its own (its owner's whole territory)."""
    if token is None:
        return None
    if not hasattr(token, "_territory"):
        from neighbourhoods.models import Commune

        epci_ids = set(token.epcis.values_list("pk", flat=True))
        commune_ids = set(token.communes.values_list("pk", flat=True))
        department_ids = list(token.departments.values_list("pk", flat=True))
        if department_ids:
            commune_ids |= set(
                Commune.objects.filter(department__in=department_ids).values_list("pk", flat=True)
            )
        token._territory = (
            policy.Territory(frozenset(epci_ids), frozenset(commune_ids))
            if epci_ids or commune_ids or department_ids
            else None
        )
    return token._territory


def writer_refusal(request) -> str | None:
    """Why this request may write nothing at all (before looking at any row); None if it may."""
    user = request.user
    if not (user and user.is_authenticated):
        return "Authentification requise pour modifier des données."
    token = api_token(request)
    if token is not None:
        if not token.can_write:
            return READ_ONLY_TOKEN
        if not may_write_through_api(user):
            return NO_WRITE_ROLE
    elif not policy.writes_anything(user):
        return NO_WRITE_ROLE
    return None


def _token_condition(model: type[Model], territory: policy.Territory):
    rule = policy.rule_for(model)
    condition = policy.located(model, territory)
    if rule.unbound is not None:
        condition |= rule.unbound
    return condition


def writable_scope(request, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` this request may change or delete (model permissions apart:
    ``can_write`` checks them row by row)."""
    if writer_refusal(request):
        return queryset.none()
    rows = policy.scope_for(request.user, queryset)
    territory = token_territory(api_token(request))
    if territory is None or policy.rule_for(queryset.model).shared:
        return rows
    model = queryset.model
    inside = model._default_manager.filter(_token_condition(model, territory)).values("pk")
    return rows.filter(pk__in=inside)


def _token_anchored(model: type[Model], territory: policy.Territory, values: Mapping) -> bool:
    """``territory.anchored`` for the token's territory: would a new row with these anchor
    values sit in it?"""
    rule = policy.rule_for(model)
    if rule.shared:
        return True
    fields = [model._meta.get_field(name) for name in rule.anchors]
    if any(field.auto_created and not field.concrete for field in fields):
        return rule.unbound is not None
    for field in fields:
        pks = [pk for pk in values.get(field.name, ()) if pk is not None]
        related = field.related_model
        if (
            pks
            and related._default_manager.filter(
                policy.located(related, territory), pk__in=pks
            ).exists()
        ):
            return True
    return False


def write_refusal(
    request, obj: Model, action: str = "change", values: Mapping[str, Iterable] | None = None
) -> str | None:
    """Why this request may not ``action`` (create, change, delete) ``obj``, in French; None
    when it may. ``values``: anchor values of a row being created (see ``territory.can_create``)."""
    reason = writer_refusal(request)
    if reason:
        return reason
    user = request.user
    territory = token_territory(api_token(request))
    if action == "create":
        if not policy.can_create(user, obj, values):
            return policy.outside_message(obj) if policy._perm(user, "add", type(obj)) else (
                f"Votre rôle ne permet pas de créer des {obj._meta.verbose_name_plural}."
            )  # fmt: skip
        if territory is not None:
            anchors = {**policy.anchor_values(obj), **(values or {})}
            if not _token_anchored(type(obj), territory, anchors):
                return "Ce jeton d'API ne couvre pas le territoire de cette donnée."
        return None
    allowed = policy.can_delete if action == "delete" else policy.can_change
    if not allowed(user, obj):
        return policy.read_only_reason(user, obj) or (
            f"Votre rôle ne permet pas de supprimer des {obj._meta.verbose_name_plural}."
        )
    if territory is not None and not policy.rule_for(type(obj)).shared:
        manager = type(obj)._default_manager
        if not manager.filter(_token_condition(type(obj), territory), pk=obj.pk).exists():
            return "Ce jeton d'API ne couvre pas le territoire de cette donnée."
    return None


def can_write(
    request, obj: Model, action: str = "change", values: Mapping[str, Iterable] | None = None
) -> bool:
    return write_refusal(request, obj, action, values) is None
