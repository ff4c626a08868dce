from django.contrib import admin

from neighbourhoods.admin_geometry import GeoAdmin
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
    readonly_fields = ("contour_simplified",)
    inlines = (IndicatorValueInline, FamilyMembershipInline)


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
    list_display = ("neighbourhood", "indicator", "year", "value", "status")
    list_filter = ("status", "year", "indicator")
    list_select_related = ("neighbourhood", "indicator")
    search_fields = ("neighbourhood__code", "neighbourhood__name", "indicator__code")
    autocomplete_fields = ("neighbourhood", "indicator")


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
