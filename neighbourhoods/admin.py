from django.contrib import admin

from neighbourhoods.admin_geometry import GeoAdmin, readonly_map
from neighbourhoods.admin_territory import TerritoryAdmin, TerritoryInline
from neighbourhoods.models import (
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
from portal.admin_concurrency import VersionCheckedAdminMixin


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
class NeighbourhoodAdmin(VersionCheckedAdminMixin, TerritoryAdmin, GeoAdmin):
    list_display = ("code", "name", "kind", "vintage", "epci", "in_renewal_programme", "population")
    list_filter = ("vintage", "kind", "in_renewal_programme", "communes__department__region")
    list_select_related = ("epci",)
    search_fields = ("code", "name", "communes__name")
    autocomplete_fields = ("communes", "epci")
    # Contours are shown as maps, never as thousands of characters of WKT.
    exclude = ("contour_simplified",)
    readonly_fields = ("contour_map", "contour_simplified_map")
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
