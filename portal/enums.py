from django.db import models


class UserRole(models.TextChoices):
    ADMIN = "admin", "Administrateur·rice"
    COORDINATOR = "coordinator", "Coordinateur·rice de territoire"
    ARS_REVIEWER = "ars_reviewer", "Relecteur·rice ARS"
    PARTNER = "partner", "Partenaire (lecture API)"
