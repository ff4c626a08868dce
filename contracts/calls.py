"""Calls for projects of a city contract, the proposals they receive, the technical opinions
given on health proposals and the elected official's decision.

Boulonnais (seed 000): « le coordonnateur santé donne un avis technique (avec l'ARS) sur les
actions « santé » déposées ». Hazebrouck (seed 000): « Sur les 90 propositions, une soixantaine
a été retenue par l'élu », with « un travail d'explication et de transparence sur le pourquoi
des actions non retenues ». The amount granted becomes the action's funding
(``contracts.services_calls.proposal_decide``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from contracts.enums import ObjectiveLevel, OpinionKind, OpinionVerdict, ProposalDecision
from contracts.models import Action, ActionFunding, CityContract, Objective
from devices.enums import FundingProgramme
from devices.models import Organisation
from neighbourhoods.validators import plausible_year, validate_year

AMOUNT = {"max_digits": 12, "decimal_places": 2}


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CallForProjects(models.Model):
    """A contract's yearly call for projects (appel à projets)."""

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    contract = models.ForeignKey(
        CityContract,
        on_delete=models.CASCADE,
        related_name="calls_for_projects",
        verbose_name="contrat de ville",
    )
    year = models.PositiveSmallIntegerField("année", validators=[validate_year])
    title = models.CharField("intitulé", max_length=255)
    budget = models.DecimalField("enveloppe (€)", null=True, blank=True, **AMOUNT)
    orientations = models.ManyToManyField(
        Objective,
        blank=True,
        related_name="calls_for_projects",
        verbose_name="orientations visées",
        help_text="Orientations du volet santé de ce contrat auxquelles l'appel répond.",
    )
    # The contract's carrier is an EPCI or a commune row, not an organisation, and the credits
    # of a call may come from the State (programme 147) as much as from the EPCI: the call
    # names who pays the retained actions, and under which programme.
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="calls_for_projects",
        verbose_name="financeur",
        help_text="Qui finance les actions retenues (l'EPCI porteur, la préfecture…).",
    )
    programme = models.CharField(
        "programme",
        max_length=20,
        choices=FundingProgramme.choices,
        default=FundingProgramme.P147,
    )
    opens_on = models.DateField("ouverture", null=True, blank=True)
    closes_on = models.DateField("clôture des dépôts", null=True, blank=True)
    is_published = models.BooleanField("publié", default=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = "appel à projets"
        verbose_name_plural = "appels à projets"
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "year", "title"],
                name="unique_call_title_per_contract_year",
                violation_error_message="Ce contrat a déjà un appel à projets de ce nom cette année.",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="call_closes_after_opening",
                violation_error_message="La clôture doit suivre l'ouverture.",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="call_budget_positive",
                violation_error_message="L'enveloppe ne peut pas être négative.",
            ),
            plausible_year("year", "call", nullable=False),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


def orientations_error(contract: CityContract, orientations) -> str | None:
    """The orientations a call targets belong to the health section of its own contract."""
    for objective in orientations:
        if objective.level != ObjectiveLevel.ORIENTATION:
            return f"« {objective} » n'est pas une orientation."
        if objective.section.contract_id != contract.pk:
            return f"« {objective} » appartient au volet santé d'un autre contrat."
    return None


class Proposal(models.Model):
    """An action proposed in answer to a call; decided by the elected official."""

    call = models.ForeignKey(
        CallForProjects,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name="appel à projets",
    )
    carrier = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposals", verbose_name="porteur"
    )
    title = models.CharField("action proposée", max_length=500)
    description = models.TextField("description", blank=True)
    amount_asked = models.DecimalField("montant demandé (€)", **AMOUNT)
    is_health = models.BooleanField(
        "action « santé »",
        default=True,
        help_text="Les actions « santé » reçoivent un avis technique du coordonnateur santé "
        "et de l'ARS.",
    )
    decision = models.CharField(
        "décision de l'élu·e",
        max_length=12,
        choices=ProposalDecision.choices,
        default=ProposalDecision.PENDING,
    )
    decision_reason = models.TextField(
        "motif publié",
        blank=True,
        help_text="Obligatoire pour une action non retenue : le pourquoi est expliqué aux porteurs.",
    )
    amount_granted = models.DecimalField("montant accordé (€)", null=True, blank=True, **AMOUNT)
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name="action du volet santé",
    )
    funding = models.OneToOneField(
        ActionFunding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name="ligne de financement",
    )

    class Meta:
        verbose_name = "proposition d'action"
        verbose_name_plural = "propositions d'actions"
        ordering = ["call", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_asked__gte=0),
                name="proposal_amount_asked_positive",
                violation_error_message="Le montant demandé ne peut pas être négatif.",
            ),
            # Only a retained proposal is granted an amount, never more than it asked for.
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True)
                | Q(
                    decision=ProposalDecision.RETAINED,
                    amount_granted__gte=0,
                    amount_granted__lte=models.F("amount_asked"),
                ),
                name="proposal_granted_when_retained_within_asked",
                violation_error_message="Seule une action retenue reçoit un montant, au plus "
                "le montant demandé.",
            ),
            models.CheckConstraint(
                condition=Q(decision=ProposalDecision.RETAINED, amount_granted__isnull=False)
                | ~Q(decision=ProposalDecision.RETAINED),
                name="proposal_retained_has_amount",
                violation_error_message="Une action retenue a un montant accordé.",
            ),
            # Transparency on the actions not retained (Hazebrouck, seed 000).
            models.CheckConstraint(
                condition=~Q(decision=ProposalDecision.NOT_RETAINED) | ~Q(decision_reason=""),
                name="proposal_not_retained_has_reason",
                violation_error_message="Le motif d'une action non retenue est obligatoire.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.decision == ProposalDecision.NOT_RETAINED and not self.decision_reason.strip():
            errors["decision_reason"] = "Le motif d'une action non retenue est obligatoire."
        if self.amount_granted is not None:
            if self.decision != ProposalDecision.RETAINED:
                errors["amount_granted"] = "Seule une action retenue reçoit un montant."
            elif self.amount_asked is not None and self.amount_granted > self.amount_asked:
                errors["amount_granted"] = "Le montant accordé dépasse le montant demandé."
        elif self.decision == ProposalDecision.RETAINED:
            errors["amount_granted"] = "Indiquez le montant accordé à l'action retenue."
        if errors:
            raise ValidationError(errors)


class TechnicalOpinion(models.Model):
    """The technical opinion on a health proposal: one by the health coordinator, one by the
    ARS. Its kind and its author come from the signed-in account, never from a form."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="opinions", verbose_name="proposition"
    )
    kind = models.CharField("avis de", max_length=11, choices=OpinionKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="technical_opinions",
        verbose_name="auteur·rice",
    )
    verdict = models.CharField("avis", max_length=12, choices=OpinionVerdict.choices)
    reasons = models.TextField("motifs")
    created_at = models.DateTimeField("donné le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "avis technique"
        verbose_name_plural = "avis techniques"
        ordering = ["proposal", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "kind"],
                name="unique_opinion_kind_per_proposal",
                violation_error_message="Cette proposition a déjà un avis de ce type.",
            ),
            models.CheckConstraint(
                condition=~Q(reasons=""),
                name="opinion_has_reasons",
                violation_error_message="Un avis technique est motivé.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.get_verdict_display()}"

    def clean(self) -> None:
        if self.proposal_id and not self.proposal.is_health:
            raise ValidationError(
                {"proposal": "Seules les actions « santé » reçoivent un avis technique."}
            )
