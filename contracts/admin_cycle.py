"""Admin of the project cycle and of participation: diagnoses and evaluations inline on the
health section and on the scheme, and the summary of the participation levels of their actions.

The scheme's admin belongs to ``devices``, which cannot know about contracts: this module
extends whatever class ``devices`` registered, so both apps keep their own screens.
"""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from contracts.cycle import Evaluation, HealthDiagnosis
from contracts.selectors import ParticipationSummary, scheme_participation
from devices.models import Scheme
from neighbourhoods.admin_territory import TerritoryInline


class HealthDiagnosisInline(TerritoryInline, admin.StackedInline):
    model = HealthDiagnosis
    extra = 0
    fields = ("carried_out_on", "co_author_organisations", "co_author_schemes", "method", "summary")
    autocomplete_fields = ("co_author_organisations", "co_author_schemes")


class EvaluationInline(TerritoryInline, admin.StackedInline):
    model = Evaluation
    extra = 0
    fields = ("carried_out_on", "evaluators", "evaluated_by", "findings")
    autocomplete_fields = ("evaluators",)


def participation_table(summary: ParticipationSummary) -> str:
    """The distribution as a table (no inline style: the CSP forbids them)."""
    if not summary.actions:
        return "Aucune action."
    return format_html(
        '<table class="participation-summary"><thead><tr><th scope="col">Échelon d\'Arnstein'
        '</th><th scope="col">visé</th><th scope="col">atteint</th></tr></thead>'
        "<tbody>{}</tbody></table><p>{} action(s), dont {} en deçà du niveau visé.</p>",
        format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            ((line.label, line.aimed, line.reached) for line in summary.lines),
        ),
        summary.actions,
        summary.below_aim,
    )


CYCLE_FIELDS = ("stage", "participation")


def scheme_admin_extend() -> None:
    """Re-registers the scheme's admin with its cycle and participation; called once the
    contracts' own screens are registered (the section stays the first page writing diagnoses
    and evaluations)."""
    base = type(admin.site._registry[Scheme])
    admin.site.unregister(Scheme)
    inlines = (*base.inlines, HealthDiagnosisInline, EvaluationInline)
    admin.site.register(
        Scheme, type("SchemeCycleAdmin", (SchemeCycleMixin, base), {"inlines": inlines})
    )


class SchemeCycleMixin:
    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "participation")

    def get_fieldsets(self, request, obj=None):
        return (
            *super().get_fieldsets(request, obj),
            ("Cycle de projet et participation des habitants", {"fields": CYCLE_FIELDS}),
        )

    @admin.display(description="participation visée et atteinte par les actions du dispositif")
    def participation(self, scheme: Scheme) -> str:
        if scheme.pk is None:
            return "—"
        return participation_table(scheme_participation(scheme))
