"""Filters of the contracts app's API resources, each with its French help text (shown in the
OpenAPI documentation). Territory filters take official codes; see ``devices.api_filters``."""

import django_filters as filters
from django.db.models import Q

from contracts.enums import ContractGeneration
from contracts.models import CallForProjects, CityContract, HealthSection
from devices.api_filters import TerritoryFilterSet


def contract_in_communes(prefix: str, communes) -> Q:
    """A contract meets these communes when it covers one, is carried by one or by their EPCI,
    or covers a neighbourhood of one."""
    return (
        Q(**{f"{prefix}communes__in": communes})
        | Q(**{f"{prefix}carrier_commune__in": communes})
        | Q(**{f"{prefix}carrier_epci__in": communes.values("epci")})
        | Q(**{f"{prefix}neighbourhoods__communes__in": communes})
    )


class ContractFilter(TerritoryFilterSet):
    generation = filters.ChoiceFilter(
        choices=ContractGeneration.choices,
        help_text="Génération : 2015-2023 (contrats de ville 2015-2020 prorogés) ou 2024-2030 "
        "(Engagements Quartiers 2030).",
    )
    has_health_section = filters.ChoiceFilter(
        choices=[("true", "oui"), ("false", "non")],
        method="filter_has_health_section",
        help_text="true : seulement les contrats dont le volet santé a été validé par l'ARS "
        "(et donc publié) ; false : ceux qui n'en ont pas encore.",
    )

    class Meta:
        model = CityContract
        fields = []

    def filter_has_health_section(self, queryset, name, value):
        published = HealthSection.objects.published().values("contract")
        if value == "true":
            return queryset.filter(pk__in=published)
        return queryset.exclude(pk__in=published)

    def in_communes(self, queryset, communes):
        return self.matching(queryset, contract_in_communes("", communes))

    def filter_region(self, queryset, name, value: str):
        return self.matching(
            queryset,
            Q(department__region__code__in=value)
            | contract_in_communes("", self.communes_of(department__region__code__in=value)),
        )

    def filter_department(self, queryset, name, value: str):
        return self.matching(
            queryset,
            Q(department__code__in=value)
            | contract_in_communes("", self.communes_of(department__code__in=value)),
        )

    def in_neighbourhoods(self, queryset, neighbourhoods):
        return self.matching(queryset, Q(neighbourhoods__in=neighbourhoods))

    @staticmethod
    def communes_of(**condition):
        from neighbourhoods.models import Commune

        return Commune.objects.filter(**condition)


class CallForProjectsFilter(TerritoryFilterSet):
    contract = filters.CharFilter(
        field_name="contract__code",
        max_length=20,
        help_text="Code du contrat de ville (ex. CN05901M).",
    )
    year = filters.NumberFilter(
        min_value=1990, max_value=2100, help_text="Année de l'appel à projets (ex. 2016)."
    )

    class Meta:
        model = CallForProjects
        fields = []

    def in_communes(self, queryset, communes):
        return self.matching(queryset, contract_in_communes("contract__", communes))

    def filter_region(self, queryset, name, value: str):
        return self.matching(
            queryset,
            Q(contract__department__region__code__in=value)
            | contract_in_communes(
                "contract__", ContractFilter.communes_of(department__region__code__in=value)
            ),
        )

    def filter_department(self, queryset, name, value: str):
        return self.matching(
            queryset,
            Q(contract__department__code__in=value)
            | contract_in_communes(
                "contract__", ContractFilter.communes_of(department__code__in=value)
            ),
        )

    def in_neighbourhoods(self, queryset, neighbourhoods):
        return self.matching(queryset, Q(contract__neighbourhoods__in=neighbourhoods))
