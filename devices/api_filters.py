"""Filters of the devices app's API resources. Every filter has a French help text: it is what
the OpenAPI documentation shows partners.

Territory filters take official codes (region and department INSEE codes, EPCI SIREN, commune
INSEE code, QPV code); an unknown or malformed code is a 400 with a French message, never an
empty list that would look like « nothing here »."""

import django_filters as filters
from django.db.models import Q, QuerySet

from devices.enums import OrganisationKind, ProjectStage, SchemeKind, SchemeStatus, StructureKind
from devices.models import HealthStructure, Organisation, Scheme, Thematic
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood, Region

Q_HELP = "Recherche plein texte (insensible à la casse) dans le nom{extra}. 200 caractères au plus."
UPDATED_SINCE_HELP = (
    "Flux de modifications : seulement les lignes modifiées strictement après cette date et "
    "heure (ISO 8601, ex. 2026-01-31T12:00:00Z ; sans fuseau, heure de Paris)."
)


class TerritoryFilterSet(filters.FilterSet):
    """Region, department, EPCI, commune and neighbourhood filters by official code.

    Each subclass says how its rows meet a set of communes (``in_communes``) and, more
    precisely, a neighbourhood (``in_neighbourhood``)."""

    region = filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        help_text="Code INSEE de la région (ex. 32 pour les Hauts-de-France).",
    )
    department = filters.ModelChoiceFilter(
        queryset=Department.objects.all(),
        to_field_name="code",
        method="filter_department",
        help_text="Code INSEE du département (ex. 59, 2A, 971).",
    )
    epci = filters.ModelChoiceFilter(
        queryset=Epci.objects.all(),
        to_field_name="siren",
        method="filter_epci",
        help_text="SIREN de l'EPCI (9 chiffres, ex. 200093201 pour la Métropole Européenne "
        "de Lille).",
    )
    commune = filters.ModelChoiceFilter(
        queryset=Commune.objects.all(),
        to_field_name="insee_code",
        method="filter_commune",
        help_text="Code INSEE de la commune (5 caractères, ex. 59350 pour Lille).",
    )
    neighbourhood = filters.ModelChoiceFilter(
        queryset=Neighbourhood.objects.all(),
        to_field_name="code",
        method="filter_neighbourhood",
        help_text="Code du quartier prioritaire (QPV), géographie 2015 (QP…) ou 2024 (QN…).",
    )
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gt", help_text=UPDATED_SINCE_HELP
    )

    def filter_region(self, queryset, name, region):
        return self.in_communes(queryset, Commune.objects.filter(department__region=region))

    def filter_department(self, queryset, name, department):
        return self.in_communes(queryset, Commune.objects.filter(department=department))

    def filter_epci(self, queryset, name, epci):
        return self.in_communes(queryset, Commune.objects.filter(epci=epci))

    def filter_commune(self, queryset, name, commune):
        return self.in_communes(queryset, Commune.objects.filter(pk=commune.pk))

    def filter_neighbourhood(self, queryset, name, neighbourhood):
        return self.in_neighbourhood(queryset, neighbourhood)

    def in_communes(self, queryset: QuerySet, communes: QuerySet) -> QuerySet:
        raise NotImplementedError

    def in_neighbourhood(self, queryset: QuerySet, neighbourhood: Neighbourhood) -> QuerySet:
        return self.in_communes(queryset, neighbourhood.communes.all())

    @staticmethod
    def matching(queryset: QuerySet, condition: Q) -> QuerySet:
        """Rows meeting a condition across to-many joins, each once, as a subquery (no
        DISTINCT on the outer query, which would upset ordering and geometry columns)."""
        return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


def text_filter(*fields: str, extra: str = ""):
    def search(queryset, name, value):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition)

    return filters.CharFilter(
        method=search,
        max_length=200,
        help_text=Q_HELP.format(extra=extra),
    )


class SchemeFilter(TerritoryFilterSet):
    """A scheme is in a territory when it covers one of its communes, its EPCI, or one of its
    neighbourhoods (a CLS signed with the EPCI covers every neighbourhood of the EPCI)."""

    kind = filters.ChoiceFilter(
        choices=SchemeKind.choices,
        help_text="Type de dispositif : CLS, CTS, ASV, CLSM ou ARMS.",
    )
    status = filters.ChoiceFilter(
        choices=SchemeStatus.choices,
        help_text="Statut : project (en projet), operational (opérationnel), stopped (arrêté), "
        "ended (terminé).",
    )
    stage = filters.ChoiceFilter(
        choices=ProjectStage.choices,
        help_text="Étape du cycle de projet : diagnosis, orientations, programming, evaluation.",
    )
    thematic = filters.ModelChoiceFilter(
        queryset=Thematic.objects.all(),
        to_field_name="code",
        method="filter_thematic",
        help_text="Code de la thématique de santé (ex. acces-droits-soins, sante-mentale).",
    )
    carrier = filters.CharFilter(
        method="filter_carrier",
        max_length=36,
        help_text="Code de l'organisation porteuse : son SIREN, à défaut son uid.",
    )
    q = text_filter(
        "name",
        "description",
        "carrier__name",
        "carrier__acronym",
        extra=", la description et le nom ou le sigle du porteur",
    )
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("updated_at", "updated_at")),
        help_text="Tri : name, kind ou updated_at ; préfixe « - » pour l'ordre décroissant "
        "(ex. -updated_at).",
    )

    class Meta:
        model = Scheme
        fields = []

    def filter_thematic(self, queryset, name, thematic):
        return self.matching(queryset, Q(thematics=thematic))

    def filter_carrier(self, queryset, name, value):
        return queryset.filter(organisation_lookup("carrier", value))

    def in_communes(self, queryset, communes):
        return self.matching(
            queryset,
            Q(communes__in=communes)
            | Q(epcis__in=communes.values("epci"))
            | Q(neighbourhoods__communes__in=communes),
        )

    def in_neighbourhood(self, queryset, neighbourhood):
        communes = neighbourhood.communes.all()
        return self.matching(
            queryset,
            Q(neighbourhoods=neighbourhood)
            | Q(communes__in=communes)
            | Q(epcis__in=communes.values("epci"))
            | Q(epcis=neighbourhood.epci_id),
        )


def organisation_lookup(prefix: str, value: str) -> Q:
    """An organisation by its public code: a SIREN (9 digits) or a uid; anything else matches
    nothing (the API answers an empty list, as for an unknown code)."""
    import uuid

    value = value.strip()
    path = f"{prefix}__" if prefix else ""
    if len(value) == 9 and value.isdigit():
        return Q(**{f"{path}siren": value})
    try:
        return Q(**{f"{path}uid": uuid.UUID(value)})
    except ValueError:
        return Q(pk__in=[])


class HealthStructureFilter(TerritoryFilterSet):
    """A structure is in a territory when it stands in one of its communes or serves one."""

    kind = filters.ChoiceFilter(
        choices=StructureKind.choices,
        help_text="Type de structure : msp, mps, pole (pôle de santé), centre (centre de santé) "
        "ou pass.",
    )
    q = text_filter("name", "address", "carrier__name", extra=", l'adresse et le nom du porteur")
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("updated_at", "updated_at")),
        help_text="Tri : name, kind ou updated_at ; préfixe « - » pour l'ordre décroissant.",
    )

    class Meta:
        model = HealthStructure
        fields = []

    def in_communes(self, queryset, communes):
        return self.matching(queryset, Q(commune__in=communes) | Q(communes_served__in=communes))


class OrganisationFilter(TerritoryFilterSet):
    """An organisation is in a territory when it is placed in one of its communes, in its EPCI
    or in its department."""

    kind = filters.ChoiceFilter(
        choices=OrganisationKind.choices,
        help_text="Type d'organisation (ars, ccas, association, hospital, epci, commune…).",
    )
    siren = filters.CharFilter(max_length=9, help_text="SIREN de l'organisation (9 chiffres).")
    q = text_filter("name", "acronym", extra=" et le sigle")
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("kind", "kind"), ("updated_at", "updated_at")),
        help_text="Tri : name, kind ou updated_at ; préfixe « - » pour l'ordre décroissant.",
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_region(self, queryset, name, region):
        return self.matching(
            queryset,
            Q(department__region=region)
            | Q(commune__department__region=region)
            | Q(epci__communes__department__region=region),
        )

    def filter_department(self, queryset, name, department):
        return self.matching(
            queryset,
            Q(department=department)
            | Q(commune__department=department)
            | Q(epci__communes__department=department),
        )

    def in_communes(self, queryset, communes):
        return self.matching(
            queryset, Q(commune__in=communes) | Q(epci__in=communes.values("epci"))
        )
