"""Territories: the administrative frame (COG) and the policy neighbourhoods (QPV).

Reference data. Sources and vintages:
* regions, departments, communes: INSEE Code officiel géographique (COG) 2026;
* EPCI and their member communes: DGCL « EPCI à fiscalité propre », 2026 file;
* neighbourhoods: ANCT lists of QPV (2015 geography, decree of 30 Dec 2014; 2024 geography,
  decrees of 28 Dec 2023) and their contours (CGET/ANCT, Licence Ouverte);
* indicators: INSEE neighbourhood statistics (see each Indicator's source and vintage).
"""

import datetime
from decimal import Decimal

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q

from neighbourhoods.enums import (
    CommuneKind,
    EpciNature,
    Geography,
    IndicatorUnit,
    LinkBasis,
    NeighbourhoodKind,
    ValueStatus,
)
from neighbourhoods.geo import validate_lon_lat
from neighbourhoods.querysets import NeighbourhoodQuerySet
from neighbourhoods.validators import plausible_year, validate_siren, validate_year


class Region(models.Model):
    """Région (COG 2026)."""

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    code = models.CharField("code INSEE", max_length=2, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """Département (COG 2026); codes are 2 or 3 characters (2A, 2B, 971…)."""

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name="région"
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Epci(models.Model):
    """EPCI à fiscalité propre (DGCL 2026): since 2014 city contracts are signed at this level."""

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    siren = models.CharField("SIREN", max_length=9, unique=True, validators=[validate_siren])
    name = models.CharField("nom", max_length=200)
    nature = models.CharField("nature", max_length=5, choices=EpciNature.choices)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]
        constraints = [
            # A SIREN is exactly nine digits.
            models.CheckConstraint(
                condition=Q(siren__regex=r"^[0-9]{9}$"),
                name="epci_siren_nine_digits",
                violation_error_message="Le SIREN d'un EPCI compte exactement 9 chiffres.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """Commune or municipal arrondissement (COG 2026, populations légales 2023)."""

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)
    centroid = models.PointField(
        "centre de la commune", srid=4326, null=True, blank=True, editable=False
    )

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField(
        "type", max_length=3, choices=CommuneKind.choices, default=CommuneKind.COMMUNE
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrondissements",
        verbose_name="commune parente",
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name="EPCI",
    )
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["insee_code"]
        constraints = [
            # Only an arrondissement has a parent commune (Paris, Lyon, Marseille).
            models.CheckConstraint(
                condition=Q(kind=CommuneKind.ARRONDISSEMENT, parent__isnull=False)
                | Q(kind=CommuneKind.COMMUNE, parent__isnull=True),
                name="commune_parent_only_for_arrondissement",
                violation_error_message=(
                    "Seul un arrondissement municipal a une commune parente, et il en a une."
                ),
            ),
            # INSEE codes are five characters: digits, or 2A/2B for Corsica.
            models.CheckConstraint(
                condition=Q(insee_code__regex=r"^([0-9]{2}|2A|2B)[0-9]{3}$"),
                name="commune_insee_code_format",
                violation_error_message="Un code INSEE de commune compte 5 caractères (ex. 59350, 2A004).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"


class Neighbourhood(models.Model):
    """Priority neighbourhood (QPV) or active watch area, in the 2015 or 2024 geography."""

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    code = models.CharField("code", max_length=10, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField(
        "type", max_length=5, choices=NeighbourhoodKind.choices, default=NeighbourhoodKind.QPV
    )
    vintage = models.PositiveSmallIntegerField("géographie", choices=Geography.choices)
    communes = models.ManyToManyField(
        Commune, related_name="neighbourhoods", verbose_name="communes"
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="neighbourhoods",
        verbose_name="EPCI",
    )
    in_renewal_programme = models.BooleanField("en renouvellement urbain (NPNRU)", default=False)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    contour = models.MultiPolygonField(
        "contour", srid=4326, null=True, blank=True, validators=[validate_lon_lat]
    )
    contour_simplified = models.MultiPolygonField(
        "contour simplifié (cartes web)",
        srid=4326,
        null=True,
        blank=True,
        validators=[validate_lon_lat],
    )
    predecessors = models.ManyToManyField(
        "self",
        through="NeighbourhoodLink",
        symmetrical=False,
        related_name="successors",
        verbose_name="quartiers de la géographie précédente",
    )

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        verbose_name = "quartier"
        ordering = ["code"]
        constraints = [
            # 2015 codes are QPddd0nn, 2024 codes QNdddnnX: the code tells the geography.
            models.CheckConstraint(
                condition=Q(vintage=Geography.G2015, code__startswith="QP")
                | Q(vintage=Geography.G2024, code__startswith="QN")
                | Q(kind=NeighbourhoodKind.WATCH),
                name="neighbourhood_code_matches_geography",
                violation_error_message=(
                    "Le code d'un QPV commence par QP (géographie 2015) ou QN (géographie 2024)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class NeighbourhoodLink(models.Model):
    """A 2015 neighbourhood and the 2024 one that took it over (wholly or partly)."""

    previous = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="+", verbose_name="quartier 2015"
    )
    current = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="+", verbose_name="quartier 2024"
    )
    basis = models.CharField("fondement", max_length=10, choices=LinkBasis.choices)

    class Meta:
        verbose_name = "correspondance entre géographies"
        verbose_name_plural = "correspondances entre géographies"
        constraints = [
            models.UniqueConstraint(
                fields=["previous", "current"], name="unique_neighbourhood_link"
            ),
            # A neighbourhood does not succeed itself.
            models.CheckConstraint(
                condition=~Q(previous=models.F("current")),
                name="neighbourhood_link_distinct",
                violation_error_message="Un quartier ne peut pas se succéder à lui-même.",
            ),
        ]

    def clean(self) -> None:
        if self.previous_id and self.current_id and self.previous.vintage >= self.current.vintage:
            raise ValidationError(
                "Le quartier précédent doit appartenir à une géographie plus ancienne."
            )


class Indicator(models.Model):
    """A statistical indicator, identified by its source column code (``tp60`` = poverty rate)."""

    code = models.CharField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=255)
    unit = models.CharField("unité", max_length=10, choices=IndicatorUnit.choices)
    source = models.CharField("source", max_length=255)
    vintage = models.CharField("millésime", max_length=20)
    description = models.TextField("définition", blank=True)

    class Meta:
        verbose_name = "indicateur"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


UNIT_SUFFIX = {IndicatorUnit.PERCENT: " %", IndicatorUnit.EURO: " €"}
NARROW_NBSP = "\u202f"  # the French thousands separator; also before % and €


def format_number(value: Decimal, unit: str = "") -> str:
    """« 8289.0000 » → « 8 289 », « 23.5000 » (percent) → « 23,5 % »: French separators, no
    trailing zeros, the unit's symbol."""
    text = f"{value.normalize():,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text + UNIT_SUFFIX.get(unit, "").replace(" ", NARROW_NBSP)


class IndicatorValue(models.Model):
    """One value of an indicator for a neighbourhood; *secret* and *missing* are not zero."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name="quartier",
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année", validators=[validate_year])
    value = models.DecimalField("valeur", max_digits=14, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=ValueStatus.choices, default=ValueStatus.AVAILABLE
    )

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        ordering = ["indicator__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "indicator", "year"],
                name="unique_indicator_value_per_year",
                violation_error_message="Ce quartier a déjà une valeur de cet indicateur pour cette année.",
            ),
            # A value exists exactly when it is available: secret or missing is never a number.
            models.CheckConstraint(
                condition=Q(status=ValueStatus.AVAILABLE, value__isnull=False)
                | Q(~Q(status=ValueStatus.AVAILABLE), value__isnull=True),
                name="indicator_value_present_iff_available",
                violation_error_message=(
                    "Une valeur secrète ou non disponible n'a pas de nombre ; "
                    "une valeur disponible en a un."
                ),
            ),
            plausible_year("year", "indicator_value", nullable=False),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.year}) : {self.formatted_value}"

    @property
    def formatted_value(self) -> str:
        """The value as a French reader expects it, with its unit: « 8 289 », « 23,5 % »,
        « 1 250 € »; a secret or missing value says so."""
        if self.value is None:
            return self.get_status_display()
        return format_number(self.value, self.indicator.unit)

    def clean(self) -> None:
        if (
            self.indicator_id
            and self.value is not None
            and self.indicator.unit == IndicatorUnit.PERCENT
            and not 0 <= self.value <= 100
        ):
            raise ValidationError(
                {"value": f"Un pourcentage est compris entre 0 et 100 (reçu : {self.value})."}
            )


class Typology(models.Model):
    """A classification of neighbourhoods (e.g. INSEE's five families, Hauts-de-France 2016)."""

    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=200)
    source = models.CharField("source", max_length=255)
    vintage = models.CharField("millésime", max_length=20)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "typologie"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TypologyFamily(models.Model):
    """One family of a typology, with the colour the atlas gives it."""

    typology = models.ForeignKey(
        Typology, on_delete=models.CASCADE, related_name="families", verbose_name="typologie"
    )
    code = models.SlugField("code", max_length=50)
    label = models.CharField("libellé", max_length=200)
    colour = models.CharField(
        "couleur", max_length=7, help_text="Couleur hexadécimale, ex. #2e8b57"
    )
    description = models.TextField("description", blank=True)
    neighbourhood_count = models.PositiveIntegerField("nombre de quartiers", null=True, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    members = models.ManyToManyField(
        Neighbourhood,
        through="FamilyMembership",
        related_name="families",
        verbose_name="quartiers",
    )

    class Meta:
        verbose_name = "famille de typologie"
        verbose_name_plural = "familles de typologie"
        ordering = ["typology", "code"]
        constraints = [
            models.UniqueConstraint(fields=["typology", "code"], name="unique_family_code"),
            # Colours are stored as #rrggbb so that maps can use them as they are.
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="family_colour_hex",
                violation_error_message="La couleur s'écrit #rrggbb (ex. #2e8b57).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.typology} – {self.label}"


class FamilyMembership(models.Model):
    """A neighbourhood belongs to one family of a given typology."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="memberships", verbose_name="quartier"
    )
    family = models.ForeignKey(
        TypologyFamily, on_delete=models.CASCADE, related_name="memberships", verbose_name="famille"
    )

    class Meta:
        verbose_name = "appartenance à une famille"
        verbose_name_plural = "appartenances à une famille"
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "family"], name="unique_membership"),
        ]

    def clean(self) -> None:
        if not (self.neighbourhood_id and self.family_id):
            return
        other = FamilyMembership.objects.filter(
            neighbourhood_id=self.neighbourhood_id, family__typology_id=self.family.typology_id
        ).exclude(pk=self.pk)
        if other.exists():
            raise ValidationError("Ce quartier appartient déjà à une famille de cette typologie.")


class CitizenCouncil(models.Model):
    """Conseil citoyen: created by the law of 21 February 2014 (« loi Lamy ») in every priority
    neighbourhood, with a residents' college and a local actors' college (associations and local
    actors); its representatives sit in the city contract's steering bodies (seeds 003, 004).

    One council may cover several QPV; a QPV has at most one council (``CitizenCouncilCoverage``).
    The law fixes exactly two colleges, hence two member counts rather than a table of colleges;
    an empty count is unknown, not zero. The contact fields are the council's public ones, meant
    for publication: never a member's personal address or phone.
    """

    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)

    name = models.CharField("nom", max_length=200, unique=True)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood,
        through="CitizenCouncilCoverage",
        related_name="citizen_councils",
        verbose_name="quartiers",
    )
    created_on = models.DateField("date de création", null=True, blank=True)
    residents_members = models.PositiveSmallIntegerField(
        "membres du collège « habitants »", null=True, blank=True
    )
    local_actors_members = models.PositiveSmallIntegerField(
        "membres du collège « associations et acteurs locaux »", null=True, blank=True
    )
    support_structure = models.CharField(
        "structure porteuse ou d'appui",
        max_length=200,
        blank=True,
        help_text="Association, centre social… qui porte ou accompagne le conseil.",
    )
    public_email = models.EmailField(
        "courriel public",
        blank=True,
        help_text="Adresse du conseil destinée à être publiée, jamais celle d'un membre.",
    )
    public_address = models.TextField("adresse publique", blank=True)
    website = models.URLField("site web", blank=True)
    notes = models.TextField("remarques", blank=True)

    class Meta:
        verbose_name = "conseil citoyen"
        verbose_name_plural = "conseils citoyens"
        ordering = ["name"]
        constraints = [
            # Councils exist since the law of 21 February 2014: an earlier date is a typo.
            models.CheckConstraint(
                condition=Q(created_on__gte=datetime.date(2014, 2, 21))
                | Q(created_on__isnull=True),
                name="citizen_council_created_after_the_law",
                violation_error_message=(
                    "Les conseils citoyens existent depuis la loi du 21 février 2014 : "
                    "la date de création ne peut pas la précéder."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CitizenCouncilCoverage(models.Model):
    """A neighbourhood covered by a citizen council: at most one council per neighbourhood."""

    council = models.ForeignKey(
        CitizenCouncil,
        on_delete=models.CASCADE,
        related_name="coverages",
        verbose_name="conseil citoyen",
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="citizen_council_coverages",
        verbose_name="quartier",
    )

    class Meta:
        verbose_name = "quartier couvert par un conseil citoyen"
        verbose_name_plural = "quartiers couverts par un conseil citoyen"
        ordering = ["neighbourhood__code"]
        constraints = [
            # The law creates one council per priority neighbourhood, never two.
            models.UniqueConstraint(
                fields=["neighbourhood"],
                name="one_citizen_council_per_neighbourhood",
                violation_error_message="Ce quartier a déjà un conseil citoyen.",
            ),
        ]

    def clean(self) -> None:
        # Citizen councils are a rule of priority neighbourhoods, not of watch areas.
        if self.neighbourhood_id and self.neighbourhood.kind != NeighbourhoodKind.QPV:
            raise ValidationError(
                {"neighbourhood": "Un conseil citoyen couvre des quartiers prioritaires (QPV)."}
            )

    def __str__(self) -> str:
        return f"{self.council} – {self.neighbourhood}"
