"""Health schemes (CLS, CTS, ASV, CLSM, ARMS), health structures and the actors behind them."""

import uuid
from datetime import date
from decimal import Decimal

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from devices.enums import (
    FundingProgramme,
    FundingPurpose,
    OrganisationKind,
    ParticipationLevel,
    ProjectStage,
    RoleKind,
    SchemeKind,
    SchemeStatus,
    SignatoryRole,
)
from devices.querysets import SchemeQuerySet
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood
from neighbourhoods.validators import SIREN_SQL, plausible_year, validate_siren, validate_year


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


def end_after_start(prefix: str, start: str = "start_date", end: str = "end_date"):
    """Database check: an end date, when set, is not before the start date."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=f"{prefix}_end_after_start",
        violation_error_message="La date de fin doit être postérieure à la date de début.",
    )


def percentage(field: str, prefix: str):
    """Database check: a share is a percentage between 0 and 100."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 100}),
        name=f"{prefix}_{field}_percentage",
        violation_error_message="Un pourcentage est compris entre 0 et 100.",
    )


class Organisation(models.Model):
    """An institution or association acting in the health section of a city contract."""

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    name = models.CharField("nom", max_length=255)
    acronym = models.CharField("sigle", max_length=30, blank=True)
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="organisation de rattachement",
        help_text="Ex. l'ARS pour l'une de ses délégations territoriales.",
    )
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, verbose_name="département"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name="commune"
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, verbose_name="EPCI"
    )
    website = models.URLField("site web", blank=True)

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="unique_organisation_name_kind"),
            # A SIREN is nine digits (its Luhn key is checked by the form and the model).
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=SIREN_SQL),
                name="organisation_siren_nine_digits",
                violation_error_message="Un SIREN compte exactement 9 chiffres.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Person(models.Model):
    """A person behind a scheme; one person often wears several hats (see Role).

    ``email`` and ``phone`` are private: they never reach a public page or the API. Only the
    professional contact, and only once the person agreed to publish it, may be shown
    (``devices.privacy.public_contact`` is the one way out).
    """

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("courriel personnel", blank=True)
    phone = models.CharField("téléphone personnel", max_length=30, blank=True)
    professional_email = models.EmailField("courriel professionnel", blank=True)
    professional_phone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    publish_professional_contact = models.BooleanField(
        "accepte la publication de son contact professionnel",
        default=False,
        help_text="Seuls le nom, l'employeur et le contact professionnel sont alors publiés ; "
        "le courriel et le téléphone personnels ne le sont jamais.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="employeur",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "personne"
        ordering = ["last_name", "first_name"]
        constraints = [
            # Publishing a contact means there is a professional contact to publish.
            models.CheckConstraint(
                condition=Q(publish_professional_contact=False)
                | ~Q(professional_email="", professional_phone=""),
                name="person_published_contact_exists",
                violation_error_message="Pour publier le contact professionnel, indiquez un "
                "courriel ou un téléphone professionnel.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Thematic(models.Model):
    """A health thematic (access to care, nutrition, mental health…)."""

    code = models.SlugField("code", max_length=50, unique=True)
    label = models.CharField("libellé", max_length=200)

    class Meta:
        verbose_name = "thématique"
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Scheme(models.Model):
    """A territorial health scheme: CLS, CTS, ASV, CLSM or an ARMS mediators' programme."""

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    kind = models.CharField("type", max_length=4, choices=SchemeKind.choices)
    name = models.CharField("nom", max_length=255)
    status = models.CharField(
        "statut", max_length=12, choices=SchemeStatus.choices, default=SchemeStatus.OPERATIONAL
    )
    description = models.TextField("description", blank=True)
    carrier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="carried_schemes",
        verbose_name="porteur",
    )
    start_date = models.DateField("date de début", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)
    signed_on = models.DateField("date de signature", null=True, blank=True)
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="schemes", verbose_name="communes couvertes"
    )
    epcis = models.ManyToManyField(
        Epci, blank=True, related_name="schemes", verbose_name="EPCI couverts"
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="schemes", verbose_name="quartiers couverts"
    )
    thematics = models.ManyToManyField(
        Thematic, blank=True, related_name="schemes", verbose_name="thématiques"
    )
    participation_level = models.PositiveSmallIntegerField(
        "participation des habitants (échelle d'Arnstein)",
        choices=ParticipationLevel.choices,
        null=True,
        blank=True,
    )
    illustrative = models.BooleanField(
        "valeur illustrative",
        default=False,
        help_text="Coché quand la participation ou l'ETP indiqués ne viennent pas d'une source (données de démonstration) : à ne pas citer.",
    )
    is_published = models.BooleanField("publié", default=False)
    stage = models.CharField(
        "étape du projet",
        max_length=12,
        choices=ProjectStage.choices,
        blank=True,
        help_text="Diagnostic → orientations → programmation → évaluation (rencontre IREV 2016).",
    )

    # CLS
    generation = models.PositiveSmallIntegerField(
        "génération du CLS",
        null=True,
        blank=True,
        help_text="1 pour un premier CLS, 2 pour un CLS de 2e génération…",
    )
    # CLSM
    reference_hospital = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clsm_references",
        verbose_name="établissement de référence (secteur psychiatrique)",
    )
    # ASV
    coordination_fte = models.DecimalField(
        "coordination (ETP)", max_digits=4, decimal_places=2, null=True, blank=True
    )
    start_year = models.PositiveSmallIntegerField(
        "année de création", null=True, blank=True, validators=[validate_year]
    )

    objects = SchemeQuerySet.as_manager()

    KIND_FIELDS = {
        "generation": SchemeKind.CLS,
        "reference_hospital": SchemeKind.CLSM,
        "coordination_fte": SchemeKind.ASV,
    }

    history = HistoricalRecords()

    class Meta:
        verbose_name = "dispositif"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unique_scheme_kind_name"),
            end_after_start("scheme"),
            # A coordination is between a tenth of a post and a few full-time posts.
            models.CheckConstraint(
                condition=Q(coordination_fte__isnull=True)
                | Q(coordination_fte__gt=0, coordination_fte__lte=10),
                name="scheme_coordination_fte_range",
                violation_error_message="Les ETP de coordination sont compris entre 0 et 10.",
            ),
            models.CheckConstraint(
                condition=Q(generation__isnull=True) | Q(generation__gte=1),
                name="scheme_generation_positive",
                violation_error_message="La génération d'un CLS commence à 1.",
            ),
            plausible_year("start_year", "scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"

    def clean(self) -> None:
        errors = {}
        for field, kind in self.KIND_FIELDS.items():
            value = getattr(self, f"{field}_id" if field == "reference_hospital" else field)
            if value is not None and self.kind != kind:
                errors[field] = f"Ce champ ne concerne que les dispositifs {kind}."
        if self.reference_hospital_id and self.reference_hospital.kind != OrganisationKind.HOSPITAL:
            errors["reference_hospital"] = "L'établissement de référence doit être un hôpital."
        if errors:
            raise ValidationError(errors)


class SignatoryBase(models.Model):
    """Who signed a contract, in which capacity and when (shared by CLS and city contracts)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisation"
    )
    role = models.CharField("qualité", max_length=20, choices=SignatoryRole.choices)
    signed_on = models.DateField("date de signature", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["role", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


SIGNED_KINDS = (SchemeKind.CLS, SchemeKind.CTS, SchemeKind.CLSM)


class SchemeSignatory(SignatoryBase):
    """Signatory of a CLS, a CTS or a CLSM (a CLSM funded by the ARS is signed by the ARS, the
    local authority and the hospital: ``devices.rules.clsm_missing_signatories``)."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="signatories", verbose_name="dispositif"
    )

    class Meta(SignatoryBase.Meta):
        verbose_name = "signataire du dispositif"
        verbose_name_plural = "signataires du dispositif"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "organisation"], name="unique_scheme_signatory"
            ),
        ]

    def clean(self) -> None:
        if self.scheme_id and self.scheme.kind not in SIGNED_KINDS:
            raise ValidationError("Seuls un CLS, un CTS ou un CLSM ont des signataires.")


class Role(models.Model):
    """A hat a person wears: coordinator of an ASV, co-leader of a CLS, mediator…"""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="roles", verbose_name="personne"
    )
    kind = models.CharField("rôle", max_length=20, choices=RoleKind.choices)
    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name="dispositif",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name="pour l'organisation",
    )
    fte = models.DecimalField(
        "temps (ETP)",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
    )
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rôle"
        ordering = ["person", "kind"]
        constraints = [
            end_after_start("role"),
            # One role is at most one full-time post.
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gt=0, fte__lte=1),
                name="role_fte_range",
                violation_error_message="Un rôle occupe entre 0 et 1 ETP.",
            ),
            # A role is held for a scheme or for an organisation.
            models.CheckConstraint(
                condition=Q(scheme__isnull=False) | Q(organisation__isnull=False),
                name="role_has_scope",
                violation_error_message="Un rôle s'exerce pour un dispositif ou une organisation.",
            ),
        ]

    def __str__(self) -> str:
        scope = self.scheme or self.organisation
        return f"{self.person} – {self.get_kind_display()} ({scope})"


TERM_YEARS = 3
MAX_RENEWALS = 1


class MediatorPost(models.Model):
    """An adult-relay health mediator post (ARMS).

    3-year contract, renewable once; funded 75 % by the State and 25 % by the ARS. The mediator
    must be over 30, live in a QPV and be a job seeker or in an insertion scheme: those
    eligibility facts (``ELIGIBILITY_FIELDS``) are private and never published.
    """

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    ELIGIBILITY_FIELDS = ("over_30", "lives_in_qpv", "job_seeker_or_insertion")

    scheme = models.ForeignKey(
        Scheme,
        on_delete=models.CASCADE,
        related_name="mediator_posts",
        verbose_name="dispositif ARMS",
    )
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="mediator_posts",
        verbose_name="employeur",
    )
    mediator = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediator_posts",
        verbose_name="médiateur·rice",
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, related_name="mediator_posts", verbose_name="quartiers d'intervention"
    )
    start_date = models.DateField("début du contrat")
    end_date = models.DateField("fin du contrat")
    renewals = models.PositiveSmallIntegerField("renouvellements", default=0)
    state_share = models.DecimalField(
        "part État (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("75"),
        validators=PERCENT_VALIDATORS,
    )
    ars_share = models.DecimalField(
        "part ARS (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("25"),
        validators=PERCENT_VALIDATORS,
    )
    over_30 = models.BooleanField("a plus de 30 ans (attesté)", default=False)
    lives_in_qpv = models.BooleanField("réside en QPV (attesté)", default=False)
    job_seeker_or_insertion = models.BooleanField(
        "demandeur d'emploi ou en insertion (attesté)", default=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "poste d'adulte-relais médiateur santé"
        verbose_name_plural = "postes d'adultes-relais médiateurs santé"
        ordering = ["scheme", "start_date"]
        constraints = [
            # The contract ends after it starts.
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="mediator_post_end_after_start",
                violation_error_message="La fin du contrat doit suivre son début.",
            ),
            # An adult-relay contract is renewable once only.
            models.CheckConstraint(
                condition=Q(renewals__lte=MAX_RENEWALS),
                name="mediator_post_renewed_at_most_once",
                violation_error_message="Un contrat adulte-relais n'est renouvelable qu'une fois.",
            ),
            percentage("state_share", "mediator_post"),
            percentage("ars_share", "mediator_post"),
            # State and ARS together fund the whole post.
            models.CheckConstraint(
                condition=Q(state_share=100 - F("ars_share")),
                name="mediator_post_shares_total_100",
                # Django %-formats this message: a bare % raised « incomplete format ».
                violation_error_message="Les parts État et ARS totalisent 100 %%.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} – {self.start_date:%Y}"

    def max_end_date(self) -> date:
        return add_years(self.start_date, TERM_YEARS * (1 + self.renewals))

    def clean(self) -> None:
        errors = {}
        if self.scheme_id and self.scheme.kind != SchemeKind.ARMS:
            errors["scheme"] = "Un poste de médiateur relève d'un dispositif ARMS."
        if self.start_date and self.end_date and self.end_date > self.max_end_date():
            errors["end_date"] = (
                f"Un contrat de {TERM_YEARS} ans renouvelé {self.renewals} fois se termine "
                f"au plus tard le {self.max_end_date():%d/%m/%Y}."
            )
        if self.mediator_id and not (
            self.over_30 and self.lives_in_qpv and self.job_seeker_or_insertion
        ):
            errors["mediator"] = (
                "Éligibilité non attestée : le médiateur doit avoir plus de 30 ans, résider en "
                "QPV et être demandeur d'emploi ou en parcours d'insertion."
            )
        if errors:
            raise ValidationError(errors)


class FundingLineBase(models.Model):
    """A funding line: who pays, which year, which programme, what for (the coordination or the
    actions), an amount or a share. Each concrete line redeclares ``purpose`` with its default."""

    uid = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    funder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="financeur"
    )
    year = models.PositiveSmallIntegerField("année", validators=[validate_year])
    programme = models.CharField("programme", max_length=20, choices=FundingProgramme.choices)
    purpose = models.CharField("objet", max_length=12, choices=FundingPurpose.choices)
    amount = models.DecimalField(
        "montant (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    share = models.DecimalField(
        "part (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    illustrative = models.BooleanField(
        "valeur illustrative",
        default=False,
        help_text="Coché quand le montant ou la part ne viennent pas d'une source (données de démonstration) : à ne pas citer.",
    )

    class Meta:
        abstract = True
        ordering = ["-year", "programme"]

    @staticmethod
    def constraints_for(prefix: str) -> list:
        return [
            # A funding line states an amount, a share, or both.
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(share__isnull=False),
                name=f"{prefix}_amount_or_share",
                violation_error_message="Indiquez un montant ou une part.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name=f"{prefix}_amount_positive",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
            percentage("share", prefix),
            plausible_year("year", prefix, nullable=False),
            models.CheckConstraint(
                condition=Q(purpose__in=FundingPurpose.values),
                name=f"{prefix}_purpose_known",
                violation_error_message="Indiquez si le financement porte sur la coordination "
                "ou sur les actions.",
            ),
        ]

    def __str__(self) -> str:
        value = f"{self.amount} €" if self.amount is not None else f"{self.share} %"
        return f"{self.funder} {self.year} – {value}"


class Funding(FundingLineBase):
    """Funding of a scheme: most often its coordination (the coordinator's post)."""

    purpose = models.CharField(
        "objet",
        max_length=12,
        choices=FundingPurpose.choices,
        default=FundingPurpose.COORDINATION,
    )

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="fundings", verbose_name="dispositif"
    )

    history = HistoricalRecords()

    class Meta(FundingLineBase.Meta):
        verbose_name = "financement"
        constraints = FundingLineBase.constraints_for("funding")


# Sub-domains in their own modules (this one is long), imported here so that Django registers
# their models.
from devices.governance import (  # noqa: E402, F401
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    SchemeLink,
)
from devices.structures import HealthStructure  # noqa: E402, F401
