from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from devices.enums import SchemeKind
from devices.models import (
    Funding,
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    HealthStructure,
    MediatorPost,
    Organisation,
    Person,
    Role,
    Scheme,
    SchemeLink,
    SchemeSignatory,
    Thematic,
)
from devices.rules import (
    clsm_missing_signatories,
    clsm_signatories_message,
    is_ars_funded,
    steering_chairs_missing,
)
from neighbourhoods.admin_geometry import GeoAdmin
from neighbourhoods.admin_territory import (
    OwnTerritoryFilter,
    TerritoryAdmin,
    TerritoryInline,
    TerritoryInlineFormSet,
)
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
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "organisation")}),
        (
            "Coordonnées personnelles (jamais publiées)",
            {"fields": ("email", "phone")},
        ),
        (
            "Contact professionnel",
            {
                "fields": (
                    "professional_email",
                    "professional_phone",
                    "publish_professional_contact",
                ),
                "description": "Publié sur le portail et dans l'API seulement si la personne "
                "l'a accepté.",
            },
        ),
    )
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


def _kept_rows(formset) -> list:
    """The rows a validated inline formset is about to leave: kept, changed and new ones."""
    return [
        form.instance
        for form in formset.forms
        if (form.instance.pk is not None or form.has_changed())
        and not (formset.can_delete and formset._should_delete_form(form))
    ]


class SchemeSignatoryFormSet(TerritoryInlineFormSet):
    """Checks the CLSM rule (``devices.rules``) against the signatories and fundings about to be
    saved; the scheme admin hands it the funding formset of the same page."""

    fundings = None

    def clean(self):
        super().clean()
        if self.fundings is None or not self.fundings.is_valid():
            return
        missing = clsm_missing_signatories(
            self.instance, _kept_rows(self.fundings), _kept_rows(self)
        )
        if missing:
            raise ValidationError(clsm_signatories_message(missing))


class SchemeSignatoryInline(TerritoryInline, admin.TabularInline):
    model = SchemeSignatory
    formset = SchemeSignatoryFormSet
    extra = 0
    autocomplete_fields = ("organisation",)


class SchemeLinkInline(TerritoryInline, admin.TabularInline):
    model = SchemeLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ("target",)
    fields = ("kind", "target", "note")
    verbose_name = "lien vers un autre dispositif"
    verbose_name_plural = "liens vers d'autres dispositifs"


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
    list_display = (
        "name",
        "kind",
        "status",
        "carrier",
        "signed_on",
        "is_published",
        "illustrative",
    )
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
        ("Contenu", {"fields": ("thematics", "participation_level", "illustrative")}),
        (
            "Spécificités par type",
            {
                "fields": ("generation", "reference_hospital", "coordination_fte"),
                "description": "Génération : CLS ; établissement de référence : CLSM ; "
                "ETP de coordination : ASV.",
            },
        ),
    )
    readonly_fields = ("incoming_links", "clsm_signatories", "governance")
    inlines = (
        SchemeSignatoryInline,
        SchemeRoleInline,
        FundingInline,
        MediatorPostInline,
        SchemeLinkInline,
    )
    journal = staticmethod(scheme_journal)

    def get_queryset(self, request):
        # The change page's summaries name the carrier and the reference hospital.
        return super().get_queryset(request).select_related("carrier", "reference_hospital")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return (
            *self.fieldsets,
            (
                "Liens et gouvernance",
                {"fields": ("incoming_links", "clsm_signatories", "governance")},
            ),
        )

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        fundings = next((f for f in formsets if f.model is Funding), None)
        for formset in formsets:
            if isinstance(formset, SchemeSignatoryFormSet):
                formset.fundings = fundings
        if request.method == "GET":
            # The saved rows the inlines already loaded, for the read-only summaries below.
            obj._inline_rows = {
                f.model: [form.instance for form in f.initial_forms] for f in formsets
            }
        return formsets, inline_instances

    @staticmethod
    def _rows(obj, model, manager, *related) -> list:
        loaded = getattr(obj, "_inline_rows", {})
        return loaded[model] if model in loaded else list(manager.select_related(*related))

    @admin.display(description="liens reçus d'autres dispositifs")
    def incoming_links(self, obj):
        links = obj.incoming_links.select_related("source").order_by("source__name")
        rows = [
            (
                reverse("admin:devices_scheme_change", args=[link.source_id]),
                link.source,
                link.get_kind_display().lower(),
            )
            for link in links
        ]
        return format_html_join(", ", '<a href="{}">{}</a> ({} ce dispositif)', rows) or "—"

    @admin.display(description="signataires obligatoires (CLSM financé par l'ARS)")
    def clsm_signatories(self, obj):
        if obj.kind != SchemeKind.CLSM:
            return "Sans objet : la règle concerne les CLSM."
        fundings = self._rows(obj, Funding, obj.fundings, "funder")
        if not is_ars_funded(fundings):
            return "Sans objet : ce CLSM n'est pas financé par l'ARS."
        signatories = self._rows(obj, SchemeSignatory, obj.signatories, "organisation")
        missing = clsm_missing_signatories(obj, fundings, signatories)
        if missing:
            return format_html(
                '<strong class="errornote">Règle non respectée : manque {}.</strong>',
                ", ".join(missing),
            )
        return "Règle respectée : l'ARS, la collectivité et l'établissement de référence signent."

    @admin.display(description="instances de gouvernance")
    def governance(self, obj):
        if obj.kind != SchemeKind.CLS:
            return "Sans objet : le COPIL et le COTECH sont ceux d'un CLS."
        rows = [
            (
                reverse("admin:devices_governancebody_change", args=[body.pk]),
                body.get_kind_display(),
            )
            for body in obj.governance_bodies.order_by("kind")
        ]
        return format_html_join(", ", '<a href="{}">{}</a>', rows) or "—"


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
    list_display = (
        "scheme",
        "funder",
        "year",
        "programme",
        "purpose",
        "amount",
        "share",
        "illustrative",
    )
    list_filter = (OwnTerritoryFilter, "programme", "purpose", "year")
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


class GovernanceMemberInline(TerritoryInline, admin.TabularInline):
    model = GovernanceMember
    extra = 0
    autocomplete_fields = ("organisation", "role")
    fields = ("organisation", "role", "chairs")

    def get_queryset(self, request):
        # A role's label names its person and its scheme or organisation.
        return (
            super()
            .get_queryset(request)
            .select_related("role__person", "role__scheme", "role__organisation")
        )


class GovernanceMeetingInline(TerritoryInline, admin.TabularInline):
    model = GovernanceMeeting
    extra = 0
    fields = ("held_on", "summary")


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin):
    list_display = ("scheme", "kind")
    list_filter = (OwnTerritoryFilter, "kind")
    list_select_related = ("scheme",)
    search_fields = ("scheme__name",)
    autocomplete_fields = ("scheme",)
    fields = ("scheme", "kind", "remit", "chaired")
    readonly_fields = ("chaired",)
    inlines = (GovernanceMemberInline, GovernanceMeetingInline)

    @admin.display(description="copilotage")
    def chaired(self, obj):
        if obj.pk is None:
            return "—"
        if obj.kind != "steering":
            return "Sans objet : le copilotage concerne le comité de pilotage."
        members = obj.members.select_related("organisation", "role__organisation")
        missing = steering_chairs_missing(obj, members)
        if missing:
            return f"À compléter : ne co-préside pas encore {' ni '.join(missing)}."
        return "Copiloté par l'élu·e et la délégation territoriale de l'ARS."
