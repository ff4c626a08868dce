"""Admin of calls for projects: the call with its proposals, each proposal with both technical
opinions and the decision, the opinions written in the signed-in user's role."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from contracts.admin_authorship import adopt_saved
from contracts.calls import CallForProjects, Proposal, TechnicalOpinion, orientations_error
from contracts.enums import ProposalDecision
from contracts.models import Objective
from contracts.selectors import call_summary
from contracts.services_calls import (
    NO_OPINION_ROLE,
    opinion_kind_for,
    proposal_decide,
    technical_opinion_give,
)
from neighbourhoods.admin_territory import (
    OwnTerritoryFilter,
    TerritoryAdmin,
    TerritoryInline,
    TerritoryModelForm,
)
from portal.admin_concurrency import VersionCheckedAdminMixin


class CallForProjectsForm(TerritoryModelForm):
    def clean(self):
        cleaned = super().clean()
        contract = cleaned.get("contract") or getattr(self.instance, "contract", None)
        orientations = cleaned.get("orientations")
        if contract is not None and orientations:
            reason = orientations_error(contract, orientations.select_related("section"))
            if reason:
                self.add_error("orientations", reason)
        return cleaned


class ProposalInline(TerritoryInline, admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ("title", "carrier", "amount_asked", "is_health", "decision", "amount_granted")
    # Decisions are taken on the proposal's page, where they become actions and funding.
    readonly_fields = ("decision", "amount_granted")
    autocomplete_fields = ("carrier",)
    show_change_link = True


@admin.register(CallForProjects)
class CallForProjectsAdmin(VersionCheckedAdminMixin, TerritoryAdmin, admin.ModelAdmin):
    form = CallForProjectsForm
    list_display = ("title", "contract", "year", "budget", "closes_on", "is_published")
    list_filter = (OwnTerritoryFilter, "year", "is_published")
    list_select_related = ("contract",)
    search_fields = ("title", "contract__code", "contract__name")
    autocomplete_fields = ("contract", "funder", "orientations")
    readonly_fields = ("summary",)
    fields = (
        "contract",
        "year",
        "title",
        "budget",
        "orientations",
        "funder",
        "programme",
        "opens_on",
        "closes_on",
        "is_published",
        "summary",
    )
    inlines = (ProposalInline,)

    @admin.display(description="bilan des propositions")
    def summary(self, call: CallForProjects) -> str:
        if call.pk is None:
            return "—"
        s = call_summary(call)
        return format_html(
            '<ul class="call-summary"><li>{} proposition(s), dont {} retenue(s), {} non '
            "retenue(s) et {} en attente</li><li>Montant demandé : {}</li>"
            "<li>Montant accordé : {}</li></ul>",
            s.proposals,
            s.retained,
            s.not_retained,
            s.pending,
            euros(s.amount_asked),
            euros(s.amount_granted),
        )


def euros(amount) -> str:
    """« 3 500,00 € » (SQLite may sum decimals as floats: rounded to the cent here)."""
    text = f"{Decimal(str(amount)).quantize(Decimal('0.01')):,}"
    return text.replace(",", "\u202f").replace(".", ",") + " €"


class ProposalForm(TerritoryModelForm):
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        label="objectif de l'action retenue",
        help_text="L'action retenue est placée sous cet objectif du volet santé du contrat.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call_id = self.instance.call_id if self.instance.pk else None
        if "objective" in self.fields:
            field = self.fields["objective"]
            if call_id is not None:
                field.queryset = Objective.objects.filter(
                    section__contract__calls_for_projects=call_id
                ).select_related("section")
            else:
                field.queryset = Objective.objects.select_related("section")
            if self.instance.action_id:
                field.initial = self.instance.action.objective_id

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        was = self.initial.get("decision", ProposalDecision.PENDING)
        if decision == ProposalDecision.PENDING and was != ProposalDecision.PENDING:
            self.add_error("decision", "Une décision prise ne revient pas en attente.")
        if decision == ProposalDecision.RETAINED:
            objective = cleaned.get("objective")
            call = cleaned.get("call") or getattr(self.instance, "call", None)
            if objective is None and not self.instance.action_id:
                self.add_error("objective", "Choisissez l'objectif sous lequel placer l'action.")
            elif (
                objective is not None
                and call is not None
                and objective.section.contract_id != call.contract_id
            ):
                self.add_error(
                    "objective", "L'objectif doit appartenir au volet santé du contrat de l'appel."
                )
        return cleaned


DECISION_FIELDS = ("decision", "decision_reason", "amount_granted", "objective")


@admin.register(Proposal)
class ProposalAdmin(TerritoryAdmin, admin.ModelAdmin):
    form = ProposalForm
    list_display = ("title", "call", "carrier", "amount_asked", "decision", "amount_granted")
    list_filter = (OwnTerritoryFilter, "decision", "is_health", "call__year")
    list_select_related = ("call", "carrier")
    search_fields = ("title", "carrier__name", "call__title")
    autocomplete_fields = ("call", "carrier")
    readonly_fields = ("opinions", "action", "funding")
    fieldsets = (
        (
            None,
            {"fields": ("call", "carrier", "title", "description", "amount_asked", "is_health")},
        ),
        ("Avis techniques", {"fields": ("opinions",)}),
        (
            "Décision de l'élu·e",
            {"fields": (*DECISION_FIELDS, "action", "funding")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("call", "action", "funding")

    @admin.display(description="avis du coordonnateur santé et de l'ARS")
    def opinions(self, proposal: Proposal) -> str:
        if proposal.pk is None:
            return "—"
        if not proposal.is_health:
            return "Action non « santé » : pas d'avis technique."
        opinions = proposal.opinions.select_related("author")
        given = format_html_join(
            "",
            "<li><strong>{}</strong> : {} – {} <em>({})</em></li>",
            (
                (o.get_kind_display(), o.get_verdict_display(), o.reasons, o.author)
                for o in opinions
            ),
        )
        add_url = reverse("admin:contracts_technicalopinion_add") + f"?proposal={proposal.pk}"
        return format_html(
            '<ul class="opinions">{}</ul><a href="{}">Donner ou réviser votre avis</a>',
            given or format_html("<li>{}</li>", "Aucun avis pour l'instant."),
            add_url,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        decision = form.cleaned_data.get("decision")
        decided = decision in (ProposalDecision.RETAINED, ProposalDecision.NOT_RETAINED)
        if decided and any(name in form.changed_data for name in DECISION_FIELDS):
            proposal_decide(
                proposal=obj,
                retained=decision == ProposalDecision.RETAINED,
                reason=form.cleaned_data.get("decision_reason", ""),
                amount_granted=form.cleaned_data.get("amount_granted"),
                objective=form.cleaned_data.get("objective"),
                user=request.user,
            )


class TechnicalOpinionForm(TerritoryModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.territory_user is not None and opinion_kind_for(self.territory_user) is None:
            raise forms.ValidationError(NO_OPINION_ROLE)
        return cleaned


@admin.register(TechnicalOpinion)
class TechnicalOpinionAdmin(TerritoryAdmin, admin.ModelAdmin):
    """Kind and author are the signed-in user's; each writes and deletes their own kind only."""

    form = TechnicalOpinionForm
    list_display = ("proposal", "kind", "verdict", "author", "updated_at")
    list_filter = ("kind", "verdict")
    list_select_related = ("proposal", "author")
    search_fields = ("proposal__title", "reasons")
    autocomplete_fields = ("proposal",)
    fields = ("proposal", "kind", "author", "verdict", "reasons", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        readonly = ("kind", "author", "created_at", "updated_at")
        # An opinion stays attached to the proposal it was given on.
        return (*readonly, "proposal") if obj is not None else readonly

    def _own_kind(self, request, obj) -> bool:
        return obj is None or obj.kind == opinion_kind_for(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            request.user.is_superuser or self._own_kind(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            request.user.is_superuser or self._own_kind(request, obj)
        )

    def save_model(self, request, obj, form, change):
        saved = technical_opinion_give(
            proposal=obj.proposal,
            author=request.user,
            verdict=form.cleaned_data["verdict"],
            reasons=form.cleaned_data["reasons"],
        )
        adopt_saved(obj, saved)
