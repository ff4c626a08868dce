from django.db import models


class ContractGeneration(models.TextChoices):
    G2015 = "2015-2023", "Contrats de ville 2015-2020 (prorogés jusqu'en 2023)"
    G2024 = "2024-2030", "Engagements Quartiers 2030 (2024-2030)"


class CarrierKind(models.TextChoices):
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"
    OTHER = "other", "EPT ou autre"


class ObjectiveLevel(models.IntegerChoices):
    ORIENTATION = 1, "Orientation"
    STRATEGIC = 2, "Objectif stratégique"
    OPERATIONAL = 3, "Objectif opérationnel"
    PRIORITY = 4, "Priorité d'intervention"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    ABANDONED = "abandoned", "Abandonnée"


class ReviewStatus(models.TextChoices):
    """Where a health section stands in its ARS review (and where each round ended)."""

    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumis à l'ARS"
    IN_REVIEW = "in_review", "En cours d'examen"
    CHANGES_REQUESTED = "changes_requested", "Compléments demandés"
    RESUBMITTED = "resubmitted", "Soumis à nouveau"
    APPROVED = "approved", "Validé"


class ProposalDecision(models.TextChoices):
    PENDING = "pending", "En attente de décision"
    RETAINED = "retained", "Retenue"
    NOT_RETAINED = "not_retained", "Non retenue"


class OpinionKind(models.TextChoices):
    """Who gives a technical opinion (Boulonnais, seed 000): the health coordinator, with the ARS."""

    COORDINATOR = "coordinator", "Avis du coordonnateur santé"
    ARS = "ars", "Avis de l'ARS"


class OpinionVerdict(models.TextChoices):
    FAVOURABLE = "favourable", "Favorable"
    RESERVED = "reserved", "Réservé"
    UNFAVOURABLE = "unfavourable", "Défavorable"


class ReviewCriterion(models.TextChoices):
    """What the ARS checks in each round (circulaire du 5 décembre 2014, PRS/PRAPS)."""

    DIAGNOSIS_SHARED = "diagnosis_shared", "Diagnostic partagé avec l'ASV"
    CLS_ARTICULATED = "cls_articulated", "Articulation avec le CLS"
    MENTAL_HEALTH = "mental_health", "Santé mentale / CLSM"
    RESIDENTS_INVOLVED = "residents_involved", "Habitants et conseils citoyens associés"
    PRS_CONSISTENT = "prs_consistent", "Cohérence avec le PRS et son PRAPS"
