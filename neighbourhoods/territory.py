"""Territory policy: which rows a user may read, change, attach to and create under.

A coordinator answers for a territory, the EPCI and communes of their account. Model permissions
(the role's group, ``portal/accounts.py``) say *what kind* of rows a user may write; this module
says *which* rows. Everyone with the view permission still reads every row: coordinators learn
from each other. Administrators and ARS reviewers are bound to no territory.

Each model declares once how its rows reach the territory (``declare``), from the app that owns
it: this module sits in the lowest app so that every app, its admin, its API and its pages can
call it; the higher apps fill the registry from their ``AppConfig.ready``.

* territorial rows (schemes, contracts, sections, objectives, people…) may be changed, deleted
  and attached to (a foreign key or a many-to-many pointing at them) only within the territory;
* shared reference rows (organisations, thematics, departments…) may be attached by anyone who
  writes; who changes them is left to the model permissions;
* a row created or changed by a coordinator must still belong to their territory afterwards.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Territory:
    epci_ids: frozenset[int]
    commune_ids: frozenset[int]


@dataclass(frozen=True)
class Rule:
    """How a model's rows reach the territory.

    ``anchors`` are relation names whose rows have a rule of their own: a row is in the territory
    when one of its anchors is. ``own`` is a condition on the row's own columns (EPCI, communes).
    ``unbound`` selects the rows that belong to no territory yet, which any coordinator may claim.
    """

    anchors: tuple[str, ...] = ()
    own: Callable[[Territory, str], Q] | None = None
    unbound: Q | None = None
    shared: bool = False


_RULES: dict[type[Model], Rule] = {}


def declare(model: type[Model], *anchors: str, own=None, unbound=None, shared=False) -> None:
    _RULES[model] = Rule(anchors=anchors, own=own, unbound=unbound, shared=shared)


def rule_for(model: type[Model]) -> Rule:
    """The model's rule; a model nobody declared is refused rather than left open."""
    try:
        return _RULES[model._meta.concrete_model]
    except KeyError:
        raise LookupError(f"{model._meta.label} has no territory rule") from None


def declared_models() -> set[type[Model]]:
    return set(_RULES)


def located(model: type[Model], territory: Territory, prefix: str = "") -> Q:
    """Rows of ``model`` (reached through ``prefix``) that sit in ``territory``."""
    rule = rule_for(model)
    conditions = [rule.own(territory, prefix)] if rule.own else []
    for name in rule.anchors:
        related = model._meta.get_field(name).related_model
        conditions.append(located(related, territory, f"{prefix}{name}__"))
    return reduce(or_, conditions, Q(pk__in=[]))


# Who the user is -----------------------------------------------------------------------------


def territory_of(user) -> Territory | None:
    """The coordinator's territory, cached on the user object (one request); None for users
    bound to no territory."""
    if not getattr(user, "is_coordinator", False) or user.is_superuser:
        return None
    if not hasattr(user, "_territory"):
        epci_ids, commune_ids = user.territory()
        user._territory = Territory(frozenset(epci_ids), frozenset(commune_ids))
        user._territory_rows = {}
    return user._territory


def writes_anything(user) -> bool:
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or any(
        perm.split(".", 1)[1].startswith(("add_", "change_")) for perm in user.get_all_permissions()
    )


def _perm(user, action: str, model: type[Model]) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


# Which rows ----------------------------------------------------------------------------------


def readable(user, queryset: QuerySet) -> QuerySet:
    """Everyone with the view permission reads every row (coordinators learn from each other);
    anyone else reads what is published, when the model publishes."""
    if _perm(user, "view", queryset.model):
        return queryset
    published = getattr(queryset, "published", None)
    return published() if published else queryset.none()


def scope_for(user, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` the user's territory lets them change and delete (their model
    permissions still apply)."""
    territory = territory_of(user)
    rule = rule_for(queryset.model)
    if territory is None or rule.shared:
        return queryset
    condition = located(queryset.model, territory)
    if rule.unbound is not None:
        condition |= rule.unbound
    # A subquery rather than the joins themselves: no duplicate rows, no distinct().
    return queryset.filter(pk__in=queryset.model._default_manager.filter(condition).values("pk"))


def is_in_scope(user, obj: Model) -> bool:
    """``scope_for`` for one saved row, remembered for the rest of the request."""
    if territory_of(user) is None or rule_for(type(obj)).shared or obj.pk is None:
        return True
    key = (obj._meta.label, obj.pk)
    if key not in user._territory_rows:
        manager = type(obj)._default_manager
        user._territory_rows[key] = scope_for(user, manager.filter(pk=obj.pk)).exists()
    return user._territory_rows[key]


def can_change(user, obj: Model) -> bool:
    return _perm(user, "change", type(obj)) and is_in_scope(user, obj)


def can_delete(user, obj: Model) -> bool:
    return _perm(user, "delete", type(obj)) and is_in_scope(user, obj)


def attachable(user, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` the user may point a foreign key or a many-to-many at."""
    if not writes_anything(user):
        return queryset.none()
    return scope_for(user, queryset)


def can_attach(user, obj: Model) -> bool:
    return writes_anything(user) and is_in_scope(user, obj)


def anchored(user, model: type[Model], values: Mapping[str, Iterable]) -> bool | None:
    """Would a row with these anchor values (``{"commune": [pk]}``) sit in the user's territory?

    None when the model reaches its territory through rows that point at it (a person through
    their roles), which only exist once it is saved.
    """
    territory = territory_of(user)
    rule = rule_for(model)
    if territory is None or rule.shared:
        return True
    fields = [model._meta.get_field(name) for name in rule.anchors]
    if any(field.auto_created and not field.concrete for field in fields):
        return None
    for field in fields:
        pks = [pk for pk in values.get(field.name, ()) if pk is not None]
        related = field.related_model
        if (
            pks
            and related._default_manager.filter(located(related, territory), pk__in=pks).exists()
        ):
            return True
    return False


def can_create(user, obj: Model, values: Mapping[str, Iterable] | None = None) -> bool:
    """May the user create ``obj``, with these anchor values (read from ``obj`` when missing)?

    A model reached only through rows pointing at it (a person) starts in no territory when it
    has an ``unbound`` rule, and may then be created by any coordinator.
    """
    if not _perm(user, "add", type(obj)):
        return False
    values = {**anchor_values(obj), **(values or {})}
    verdict = anchored(user, type(obj), values)
    if verdict is None:
        return rule_for(type(obj)).unbound is not None if obj.pk is None else is_in_scope(user, obj)
    return verdict


def anchor_values(obj: Model) -> dict[str, list]:
    """The anchor values of a row: its foreign keys, and its many-to-many once saved."""
    values = {}
    for name in rule_for(type(obj)).anchors:
        field = obj._meta.get_field(name)
        if field.concrete and (field.many_to_one or field.one_to_one):
            values[name] = [getattr(obj, field.attname)]
        elif field.concrete and field.many_to_many and obj.pk is not None:
            values[name] = list(getattr(obj, name).values_list("pk", flat=True))
    return values


def read_only_reason(user, obj: Model) -> str | None:
    """Why the user may read this row but not change it, in French; None when they may."""
    opts = obj._meta
    if not _perm(user, "change", type(obj)):
        return (
            f"Lecture seule : votre rôle ne permet pas de modifier les {opts.verbose_name_plural}."
        )
    if not is_in_scope(user, obj):
        return f"Lecture seule : « {obj} » relève d'un autre territoire que le vôtre."
    return None


def outside_message(obj: Model) -> str:
    return f"« {obj} » n'est pas dans votre territoire."


# Rules of this app's models ------------------------------------------------------------------


def _epci_own(territory: Territory, prefix: str) -> Q:
    return Q(**{f"{prefix}pk__in": territory.epci_ids})


def _commune_own(territory: Territory, prefix: str) -> Q:
    return Q(**{f"{prefix}pk__in": territory.commune_ids}) | Q(
        **{f"{prefix}epci__in": territory.epci_ids}
    )


def declare_neighbourhoods_rules() -> None:
    from neighbourhoods import models as m

    declare(m.Epci, own=_epci_own)
    declare(m.Commune, own=_commune_own)
    declare(m.Neighbourhood, "epci", "communes")
    declare(m.IndicatorValue, "neighbourhood")
    declare(m.FamilyMembership, "neighbourhood")
    declare(m.NeighbourhoodLink, "current", "previous")
    # A citizen council belongs to the territories of the neighbourhoods it covers; one that
    # covers none yet (just created) belongs to no territory, as a person without a role.
    declare(m.CitizenCouncil, "coverages", unbound=Q(coverages__isnull=True))
    declare(m.CitizenCouncilCoverage, "neighbourhood")
    for model in (m.Region, m.Department, m.Indicator, m.Typology, m.TypologyFamily):
        declare(model, shared=True)
