from django.contrib import admin
from django.utils.html import format_html, format_html_join

from contracts.admin_cycle import (
    EvaluationInline,
    HealthDiagnosisInline,
    participation_table,
    scheme_admin_extend,
)
from contracts.admin_review import SectionReviewMixin
from contracts.enums import ReviewStatus
from contracts.models import (
    Action,
    ActionFunding,
    CityContract,
    HealthSection,
    Objective,
    Signatory,
)
from contracts.review_policy import may_submit
from contracts.review_services import health_section_content_changed
from contracts.selectors import ObjectiveNode, objective_tree, section_participation
from neighbourhoods.admin_territory import (
    OwnTerritoryFilter,
    TerritoryAdmin,
    TerritoryInline,
    TerritoryInlineFormSet,
)
from portal.admin_concurrency import VersionCheckedAdminMixin
from portal.admin_history import ActivityJournalAdminMixin
from portal.history import section_journal


class SignatoryInline(TerritoryInline, admin.TabularInline):
    model = Signatory
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(CityContract)
class CityContractAdmin(VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "generation", "carrier_kind", "department", "signed_on")
    list_filter = ("generation", "carrier_kind", "department__region", "department")
    list_select_related = ("department",)
    search_fields = ("code", "name", "carrier_epci__name", "carrier_commune__name")
    autocomplete_fields = (
        "carrier_epci",
        "carrier_commune",
        "department",
        "communes",
        "neighbourhoods",
    )
    inlines = (SignatoryInline,)


class TreeOrderFormSet(TerritoryInlineFormSet):
    """Objectives in tree order (2, 2.1, 2.1.1, 2.2, …, 2.10), which text order breaks past 9."""

    def get_queryset(self):
        if not hasattr(self, "_tree_ordered"):
            self._tree_ordered = sorted(super().get_queryset(), key=lambda o: o.number_key)
        return self._tree_ordered


class ObjectiveInline(TerritoryInline, admin.TabularInline):
    """The table to edit the objectives, folded: the section page shows them once, as the tree
    above; the table opens for editing."""

    model = Objective
    formset = TreeOrderFormSet
    extra = 0
    fields = ("number", "level", "parent", "title")
    ordering = ("number",)
    show_change_link = True
    classes = ("collapse",)
    verbose_name_plural = "objectifs (saisie en tableau)"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The parent is chosen among the objectives of the same section only.
        if db_field.name == "parent":
            section_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Objective.objects.filter(section_id=section_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionContentAdminMixin:
    """Pages that change a health section's content (the section, its objectives, actions and
    their funding lines). A change to an APPROVED section's content starts a new round, as a
    write through the API does (``review_services.health_section_content_changed``): the public
    keeps the approved version until the ARS approves the next one."""

    def section_of(self, obj) -> HealthSection:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        section = self.section_of(form.instance)
        if (
            changed
            and section.review_status == ReviewStatus.APPROVED
            and may_submit(request.user, section)
        ):
            health_section_content_changed(section=section, user=request.user)


@admin.register(HealthSection)
class HealthSectionAdmin(
    SectionContentAdminMixin,
    SectionReviewMixin,
    ActivityJournalAdminMixin,
    VersionCheckedAdminMixin,
    TerritoryAdmin,
    admin.ModelAdmin,
):
    change_form_template = "admin/contracts/healthsection/change_form.html"

    def section_of(self, obj):
        return obj

    list_display = ("contract", "title", "constituted_by", "stage", "review_status", "is_published")
    list_filter = (
        OwnTerritoryFilter,
        "review_status",
        "is_published",
        "stage",
        "contract__generation",
    )
    list_select_related = ("contract", "constituted_by")
    search_fields = ("contract__code", "contract__name", "title")
    autocomplete_fields = ("contract", "constituted_by", "contributing_schemes")
    readonly_fields = ("review_status", "is_published", "tree", "participation")
    fields = (
        "contract",
        "title",
        "constituted_by",
        "contributing_schemes",
        "stage",
        "review_status",
        "is_published",
        "tree",
        "participation",
    )
    inlines = (ObjectiveInline, HealthDiagnosisInline, EvaluationInline)

    @admin.display(description="participation visée et atteinte par les actions du volet")
    def participation(self, section: HealthSection) -> str:
        if section.pk is None:
            return "—"
        return participation_table(section_participation(section))

    @admin.display(description="arborescence du volet santé")
    def tree(self, section: HealthSection) -> str:
        if section.pk is None:
            return "—"
        roots = objective_tree(section)
        if not roots:
            return "Aucun objectif saisi."
        return nested_list(roots, css_class="objective-tree")

    journal = staticmethod(section_journal)


def nested_list(nodes: list[ObjectiveNode], css_class: str = "") -> str:
    """Nested lists indent the tree without inline styles (the CSP forbids them) and tell
    screen readers each node's depth."""
    if not nodes:
        return ""
    return format_html(
        '<ul class="{}">{}</ul>',
        css_class,
        format_html_join(
            "",
            "<li><strong>{}</strong> {} <em>({})</em>{}</li>",
            (
                (
                    n.objective.number,
                    n.objective.title,
                    n.objective.get_level_display(),
                    nested_list(n.children),
                )
                for n in nodes
            ),
        ),
    )


class ActionInline(TerritoryInline, admin.TabularInline):
    model = Action
    extra = 0
    fields = (
        "title",
        "carrier",
        "status",
        "participation_aimed",
        "participation_reached",
        "illustrative",
    )
    autocomplete_fields = ("carrier",)
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(
    SectionContentAdminMixin, VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin
):
    list_display = ("number", "title", "level", "section")
    # Tree order within each section (2, 2.1, 2.1.1, 2.2…), not all orientations then all
    # objectives: the text order of the numbers, exact up to 9 children per node.
    ordering = ("section", "number")
    list_filter = (
        OwnTerritoryFilter,
        "level",
    )
    list_select_related = ("section__contract",)
    search_fields = ("number", "title", "section__contract__name")
    autocomplete_fields = ("section", "parent")
    inlines = (ActionInline,)

    def section_of(self, obj):
        return obj.section


class ActionFundingInline(TerritoryInline, admin.TabularInline):
    model = ActionFunding
    extra = 0
    autocomplete_fields = ("funder",)


@admin.register(Action)
class ActionAdmin(
    SectionContentAdminMixin, VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin
):
    list_display = (
        "title",
        "objective",
        "carrier",
        "status",
        "participation_aimed",
        "participation_reached",
        "illustrative",
    )
    list_filter = (OwnTerritoryFilter, "status", "participation_aimed", "participation_reached")
    list_select_related = ("objective", "carrier")
    search_fields = ("title", "objective__number", "carrier__name")
    autocomplete_fields = ("objective", "carrier", "schemes", "neighbourhoods")
    inlines = (ActionFundingInline,)

    def section_of(self, obj):
        return obj.objective.section


# Sub-domains with screens of their own.
from contracts import admin_calls  # noqa: E402, F401

scheme_admin_extend()
