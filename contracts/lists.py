"""The public list of city contracts (/contrats/), filtered by territory, generation and
published health section, sortable and paginated."""

import django_filters
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contracts.enums import ContractGeneration
from contracts.models import CityContract, HealthSection
from neighbourhoods.lists import paginate, sort_links
from neighbourhoods.models import Department, Region
from portal.public_cache import public_page

SORTS = {
    "code": ("Code", ("code",)),
    "nom": ("Nom", ("name", "code")),
    "departement": ("Département", ("department__code", "code")),
}


class ContractFilter(django_filters.FilterSet):
    # Choices are set in __init__ from one query each (a ModelChoiceFilter would count too).
    region = django_filters.ChoiceFilter(
        label="Région",
        field_name="department__region__code",
        empty_label="Toutes les régions",
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        field_name="department__code",
        empty_label="Tous les départements",
    )
    generation = django_filters.ChoiceFilter(
        label="Génération",
        choices=ContractGeneration.choices,
        empty_label="Toutes les générations",
    )
    volet_sante = django_filters.ChoiceFilter(
        label="Volet santé",
        choices=(("publie", "Volet santé publié"), ("non-publie", "Sans volet santé publié")),
        method="filter_section",
        empty_label="Avec ou sans volet santé publié",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].extra["choices"] = list(
            Region.objects.order_by("name").values_list("code", "name")
        )
        self.filters["departement"].extra["choices"] = [
            (code, f"{code} – {name}")
            for code, name in Department.objects.order_by("code").values_list("code", "name")
        ]

    class Meta:
        model = CityContract
        fields = ()

    def filter_section(self, queryset, name, value):
        return queryset.filter(has_published_section=(value == "publie"))


@public_page
@require_GET
def contract_list(request):
    published = HealthSection.objects.published().filter(contract=OuterRef("pk"))
    base = CityContract.objects.annotate(has_published_section=Exists(published))
    filterset = ContractFilter(request.GET or None, queryset=base)
    sort = request.GET.get("tri", "code")
    if sort.lstrip("-") not in SORTS:
        sort = "code"
    ordering = SORTS[sort.lstrip("-")][1]
    if sort.startswith("-"):
        ordering = tuple(f"-{field}" for field in ordering)
    queryset = filterset.qs if not filterset.is_bound or filterset.is_valid() else base.none()
    queryset = queryset.select_related("department", "carrier_epci", "carrier_commune").order_by(
        *ordering
    )
    return render(
        request,
        "public/lists/contract_list.html",
        {
            "form": filterset.form,
            "page_obj": paginate(queryset, request),
            "sort_links": sort_links(request, sort, SORTS),
            "title": "Contrats de ville",
            "breadcrumb_data": {
                "links": [],
                "current": "Contrats de ville",
            },
        },
    )
