"""Links between schemes and the governance bodies of a CLS (imported by ``devices.models``)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least

from devices.enums import GovernanceBodyKind, SchemeKind, SchemeLinkKind

# Seed 003: « L'ASV devient ainsi un volet territorial du CLS » ; the CLSM is the mental-health
# component a CLS often carries. Nothing else is said to be a part of another scheme.
COMPONENT_KINDS = (SchemeKind.ASV, SchemeKind.CLSM)
WHOLE_KINDS = (SchemeKind.CLS,)


class SchemeLink(models.Model):
    """A typed link from one scheme to another: an ASV is a territorial component of a CLS, a
    CLSM and an ASV coordinate (often one coordinator for both, seed 000: Tourcoing)."""

    source = models.ForeignKey(
        "devices.Scheme",
        on_delete=models.CASCADE,
        related_name="outgoing_links",
        verbose_name="dispositif",
    )
    kind = models.CharField("lien", max_length=16, choices=SchemeLinkKind.choices)
    target = models.ForeignKey(
        "devices.Scheme",
        on_delete=models.CASCADE,
        related_name="incoming_links",
        verbose_name="dispositif lié",
    )
    note = models.CharField("précision", max_length=255, blank=True)

    class Meta:
        verbose_name = "lien entre dispositifs"
        verbose_name_plural = "liens entre dispositifs"
        ordering = ["kind", "target__name"]
        constraints = [
            # A scheme is not linked to itself.
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="scheme_link_not_to_itself",
                violation_error_message="Un dispositif ne peut pas être lié à lui-même.",
            ),
            # One link of a kind between two schemes.
            models.UniqueConstraint(
                fields=["source", "kind", "target"],
                name="unique_scheme_link",
                violation_error_message="Ce lien entre ces deux dispositifs existe déjà.",
            ),
            # « Coordinated with » goes both ways: B → A repeats A → B.
            models.UniqueConstraint(
                Least("source", "target"),
                Greatest("source", "target"),
                condition=Q(kind=SchemeLinkKind.COORDINATED_WITH),
                name="unique_scheme_coordination",
                violation_error_message="Ces deux dispositifs sont déjà coordonnés.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} – {self.get_kind_display().lower()} {self.target}"

    def clean(self) -> None:
        if not (self.source_id and self.target_id) or self.kind != SchemeLinkKind.COMPONENT_OF:
            return
        if self.source.kind not in COMPONENT_KINDS or self.target.kind not in WHOLE_KINDS:
            raise ValidationError(
                {
                    "kind": "Seul un ASV ou un CLSM peut être le volet territorial d'un CLS "
                    f"(ici : {self.source.kind} → {self.target.kind})."
                }
            )


class GovernanceBody(models.Model):
    """A CLS's steering committee (COPIL, led by the elected official and the ARS territorial
    director) or technical committee (COTECH). Seed 004: « Gouvernance : un COPIL piloté
    Elu/DT, un COTECH et des groupes de travail »."""

    scheme = models.ForeignKey(
        "devices.Scheme",
        on_delete=models.CASCADE,
        related_name="governance_bodies",
        verbose_name="CLS",
    )
    kind = models.CharField("instance", max_length=10, choices=GovernanceBodyKind.choices)
    remit = models.TextField("rôle", blank=True)

    class Meta:
        verbose_name = "instance de gouvernance"
        verbose_name_plural = "instances de gouvernance"
        ordering = ["scheme__name", "kind"]
        constraints = [
            # One steering and one technical committee per CLS.
            models.UniqueConstraint(
                fields=["scheme", "kind"],
                name="unique_governance_body",
                violation_error_message="Ce CLS a déjà cette instance.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.scheme}"

    def clean(self) -> None:
        if self.scheme_id and self.scheme.kind != SchemeKind.CLS:
            raise ValidationError(
                {"scheme": "Le COPIL et le COTECH décrits par les sources sont ceux d'un CLS."}
            )


class GovernanceMember(models.Model):
    """A member of a governance body: an organisation, or a person in one of their roles."""

    body = models.ForeignKey(
        GovernanceBody, on_delete=models.CASCADE, related_name="members", verbose_name="instance"
    )
    organisation = models.ForeignKey(
        "devices.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_seats",
        verbose_name="organisation",
    )
    role = models.ForeignKey(
        "devices.Role",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="governance_seats",
        verbose_name="personne (dans son rôle)",
    )
    chairs = models.BooleanField(
        "co-préside",
        default=False,
        help_text="Le COPIL d'un CLS est piloté par l'élu et le directeur territorial de l'ARS.",
    )

    class Meta:
        verbose_name = "membre"
        ordering = ["-chairs", "organisation__name", "pk"]
        constraints = [
            # A seat is held by an organisation or by a person in a role, not both.
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, role__isnull=True)
                | Q(organisation__isnull=True, role__isnull=False),
                name="governance_member_organisation_or_role",
                violation_error_message="Un membre est une organisation ou une personne "
                "dans son rôle, pas les deux.",
            ),
            models.UniqueConstraint(
                fields=["body", "organisation"],
                name="unique_governance_member_organisation",
                violation_error_message="Cette organisation siège déjà dans cette instance.",
            ),
            models.UniqueConstraint(
                fields=["body", "role"],
                name="unique_governance_member_role",
                violation_error_message="Cette personne siège déjà dans cette instance.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.role)


class GovernanceMeeting(models.Model):
    """A meeting of a governance body."""

    body = models.ForeignKey(
        GovernanceBody, on_delete=models.CASCADE, related_name="meetings", verbose_name="instance"
    )
    held_on = models.DateField("date")
    summary = models.TextField("relevé de décisions", blank=True)

    class Meta:
        verbose_name = "réunion"
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "held_on"],
                name="unique_governance_meeting",
                violation_error_message="Cette instance s'est déjà réunie ce jour-là.",
            ),
            # Plausible dates, as for every year the portal stores.
            models.CheckConstraint(
                condition=Q(held_on__gte=date(1990, 1, 1), held_on__lte=date(2100, 12, 31)),
                name="governance_meeting_plausible_date",
                violation_error_message="La date doit être comprise entre 1990 et 2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} – {self.held_on:%d/%m/%Y}"
