"""Admin rule: a coordinator changes only what belongs to their territory.

Model permissions say *what kind* of rows a role may change; this says *which* rows. Everyone
with the view permission still reads every row (coordinators learn from each other).
"""

from collections.abc import Callable

from django.contrib import admin
from django.db.models import Q

TerritoryRule = Callable[[str, list[int], list[int]], Q]


def within_territory(request, obj, rule: TerritoryRule, prefix: str) -> bool:
    """True unless a coordinator looks at a saved row outside their territory."""
    territory = coordinator_territory(request)
    if territory is None or obj is None or obj.pk is None:
        return True
    return type(obj)._default_manager.filter(rule(prefix, *territory), pk=obj.pk).exists()


def coordinator_territory(request) -> tuple[list[int], list[int]] | None:
    """The coordinator's (EPCI ids, commune ids), or None when no territory rule applies."""
    user = request.user
    if user.is_superuser or not getattr(user, "is_coordinator", False):
        return None
    if not hasattr(request, "_territory"):
        request._territory = user.territory()
    return request._territory


class TerritoryForeignKeysMixin:
    """New rows may only hang under a parent of the coordinator's territory:
    ``territory_foreign_keys`` maps a foreign key to (rule, prefix from the related model)."""

    territory_foreign_keys: dict[str, tuple[TerritoryRule, str]] = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        territory = coordinator_territory(request)
        if territory is not None and db_field.name in self.territory_foreign_keys:
            rule, prefix = self.territory_foreign_keys[db_field.name]
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                rule(prefix, *territory)
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TerritoryScopedMixin(TerritoryForeignKeysMixin):
    """For a ModelAdmin: ``territory_rule(territory_prefix, …)`` selects the rows a coordinator
    may change or delete."""

    territory_rule: TerritoryRule
    territory_prefix: str = ""

    def in_territory(self, request, obj) -> bool:
        return within_territory(request, obj, self.territory_rule, self.territory_prefix)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_territory(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_territory(request, obj)


class TerritoryScopedInlineMixin:
    """An inline is editable only when its parent object is in the coordinator's territory."""

    parent_rule: TerritoryRule
    parent_prefix: str = ""

    def parent_in_territory(self, request, obj) -> bool:
        return within_territory(request, obj, self.parent_rule, self.parent_prefix)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.parent_in_territory(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.parent_in_territory(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.parent_in_territory(
            request, obj
        )


class OwnTerritoryFilter(admin.SimpleListFilter):
    """« Mon territoire » in the changelist of a territory-scoped admin, for coordinators."""

    title = "territoire"
    parameter_name = "territoire"

    def lookups(self, request, model_admin):
        if coordinator_territory(request) is None:
            return ()
        return (("mine", "Mon territoire"),)

    def queryset(self, request, queryset):
        territory = coordinator_territory(request)
        if self.value() != "mine" or territory is None:
            return queryset
        rule = self.model_admin.territory_rule(self.model_admin.territory_prefix, *territory)
        return queryset.filter(rule).distinct()

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)
