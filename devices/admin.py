from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models

from devices.models import (
    Funding,
    HealthStructure,
    MediatorPost,
    Organisation,
    Person,
    Role,
    Scheme,
    SchemeSignatory,
    Thematic,
)
from neighbourhoods.admin_geometry import GeoAdmin
from neighbourhoods.admin_territory import OwnTerritoryFilter, TerritoryAdmin, TerritoryInline
from neighbourhoods.territory import can_change
from portal.admin_concurrency import VersionCheckedAdminMixin
from portal.admin_history import ActivityJournalAdminMixin
from portal.history import scheme_journal


@admin.register(Organisation)
class OrganisationAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("name", "acronym", "kind", "parent", "department")
    list_filter = ("kind", "department")
    list_select_related = ("parent", "department")
    search_fields = ("name", "acronym", "siren")
    autocomplete_fields = ("parent", "department", "commune", "epci")
    # A website typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class PersonRoleInline(TerritoryInline, admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ("scheme", "organisation")
    fields = ("kind", "scheme", "organisation", "fte", "start_date", "end_date")


@admin.register(Person)
class PersonAdmin(VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin):
    list_display = ("last_name", "first_name", "organisation", "email")
    list_select_related = ("organisation",)
    search_fields = ("last_name", "first_name", "email")
    autocomplete_fields = ("organisation",)
    inlines = (PersonRoleInline,)

    def history_view(self, request, object_id, extra_context=None):
        # A person's history holds their contact details: administrators and the coordinators
        # of their territory only.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not (request.user.is_superuser or can_change(request.user, obj)):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


@admin.register(Thematic)
class ThematicAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("label", "code")
    search_fields = ("label", "code")


class SchemeSignatoryInline(TerritoryInline, admin.TabularInline):
    model = SchemeSignatory
    extra = 0
    autocomplete_fields = ("organisation",)


class SchemeRoleInline(TerritoryInline, admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ("person", "organisation")
    fields = ("person", "kind", "organisation", "fte", "start_date", "end_date")


class FundingInline(TerritoryInline, admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ("funder",)


class MediatorPostInline(TerritoryInline, admin.StackedInline):
    model = MediatorPost
    extra = 0
    autocomplete_fields = ("employer", "mediator", "neighbourhoods")


@admin.register(Scheme)
class SchemeAdmin(
    ActivityJournalAdminMixin, VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin
):
    list_display = ("name", "kind", "status", "carrier", "signed_on", "is_published")
    list_filter = (OwnTerritoryFilter, "kind", "status", "is_published", "thematics")
    list_select_related = ("carrier",)
    search_fields = ("name", "carrier__name")
    autocomplete_fields = (
        "carrier",
        "reference_hospital",
        "communes",
        "epcis",
        "neighbourhoods",
    )
    filter_horizontal = ("thematics",)
    fieldsets = (
        (None, {"fields": ("kind", "name", "status", "carrier", "description", "is_published")}),
        ("Calendrier", {"fields": ("signed_on", "start_date", "end_date", "start_year")}),
        ("Territoire couvert", {"fields": ("communes", "epcis", "neighbourhoods")}),
        ("Contenu", {"fields": ("thematics", "participation_level")}),
        (
            "Spécificités par type",
            {
                "fields": ("generation", "reference_hospital", "coordination_fte"),
                "description": "Génération : CLS ; établissement de référence : CLSM ; "
                "ETP de coordination : ASV.",
            },
        ),
    )
    inlines = (SchemeSignatoryInline, SchemeRoleInline, FundingInline, MediatorPostInline)
    journal = staticmethod(scheme_journal)


@admin.register(Role)
class RoleAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("person", "kind", "scheme", "organisation", "fte", "start_date", "end_date")
    list_filter = (OwnTerritoryFilter, "kind", "scheme__kind")
    list_select_related = ("person", "scheme", "organisation")
    search_fields = ("person__last_name", "person__first_name", "scheme__name")
    autocomplete_fields = ("person", "scheme", "organisation")


@admin.register(MediatorPost)
class MediatorPostAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("employer", "mediator", "start_date", "end_date", "renewals")
    list_filter = (
        OwnTerritoryFilter,
        "renewals",
    )
    list_select_related = ("employer", "mediator")
    search_fields = ("employer__name", "mediator__last_name")
    autocomplete_fields = ("scheme", "employer", "mediator", "neighbourhoods")


@admin.register(Funding)
class FundingAdmin(TerritoryAdmin, admin.ModelAdmin):
    list_display = ("scheme", "funder", "year", "programme", "amount", "share")
    list_filter = (OwnTerritoryFilter, "programme", "year")
    list_select_related = ("scheme", "funder")
    search_fields = ("scheme__name", "funder__name")
    autocomplete_fields = ("scheme", "funder")


@admin.register(HealthStructure)
class HealthStructureAdmin(TerritoryAdmin, GeoAdmin):
    list_display = ("name", "kind", "commune", "professionals", "project_cost", "is_published")
    list_filter = (OwnTerritoryFilter, "kind", "is_published")
    list_select_related = ("commune",)
    search_fields = ("name", "commune__name")
    autocomplete_fields = ("carrier", "commune", "communes_served")
