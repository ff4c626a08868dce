"""City contracts, their health section (objective tree and actions) and its ARS review."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from contracts.enums import (
    ActionStatus,
    CarrierKind,
    ContractGeneration,
    ObjectiveLevel,
    ReviewStatus,
)
from contracts.querysets import HealthSectionQuerySet
from devices.enums import ParticipationLevel, SchemeKind
from devices.models import FundingLineBase, Organisation, Scheme, SignatoryBase
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood
from neighbourhoods.validators import (
    SIREN_OR_INSEE_SQL,
    insee_code_error,
    plausible_year,
    sentence,
    siren_error,
    validate_year,
)

# Objective numbers: ASCII digits only (« 2.² » and « 2.١ » are not numbers), no leading zero.
OBJECTIVE_NUMBER_PART = re.compile(r"[1-9][0-9]*")


class CityContract(models.Model):
    """A contrat de ville (2015-2023 generation, or Engagements Quartiers 2030).

    2024 codes (``CN…``) and carriers come from ANCT's Ci.Ville list (Licence Ouverte).
    """

    code = models.CharField("code", max_length=20, unique=True)
    name = models.CharField("nom", max_length=255)
    generation = models.CharField("génération", max_length=9, choices=ContractGeneration.choices)
    carrier_kind = models.CharField(
        "type de porteur", max_length=7, choices=CarrierKind.choices, default=CarrierKind.EPCI
    )
    carrier_epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="city_contracts",
        verbose_name="EPCI porteur",
    )
    carrier_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_contracts",
        verbose_name="commune porteuse",
    )
    carrier_code = models.CharField(
        "code du porteur", max_length=9, blank=True, help_text="SIREN ou code INSEE tel que publié."
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="city_contracts",
        verbose_name="département",
    )
    signed_on = models.DateField("date de signature", null=True, blank=True)
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="city_contracts", verbose_name="communes"
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="city_contracts", verbose_name="quartiers"
    )
    description = models.TextField("présentation", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contrat de ville"
        verbose_name_plural = "contrats de ville"
        ordering = ["code"]
        constraints = [
            # A contract is carried by an EPCI or by a commune, never by both.
            models.CheckConstraint(
                condition=Q(carrier_epci__isnull=True) | Q(carrier_commune__isnull=True),
                name="city_contract_single_carrier",
                violation_error_message="Un contrat est porté par un EPCI ou par une commune, pas les deux.",
            ),
            # The carrier code is a SIREN or an INSEE code, as ANCT publishes it.
            models.CheckConstraint(
                condition=Q(carrier_code="") | Q(carrier_code__regex=SIREN_OR_INSEE_SQL),
                name="city_contract_carrier_code_format",
                violation_error_message="Le code du porteur est un SIREN (9 chiffres) ou un code INSEE (5 caractères).",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def carrier(self):
        return self.carrier_epci or self.carrier_commune

    def clean(self) -> None:
        if self.carrier_kind == CarrierKind.EPCI and self.carrier_commune_id:
            raise ValidationError({"carrier_commune": "Le porteur déclaré est un EPCI."})
        if self.carrier_kind == CarrierKind.COMMUNE and self.carrier_epci_id:
            raise ValidationError({"carrier_epci": "Le porteur déclaré est une commune."})
        reason = (
            carrier_code_error(self.carrier_kind, self.carrier_code) if self.carrier_code else None
        )
        if reason:
            raise ValidationError({"carrier_code": sentence(reason)})


def carrier_code_error(kind: str, code: str) -> str | None:
    """An EPCI is named by its SIREN, a commune by its INSEE code; another carrier (EPT,
    overseas collectivity) by either."""
    if kind == CarrierKind.EPCI:
        return siren_error(code)
    if kind == CarrierKind.COMMUNE:
        return insee_code_error(code)
    if insee_code_error(code) is None:
        return None
    if len(code) == 9:
        return siren_error(code)
    return f"code {code[:20]!r} invalide : SIREN (9 chiffres) ou code INSEE (5 caractères) attendu."


class Signatory(SignatoryBase):
    """A signatory of a city contract (State, EPCI, communes, ARS, CAF, CPAM…)."""

    contract = models.ForeignKey(
        CityContract, on_delete=models.CASCADE, related_name="signatories", verbose_name="contrat"
    )

    class Meta(SignatoryBase.Meta):
        verbose_name = "signataire"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"],
                name="unique_contract_signatory",
                violation_error_message="Cette organisation signe déjà ce contrat.",
            ),
        ]


class HealthSection(models.Model):
    """The health section (volet santé) of a city contract; a CLS may constitute it."""

    contract = models.OneToOneField(
        CityContract,
        on_delete=models.CASCADE,
        related_name="health_section",
        verbose_name="contrat de ville",
    )
    title = models.CharField("intitulé", max_length=255, blank=True)
    diagnosis_date = models.DateField("date du diagnostic local de santé", null=True, blank=True)
    diagnosis_summary = models.TextField("synthèse du diagnostic", blank=True)
    diagnosis_with_asv = models.BooleanField("diagnostic partagé avec l'ASV", default=False)
    constituted_by = models.ForeignKey(
        Scheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="constituted_sections",
        verbose_name="constitué par le CLS",
        help_text="Circulaire du 5 décembre 2014 : le CLS peut constituer le volet santé "
        "lorsque les territoires coïncident.",
    )
    is_published = models.BooleanField("publié", default=False)

    objects = HealthSectionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "volet santé"
        verbose_name_plural = "volets santé"
        ordering = ["contract__code"]

    def __str__(self) -> str:
        return f"Volet santé – {self.contract}"

    def clean(self) -> None:
        if self.constituted_by_id and self.constituted_by.kind != SchemeKind.CLS:
            raise ValidationError({"constituted_by": "Seul un CLS peut constituer le volet santé."})


class Objective(models.Model):
    """A node of the health section's tree: orientation → objectives → intervention priority.

    Numbered like ``2``, ``2.1``, ``2.1.1``, ``2.1.1.1``: the number has one segment per level
    and extends its parent's number.
    """

    section = models.ForeignKey(
        HealthSection,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name="volet santé",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="niveau supérieur",
    )
    level = models.PositiveSmallIntegerField("niveau", choices=ObjectiveLevel.choices)
    number = models.CharField("numéro", max_length=20)
    title = models.CharField("intitulé", max_length=500)
    description = models.TextField("description", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "objectif"
        ordering = ["section", "level", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                name="unique_objective_number_in_section",
                violation_error_message="Ce numéro est déjà utilisé dans ce volet santé.",
            ),
            # An orientation is the root of the tree; every other level has a parent.
            models.CheckConstraint(
                condition=Q(level=ObjectiveLevel.ORIENTATION, parent__isnull=True)
                | Q(level__gt=ObjectiveLevel.ORIENTATION, parent__isnull=False),
                name="objective_parent_matches_level",
                violation_error_message="Seule une orientation n'a pas de niveau supérieur.",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4),
                name="objective_level_range",
                violation_error_message="Le niveau va de 1 (orientation) à 4 (priorité).",
            ),
            # Numbers are 1 to 4 dot-separated positive integers in ASCII digits.
            models.CheckConstraint(
                condition=Q(number__regex=r"^[1-9][0-9]*(\.[1-9][0-9]*){0,3}$"),
                name="objective_number_format",
                violation_error_message="Le numéro s'écrit avec des entiers séparés par des points (ex. 2.1.3).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number_key(self) -> tuple[int, ...]:
        """Sort key: 2.10 comes after 2.9."""
        return tuple(
            int(part) for part in self.number.split(".") if OBJECTIVE_NUMBER_PART.fullmatch(part)
        )

    def clean(self) -> None:
        errors = {}
        parts = self.number.split(".") if self.number else []
        if not parts or not all(OBJECTIVE_NUMBER_PART.fullmatch(part) for part in parts):
            errors["number"] = (
                "Le numéro s'écrit avec des entiers séparés par des points (ex. 2.1.3)."
            )
        elif self.level and len(parts) != self.level:
            errors["number"] = (
                f"Un {ObjectiveLevel(self.level).label.lower()} se numérote sur {self.level} "
                f"niveau(x) (ex. {'.'.join(['2', '1', '1', '1'][: self.level])})."
            )
        if self.parent_id:
            parent = self.parent
            if parent.section_id != self.section_id:
                errors["parent"] = "Le niveau supérieur appartient à un autre volet santé."
            elif self.level and parent.level != self.level - 1:
                errors["level"] = "Le niveau doit suivre immédiatement celui du niveau supérieur."
            elif "number" not in errors and ".".join(parts[:-1]) != parent.number:
                errors["number"] = (
                    f"Le numéro doit prolonger celui du niveau supérieur ({parent.number})."
                )
        elif self.level and self.level != ObjectiveLevel.ORIENTATION:
            errors["parent"] = "Ce niveau doit être rattaché à un niveau supérieur."
        if errors:
            raise ValidationError(errors)


class Action(models.Model):
    """An action carried out under an objective of the health section."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="actions", verbose_name="objectif"
    )
    title = models.CharField("intitulé", max_length=500)
    description = models.TextField("description", blank=True)
    carrier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="porteur",
    )
    schemes = models.ManyToManyField(
        Scheme, blank=True, related_name="actions", verbose_name="dispositifs mobilisés"
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="actions", verbose_name="quartiers ciblés"
    )
    participation_level = models.PositiveSmallIntegerField(
        "participation des habitants (échelle d'Arnstein)",
        choices=ParticipationLevel.choices,
        null=True,
        blank=True,
    )
    status = models.CharField(
        "statut", max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    start_year = models.PositiveSmallIntegerField(
        "année de début", null=True, blank=True, validators=[validate_year]
    )
    end_year = models.PositiveSmallIntegerField(
        "année de fin", null=True, blank=True, validators=[validate_year]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "action"
        ordering = ["objective", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="action_end_after_start",
                violation_error_message="L'année de fin doit suivre l'année de début.",
            ),
            plausible_year("start_year", "action"),
            plausible_year("end_year", "action"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionFunding(FundingLineBase):
    """Funding of an action (programme 147, ARS FIR, common-law credits…)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="fundings", verbose_name="action"
    )

    history = HistoricalRecords()

    class Meta(FundingLineBase.Meta):
        verbose_name = "financement de l'action"
        verbose_name_plural = "financements des actions"
        constraints = FundingLineBase.constraints_for("action_funding")


class Review(models.Model):
    """The ARS review of a health section, with the criteria ARS staff check."""

    section = models.ForeignKey(
        HealthSection, on_delete=models.CASCADE, related_name="reviews", verbose_name="volet santé"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name="relecteur·rice ARS",
    )
    status = models.CharField(
        "statut", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    diagnosis_shared = models.BooleanField("diagnostic partagé avec l'ASV", null=True, blank=True)
    cls_articulated = models.BooleanField("articulation avec le CLS", null=True, blank=True)
    mental_health_considered = models.BooleanField(
        "santé mentale / CLSM prise en compte", null=True, blank=True
    )
    residents_involved = models.BooleanField(
        "habitants et conseils citoyens associés", null=True, blank=True
    )
    prs_consistent = models.BooleanField("cohérence avec le PRS et le PRAPS", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "avis de l'ARS"
        verbose_name_plural = "avis de l'ARS"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Avis ARS – {self.section.contract} ({self.get_status_display()})"


class ReviewComment(models.Model):
    """A dated comment in the ARS review."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="comments", verbose_name="avis"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_comments",
        verbose_name="auteur·rice",
    )
    body = models.TextField("commentaire")
    created_at = models.DateTimeField("date", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire d'avis"
        verbose_name_plural = "commentaires d'avis"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author} – {self.created_at:%d/%m/%Y}"
