from django.db import models


class UserRole(models.TextChoices):
    ADMIN = "admin", "Administrateur·rice"
    COORDINATOR = "coordinator", "Coordinateur·rice de territoire"
    ARS_REVIEWER = "ars_reviewer", "Relecteur·rice ARS"
    PARTNER = "partner", "Partenaire (lecture API)"


class ReminderKind(models.TextChoices):
    """What a reminder is about (issue 8, « Rappels »), in the order the homes list them."""

    POST_ENDING = "post_ending", "Poste d'adulte-relais se terminant dans les 6 mois"
    POST_RENEWED_ONCE = "post_renewed_once", "Poste d'adulte-relais déjà renouvelé une fois"
    CLS_EXPIRED = "cls_expired", "CLS arrivé à échéance"
    SECTION_STALLED = "section_stalled", "Volet santé soumis sans suite depuis 30 jours"
    RECORD_STALE = "record_stale", "Fiche non mise à jour depuis 12 mois"
