from django.contrib import admin, messages
from django.db import models
from django.db.models import Exists, OuterRef

from neighbourhoods.admin_geometry import GeoAdmin, readonly_map
from neighbourhoods.admin_territory import OwnTerritoryFilter, TerritoryAdmin, TerritoryInline
from neighbourhoods.enums import NeighbourhoodKind
from neighbourhoods.models import (
    CitizenCouncil,
    CitizenCouncilCoverage,
    Commune,
    Department,
    Epci,
    FamilyMembership,
    Indicator,
    IndicatorValue,
    Neighbourhood,
    NeighbourhoodLink,
    Region,
    Typology,
    TypologyFamily,
)
from neighbourhoods.territory import scope_for, territory_of
from portal.admin_concurrency import VersionCheckedAdminMixin


class CitizenCouncilFilter(admin.SimpleListFilter):
    """« Conseil citoyen : oui / non » on neighbourhoods: the law asks for one in each QPV."""

    title = "conseil citoyen"
    parameter_name = "conseil_citoyen"

    def lookups(self, request, model_admin):
        return (("yes", "Oui"), ("no", "Non"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_citizen_council()
        if self.value() == "no":
            return queryset.without_citizen_council()
        return queryset


def neighbourhoods_without_council_message(request) -> str:
    """How many current priority neighbourhoods have no citizen council: those of the
    coordinator's territory, or all of them for users bound to no territory."""
    missing = Neighbourhood.objects.of_geography().without_citizen_council()
    if territory_of(request.user) is not None:
        missing = scope_for(request.user, missing)
        where = "de votre territoire"
    else:
        where = "(géographie 2024)"
    count = missing.count()
    if count == 0:
        return f"Tous les quartiers prioritaires {where} ont un conseil citoyen."
    plural = "s" if count > 1 else ""
    return (
        f"{count} quartier{plural} prioritaire{plural} {where} sans conseil citoyen "
        "(filtre « Conseil citoyen : non » de la liste des quartiers)."
    )


class CitizenCouncilCountMixin:
    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            messages.info(request, neighbourhoods_without_council_message(request))
        return super().changelist_view(request, extra_context)


@admin.register(Region)
class RegionAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("code", "name")


@admin.register(Epci)
class EpciAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("name", "siren", "nature")
    list_filter = ("nature",)
    search_fields = ("name", "siren")


@admin.register(Commune)
class CommuneAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("insee_code", "name", "kind", "department", "epci", "population")
    list_filter = ("kind", "department__region", "department")
    list_select_related = ("department", "epci")
    search_fields = ("insee_code", "name")
    autocomplete_fields = ("parent", "department", "epci")


class IndicatorValueInline(TerritoryInline, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    autocomplete_fields = ("indicator",)
    fields = ("indicator", "year", "value", "status")
    readonly_fields = ("displayed_value",)

    def get_fields(self, request, obj=None):
        # Read-only, the value is shown as a reader expects it (« 8 289 », « 23,5 % »).
        if not self.has_change_permission(request, obj):
            return ("indicator", "year", "displayed_value")
        return self.fields

    @admin.display(description="valeur")
    def displayed_value(self, value: IndicatorValue) -> str:
        return value.formatted_value


class FamilyMembershipInline(TerritoryInline, admin.TabularInline):
    model = FamilyMembership
    extra = 0
    autocomplete_fields = ("family",)


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(
    CitizenCouncilCountMixin, VersionCheckedAdminMixin, TerritoryAdmin, GeoAdmin
):
    list_display = (
        "code",
        "name",
        "kind",
        "vintage",
        "epci",
        "in_renewal_programme",
        "has_citizen_council",
        "population",
    )
    list_filter = (
        "vintage",
        "kind",
        "in_renewal_programme",
        CitizenCouncilFilter,
        "communes__department__region",
    )
    list_select_related = ("epci",)
    search_fields = ("code", "name", "communes__name")
    autocomplete_fields = ("communes", "epci")
    # Contours are shown as maps, never as thousands of characters of WKT.
    exclude = ("contour_simplified",)
    readonly_fields = ("contour_map", "contour_simplified_map", "citizen_council")
    inlines = (IndicatorValueInline, FamilyMembershipInline)

    class Media:
        css = {"all": ("leaflet/leaflet.css",)}
        js = ("leaflet/leaflet.js", "js/readonly-map.js")

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only page: the contour's map replaces its text.
            return ["contour_map" if f == "contour" else f for f in fields if f != "contour_map"]
        return [f for f in fields if f != "contour_map"]

    @admin.display(description="contour")
    def contour_map(self, neighbourhood: Neighbourhood) -> str:
        return readonly_map(neighbourhood.contour, "Contour du quartier")

    @admin.display(description="contour simplifié (cartes publiques)")
    def contour_simplified_map(self, neighbourhood: Neighbourhood) -> str:
        return readonly_map(neighbourhood.contour_simplified, "Contour simplifié du quartier")

    def get_queryset(self, request):
        covered = CitizenCouncilCoverage.objects.filter(neighbourhood=OuterRef("pk"))
        return super().get_queryset(request).annotate(has_council=Exists(covered))

    @admin.display(description="conseil citoyen", boolean=True, ordering="has_council")
    def has_citizen_council(self, obj) -> bool:
        return obj.has_council

    @admin.display(description="conseil citoyen")
    def citizen_council(self, obj) -> str:
        council = CitizenCouncil.objects.filter(coverages__neighbourhood=obj).first()
        if council is not None:
            return str(council)
        if obj.kind == NeighbourhoodKind.QPV:
            return (
                "Aucun : la loi du 21 février 2014 en prévoit un dans chaque quartier prioritaire."
            )
        return "—"


class CitizenCouncilCoverageInline(TerritoryInline, admin.TabularInline):
    model = CitizenCouncilCoverage
    extra = 0
    autocomplete_fields = ("neighbourhood",)
    fields = ("neighbourhood",)


@admin.register(CitizenCouncil)
class CitizenCouncilAdmin(
    CitizenCouncilCountMixin, VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin
):
    list_display = (
        "name",
        "created_on",
        "residents_members",
        "local_actors_members",
        "support_structure",
    )
    list_filter = (OwnTerritoryFilter,)
    search_fields = ("name", "neighbourhoods__code", "neighbourhoods__name", "support_structure")
    inlines = (CitizenCouncilCoverageInline,)
    # A website typed without its scheme is read as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "created_on", "support_structure")}),
        ("Collèges", {"fields": ("residents_members", "local_actors_members")}),
        (
            "Contact public (publiable : jamais les coordonnées personnelles d'un membre)",
            {"fields": ("public_email", "public_address", "website")},
        ),
        (None, {"fields": ("notes",)}),
    )


@admin.register(NeighbourhoodLink)
class NeighbourhoodLinkAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("previous", "current", "basis")
    list_filter = ("basis",)
    list_select_related = ("previous", "current")
    search_fields = ("previous__code", "current__code", "previous__name", "current__name")
    autocomplete_fields = ("previous", "current")


@admin.register(Indicator)
class IndicatorAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("code", "label", "unit", "source", "vintage")
    list_filter = ("unit", "vintage")
    search_fields = ("code", "label")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("neighbourhood", "indicator", "year", "displayed_value", "status")
    list_filter = ("status", "year", "indicator")
    list_select_related = ("neighbourhood", "indicator")
    search_fields = ("neighbourhood__code", "neighbourhood__name", "indicator__code")
    autocomplete_fields = ("neighbourhood", "indicator")

    @admin.display(description="valeur", ordering="value")
    def displayed_value(self, value: IndicatorValue) -> str:
        return value.formatted_value


class TypologyFamilyInline(TerritoryInline, admin.TabularInline):
    model = TypologyFamily
    extra = 0
    fields = ("code", "label", "colour", "neighbourhood_count", "population", "description")


@admin.register(Typology)
class TypologyAdmin(VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin):
    list_display = ("name", "code", "source", "vintage")
    search_fields = ("name", "code")
    inlines = (TypologyFamilyInline,)


@admin.register(TypologyFamily)
class TypologyFamilyAdmin(VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin):
    list_display = ("label", "typology", "colour", "neighbourhood_count", "population")
    list_filter = ("typology",)
    list_select_related = ("typology",)
    search_fields = ("label", "code")
    inlines = (FamilyMembershipInline,)
