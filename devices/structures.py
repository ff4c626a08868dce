"""Places of care: MSP, MPS, pôles and centres de santé, PASS (imported by ``devices.models``)."""

import uuid

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q

from devices.enums import StructureKind
from devices.models import Organisation
from devices.querysets import HealthStructureQuerySet
from neighbourhoods.geo import validate_lon_lat
from neighbourhoods.models import Commune


class HealthStructure(models.Model):
    """A place of care: MSP, pôle de santé, centre de santé or PASS."""

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    kind = models.CharField("type", max_length=10, choices=StructureKind.choices)
    name = models.CharField("nom", max_length=255)
    carrier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name="porteur",
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="structures", verbose_name="commune"
    )
    description = models.TextField("description", blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    location = models.PointField(
        "localisation", srid=4326, null=True, blank=True, validators=[validate_lon_lat]
    )
    communes_served = models.ManyToManyField(
        Commune, blank=True, related_name="served_by_structures", verbose_name="communes desservies"
    )
    population_served = models.PositiveIntegerField("population desservie", null=True, blank=True)
    doctors = models.PositiveSmallIntegerField("médecins", null=True, blank=True)
    paramedics = models.PositiveSmallIntegerField(
        "professionnels paramédicaux", null=True, blank=True
    )
    professionals = models.PositiveSmallIntegerField(
        "professionnels (total)", null=True, blank=True
    )
    project_cost = models.DecimalField(
        "coût du projet (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    floor_area = models.PositiveIntegerField("surface (m²)", null=True, blank=True)
    opened_on = models.DateField("ouverture", null=True, blank=True)
    # PASS: « un passage toutes les 2 semaines » (seed 000, Laon).
    consultation_every_days = models.PositiveSmallIntegerField(
        "consultation ouverte tous les … jours (PASS)",
        null=True,
        blank=True,
        help_text="Rythme d'ouverture d'une PASS : 14 pour « toutes les 2 semaines », "
        "1 pour une ouverture quotidienne.",
    )
    is_published = models.BooleanField("publié", default=True)

    objects = HealthStructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure de santé"
        verbose_name_plural = "structures de santé"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "commune"], name="unique_structure"),
            models.CheckConstraint(
                condition=Q(project_cost__isnull=True) | Q(project_cost__gte=0),
                name="structure_cost_positive",
                violation_error_message="Un coût ne peut pas être négatif.",
            ),
            # Only a PASS has an opening rhythm, of at least one day.
            models.CheckConstraint(
                condition=Q(consultation_every_days__isnull=True)
                | Q(kind=StructureKind.PASS, consultation_every_days__gte=1),
                name="structure_consultation_rhythm_pass_only",
                violation_error_message="Seule une PASS a un rythme d'ouverture, d'au moins "
                "un jour.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == StructureKind.MSP and (
            (self.doctors is not None and self.doctors < 2)
            or (self.paramedics is not None and self.paramedics < 1)
        ):
            errors["doctors"] = (
                "Une MSP réunit au moins deux médecins et un professionnel paramédical."
            )
        if self.consultation_every_days is not None and self.kind != StructureKind.PASS:
            errors["consultation_every_days"] = "Seule une PASS a un rythme d'ouverture."
        known = (self.doctors or 0) + (self.paramedics or 0)
        if self.professionals is not None and known > self.professionals:
            errors["professionals"] = (
                "Le total des professionnels ne peut être inférieur à la somme médecins + paramédicaux."
            )
        if errors:
            raise ValidationError(errors)
