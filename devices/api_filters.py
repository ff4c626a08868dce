"""Filters of the devices app's API resources. Every filter has a French help text: it is what
the OpenAPI documentation shows partners.

Territory filters take official codes (region and department INSEE codes, EPCI SIREN, commune
INSEE code, QPV code), several at once separated by commas, as the territories' resources do:
an unknown code gives an empty list, a malformed one a French 400."""

import django_filters as filters
from django.db.models import Q, QuerySet

from devices.enums import OrganisationKind, ProjectStage, SchemeKind, SchemeStatus, StructureKind
from devices.models import HealthStructure, Organisation, Scheme
from neighbourhoods.api_filters import SEVERAL, CodeListField
from neighbourhoods.models import Commune, Neighbourhood
from portal.api.feed import FeedFilterSet


class CodesFilter(filters.Filter):
    """Several official codes (the territories' ``CodeListField``), handed to a method whose
    ``value: str`` hint gives the OpenAPI parameter its type (it receives a list) and keeps the
    help text."""

    field_class = CodeListField

    def filter(self, queryset, value):
        if not value:
            return queryset
        return super().filter(queryset, value)


class TerritoryFilterSet(FeedFilterSet):
    """Region, department, EPCI, commune and neighbourhood filters by official codes (several
    at once, comma-separated): an unknown code gives an empty list, a malformed one a 400.

    Each subclass says how its rows meet a set of communes (``in_communes``) and, more
    precisely, neighbourhoods (``in_neighbourhoods``)."""

    region = CodesFilter(
        method="filter_region",
        help_text="Code INSEE de la région (ex. 32 pour les Hauts-de-France)." + SEVERAL,
    )
    department = CodesFilter(
        method="filter_department",
        help_text="Code INSEE du département (ex. 59, 2A, 971)." + SEVERAL,
    )
    epci = CodesFilter(
        method="filter_epci",
        help_text="SIREN de l'EPCI (9 chiffres, ex. 200093201 pour la Métropole Européenne "
        "de Lille)." + SEVERAL,
    )
    commune = CodesFilter(
        method="filter_commune",
        help_text="Code INSEE de la commune (5 caractères, ex. 59350 pour Lille)." + SEVERAL,
    )
    neighbourhood = CodesFilter(
        method="filter_neighbourhood",
        help_text="Code du quartier prioritaire (QPV), géographie 2015 (QP…) ou 2024 (QN…)."
        + SEVERAL,
    )

    def filter_region(self, queryset, name, value: str):
        return self.in_communes(
            queryset, Commune.objects.filter(department__region__code__in=value)
        )

    def filter_department(self, queryset, name, value: str):
        return self.in_communes(queryset, Commune.objects.filter(department__code__in=value))

    def filter_epci(self, queryset, name, value: str):
        return self.in_communes(queryset, Commune.objects.filter(epci__siren__in=value))

    def filter_commune(self, queryset, name, value: str):
        return self.in_communes(queryset, Commune.objects.filter(insee_code__in=value))

    def filter_neighbourhood(self, queryset, name, value: str):
        return self.in_neighbourhoods(queryset, Neighbourhood.objects.filter(code__in=value))

    def in_communes(self, queryset: QuerySet, communes: QuerySet) -> QuerySet:
        raise NotImplementedError

    def in_neighbourhoods(self, queryset: QuerySet, neighbourhoods: QuerySet) -> QuerySet:
        return self.in_communes(queryset, communes_of(neighbourhoods))

    @staticmethod
    def matching(queryset: QuerySet, condition: Q) -> QuerySet:
        """Rows meeting a condition across to-many joins, each once, as a subquery (no
        DISTINCT on the outer query, which would upset ordering and geometry columns)."""
        return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


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
    thematic = filters.CharFilter(
        method="filter_thematic",
        max_length=50,
        help_text="Code de la thématique de santé (ex. acces-droits-soins, sante-mentale).",
    )
    carrier = filters.CharFilter(
        method="filter_carrier",
        max_length=36,
        help_text="Code de l'organisation porteuse : son SIREN, à défaut son uid.",
    )

    class Meta:
        model = Scheme
        fields = []

    def filter_thematic(self, queryset, name, code):
        return self.matching(queryset, Q(thematics__code=code.strip()))

    def filter_carrier(self, queryset, name, value):
        return queryset.filter(organisation_lookup("carrier", value))

    def in_communes(self, queryset, communes):
        return self.matching(
            queryset,
            Q(communes__in=communes)
            | Q(epcis__in=communes.values("epci"))
            | Q(neighbourhoods__communes__in=communes),
        )

    def in_neighbourhoods(self, queryset, neighbourhoods):
        communes = communes_of(neighbourhoods)
        return self.matching(
            queryset,
            Q(neighbourhoods__in=neighbourhoods)
            | Q(communes__in=communes)
            | Q(epcis__in=communes.values("epci"))
            | Q(epcis__in=neighbourhoods.values("epci")),
        )


def communes_of(neighbourhoods: QuerySet) -> QuerySet:
    return Commune.objects.filter(neighbourhoods__in=neighbourhoods)


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

    class Meta:
        model = Organisation
        fields = []

    def filter_region(self, queryset, name, value: str):
        return self.matching(
            queryset,
            Q(department__region__code__in=value)
            | Q(commune__department__region__code__in=value)
            | Q(epci__communes__department__region__code__in=value),
        )

    def filter_department(self, queryset, name, value: str):
        return self.matching(
            queryset,
            Q(department__code__in=value)
            | Q(commune__department__code__in=value)
            | Q(epci__communes__department__code__in=value),
        )

    def in_communes(self, queryset, communes):
        return self.matching(
            queryset, Q(commune__in=communes) | Q(epci__in=communes.values("epci"))
        )
