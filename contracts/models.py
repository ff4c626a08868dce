"""City contracts, their health section (objective tree and actions) and its ARS review."""

import re
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from simple_history.models import HistoricalRecords

from contracts.enums import (
    ActionStatus,
    CarrierKind,
    ContractGeneration,
    ObjectiveLevel,
    ReviewCriterion,
    ReviewStatus,
)
from contracts.querysets import HealthSectionQuerySet
from devices.enums import FundingPurpose, ParticipationLevel, ProjectStage, SchemeKind
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

# Schemes that may constitute a health section: the CLS (circular of 5 December 2014) and the
# ASV (seed 000: « voire le représente dans sa totalité »).
CONSTITUTING_KINDS = (SchemeKind.CLS, SchemeKind.ASV)

# Objective numbers: ASCII digits only (« 2.² » and « 2.١ » are not numbers), no leading zero.
OBJECTIVE_NUMBER_PART = re.compile(r"[1-9][0-9]*")


class CityContract(models.Model):
    """A contrat de ville (2015-2023 generation, or Engagements Quartiers 2030).

    2024 codes (``CN…``) and carriers come from ANCT's Ci.Ville list (Licence Ouverte).
    """

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)
    location = models.PointField("localisation", srid=4326, null=True, blank=True, editable=False)

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
    """The health section (volet santé) of a city contract; a CLS or an ASV may constitute it,
    other schemes (an ASV above all) contribute to it."""

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    contract = models.OneToOneField(
        CityContract,
        on_delete=models.CASCADE,
        related_name="health_section",
        verbose_name="contrat de ville",
    )
    title = models.CharField("intitulé", max_length=255, blank=True)
    constituted_by = models.ForeignKey(
        Scheme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="constituted_sections",
        verbose_name="constitué par le dispositif",
        help_text="Un CLS ou un ASV. Circulaire du 5 décembre 2014 : le CLS peut constituer le "
        "volet santé lorsque les territoires coïncident ; « l'ASV doit contribuer au volet santé "
        "du contrat de ville (voire le représente dans sa totalité) » (rencontre IREV 2016).",
    )
    contributing_schemes = models.ManyToManyField(
        Scheme,
        blank=True,
        related_name="contributed_sections",
        verbose_name="dispositifs contributeurs",
        help_text="Dispositifs qui contribuent au volet santé sans le constituer (un ASV, "
        "le CLS, le CLSM…).",
    )
    stage = models.CharField(
        "étape du projet",
        max_length=12,
        choices=ProjectStage.choices,
        blank=True,
        help_text="Diagnostic → orientations → programmation → évaluation (rencontre IREV 2016).",
    )
    # Both follow the ARS review and are written by contracts.review_services only.
    review_status = models.CharField(
        "état de la relecture ARS",
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        editable=False,
    )
    is_published = models.BooleanField(
        "publié",
        default=False,
        editable=False,
        help_text="Publié dès la première validation par l'ARS : le public voit la version validée.",
    )

    objects = HealthSectionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "volet santé"
        verbose_name_plural = "volets santé"
        ordering = ["contract__code"]

    def __str__(self) -> str:
        return f"Volet santé – {self.contract}"

    def clean(self) -> None:
        if self.constituted_by_id and self.constituted_by.kind not in CONSTITUTING_KINDS:
            raise ValidationError(
                {"constituted_by": "Seul un CLS ou un ASV peut constituer le volet santé."}
            )


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


def arnstein_level(field: str, prefix: str) -> models.CheckConstraint:
    # Arnstein's ladder has eight rungs.
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 8}),
        name=f"{prefix}_{field}_arnstein",
        violation_error_message="L'échelle d'Arnstein va de 1 (manipulation) à 8 (contrôle citoyen).",
    )


class Action(models.Model):
    """An action carried out under an objective of the health section."""

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

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
    participation_aimed = models.PositiveSmallIntegerField(
        "participation des habitants visée (échelle d'Arnstein)",
        choices=ParticipationLevel.choices,
        null=True,
        blank=True,
    )
    participation_reached = models.PositiveSmallIntegerField(
        "participation des habitants atteinte (échelle d'Arnstein)",
        choices=ParticipationLevel.choices,
        null=True,
        blank=True,
        help_text="Le niveau réellement atteint, constaté à l'évaluation.",
    )
    illustrative = models.BooleanField(
        "valeur illustrative",
        default=False,
        help_text="Coché quand le niveau de participation indiqué ne vient pas d'une source (données de démonstration) : à ne pas citer.",
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
            arnstein_level("participation_aimed", "action"),
            arnstein_level("participation_reached", "action"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionFunding(FundingLineBase):
    """Funding of an action (programme 147, ARS FIR, common-law credits…)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="fundings", verbose_name="action"
    )
    purpose = models.CharField(
        "objet", max_length=12, choices=FundingPurpose.choices, default=FundingPurpose.ACTIONS
    )

    history = HistoricalRecords()

    class Meta(FundingLineBase.Meta):
        verbose_name = "financement de l'action"
        verbose_name_plural = "financements des actions"
        constraints = FundingLineBase.constraints_for("action_funding")


class Review(models.Model):
    """One round of the ARS review of a health section: what was submitted (a frozen snapshot),
    who examined it, the checklist answers and the comments. Rounds are numbered from 1."""

    section = models.ForeignKey(
        HealthSection, on_delete=models.CASCADE, related_name="reviews", verbose_name="volet santé"
    )
    number = models.PositiveSmallIntegerField("tour", default=1, editable=False)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.SUBMITTED,
        editable=False,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name="relecteur·rice ARS",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_reviews",
        verbose_name="soumis par",
    )
    submitted_at = models.DateTimeField("soumis le", null=True, blank=True)
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    snapshot = models.JSONField("version soumise", default=dict, blank=True, editable=False)
    reopen_reason = models.TextField("motif de réouverture", blank=True, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "tour de relecture ARS"
        verbose_name_plural = "relectures ARS"
        ordering = ["section", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                name="unique_review_round_in_section",
                violation_error_message="Ce tour de relecture existe déjà pour ce volet santé.",
            ),
        ]

    def __str__(self) -> str:
        return f"Relecture ARS – {self.section.contract}, tour {self.number}"


class ReviewAnswer(models.Model):
    """The reviewer's answer to one checklist question in one round, with an optional remark."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="answers", verbose_name="tour"
    )
    criterion = models.CharField("critère", max_length=20, choices=ReviewCriterion.choices)
    answer = models.BooleanField("réponse", null=True, blank=True)
    remark = models.TextField("remarque", blank=True)

    class Meta:
        verbose_name = "réponse à la grille"
        verbose_name_plural = "grille de relecture"
        ordering = ["review", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="unique_review_answer_per_criterion",
                violation_error_message="Ce critère a déjà une réponse pour ce tour.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_criterion_display()


class ReviewComment(models.Model):
    """A dated comment of a review round, on the whole section or anchored to one objective or
    one action; a reply points at the comment it answers. Never edited once posted."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="comments", verbose_name="tour"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_comments",
        verbose_name="auteur·rice",
    )
    body = models.TextField("commentaire")
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name="sur l'objectif",
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name="sur l'action",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="en réponse à",
    )
    created_at = models.DateTimeField("date", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire de relecture"
        verbose_name_plural = "commentaires de relecture"
        ordering = ["created_at", "pk"]
        constraints = [
            # A comment is anchored to the section, one objective or one action: not both.
            models.CheckConstraint(
                condition=Q(objective__isnull=True) | Q(action__isnull=True),
                name="review_comment_single_anchor",
                violation_error_message="Un commentaire porte sur un objectif ou sur une action, "
                "pas les deux.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} – {self.created_at:%d/%m/%Y}"

    @property
    def anchor(self) -> str:
        if self.action_id:
            return f"Action « {self.action} »"
        if self.objective_id:
            return f"Objectif {self.objective}"
        return "Volet santé"


# Sub-domains in their own modules, imported here so that Django registers their models.
from contracts.calls import CallForProjects, Proposal, TechnicalOpinion  # noqa: E402, F401
from contracts.cycle import Evaluation, HealthDiagnosis  # noqa: E402, F401
