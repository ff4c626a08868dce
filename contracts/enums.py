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
    PENDING = "pending", "À examiner"
    IN_PROGRESS = "in_progress", "En cours d'examen"
    CHANGES_REQUESTED = "changes_requested", "Compléments demandés"
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
