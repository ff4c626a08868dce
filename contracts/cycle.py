"""The project cycle of a scheme or a health section: diagnosis → orientations → programming →
evaluation (seed 000). Their stage is a field of each; the local health diagnoses and the
evaluations are rows here, each belonging to exactly one scheme or one section."""

from django.db import models
from django.db.models import Q

from contracts.models import HealthSection
from devices.enums import SchemeKind
from devices.models import Organisation, Scheme


def one_subject(prefix: str) -> models.CheckConstraint:
    # A diagnosis or an evaluation is that of one scheme or of one section, never both.
    return models.CheckConstraint(
        condition=Q(scheme__isnull=False, section__isnull=True)
        | Q(scheme__isnull=True, section__isnull=False),
        name=f"{prefix}_scheme_or_section",
        violation_error_message="Rattachez-le à un dispositif ou à un volet santé, pas aux deux.",
    )


def scheme_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Scheme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name="dispositif",
    )


def section_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        HealthSection,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name="volet santé",
    )


class CycleStep(models.Model):
    class Meta:
        abstract = True
        ordering = ["-carried_out_on"]

    @property
    def subject(self):
        return self.scheme or self.section


class HealthDiagnosis(CycleStep):
    """A local health diagnosis (diagnostic local de santé), often run by the ARS with the ASV."""

    scheme = scheme_field("health_diagnoses")
    section = section_field("health_diagnoses")
    # Some sections state their diagnosis without its date.
    carried_out_on = models.DateField("date", null=True, blank=True)
    co_author_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="co_authored_diagnoses",
        verbose_name="co-auteurs (organisations)",
        help_text="L'ARS, l'EPCI, un observatoire…",
    )
    co_author_schemes = models.ManyToManyField(
        Scheme,
        blank=True,
        related_name="co_authored_diagnoses",
        verbose_name="co-auteurs (dispositifs)",
        help_text="L'ASV avec lequel le diagnostic est partagé, le CLS…",
    )
    method = models.TextField("méthode", blank=True)
    summary = models.TextField("synthèse")

    class Meta(CycleStep.Meta):
        verbose_name = "diagnostic local de santé"
        verbose_name_plural = "diagnostics locaux de santé"
        constraints = [one_subject("diagnosis")]

    def __str__(self) -> str:
        if self.carried_out_on is None:
            return "Diagnostic local de santé (date non précisée)"
        return f"Diagnostic du {self.carried_out_on:%d/%m/%Y}"

    @property
    def shared_with_asv(self) -> bool:
        """What the section's former « diagnostic partagé avec l'ASV » box said."""
        return any(scheme.kind == SchemeKind.ASV for scheme in self.co_author_schemes.all())


class Evaluation(CycleStep):
    """An evaluation of a scheme or a section: when, what it found, by whom."""

    scheme = scheme_field("evaluations")
    section = section_field("evaluations")
    carried_out_on = models.DateField("date")
    findings = models.TextField("constats")
    evaluators = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="evaluations_made",
        verbose_name="évaluée par (organisations)",
    )
    evaluated_by = models.CharField(
        "évaluée par",
        max_length=255,
        blank=True,
        help_text="Qui a mené l'évaluation quand ce n'est pas une organisation du portail "
        "(comité de pilotage, cabinet, université…).",
    )

    class Meta(CycleStep.Meta):
        verbose_name = "évaluation"
        constraints = [one_subject("evaluation")]

    def __str__(self) -> str:
        return f"Évaluation du {self.carried_out_on:%d/%m/%Y}"
