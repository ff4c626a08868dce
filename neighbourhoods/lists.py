"""The public list of neighbourhoods (/quartiers/): the map's table alternative, filtered by
territory, geography and contour, sortable and paginated."""

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from neighbourhoods.enums import Geography
from neighbourhoods.models import Commune, Department, Neighbourhood, Region
from neighbourhoods.validators import insee_code_error, siren_error
from portal.public_cache import public_page

PAGE_SIZE = 50
# ?tri= value → (column label, ordering); a leading « - » sorts descending.
SORTS = {
    "code": ("Code", ("code",)),
    "nom": ("Nom", ("name", "code")),
    "departement": ("Département", ("first_department", "code")),
}


def validate_siren_field(value: str) -> None:
    reason = siren_error(value)
    if reason:
        raise forms.ValidationError(reason)


def validate_insee_field(value: str) -> None:
    reason = insee_code_error(value)
    if reason:
        raise forms.ValidationError(reason)


class NeighbourhoodFilter(django_filters.FilterSet):
    # Choices are set in __init__ from one query each (a ModelChoiceFilter would count too).
    region = django_filters.ChoiceFilter(
        label="Région",
        field_name="communes__department__region__code",
        empty_label="Toutes les régions",
        distinct=True,
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        field_name="communes__department__code",
        empty_label="Tous les départements",
        distinct=True,
    )
    epci = django_filters.CharFilter(
        label="EPCI (SIREN)",
        field_name="communes__epci__siren",
        distinct=True,
        validators=[validate_siren_field],
        help_text="9 chiffres, par exemple 200093201",
    )
    commune = django_filters.CharFilter(
        label="Commune (code INSEE)",
        field_name="communes__insee_code",
        distinct=True,
        validators=[validate_insee_field],
        help_text="5 caractères, par exemple 59350",
    )
    geographie = django_filters.ChoiceFilter(
        label="Géographie",
        field_name="vintage",
        choices=[(str(value), label) for value, label in Geography.choices],
        empty_label="Les deux géographies",
    )
    contour = django_filters.ChoiceFilter(
        label="Contour",
        choices=(("avec", "Avec contour"), ("sans", "Sans contour (position approximative)")),
        method="filter_contour",
        empty_label="Avec ou sans contour",
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
        model = Neighbourhood
        fields = ()

    def filter_contour(self, queryset, name, value):
        return queryset.filter(contour__isnull=(value == "sans"))


def paginate(queryset, request, size: int = PAGE_SIZE):
    """The requested page (the last one past the end, the first on garbage), with the
    elided page numbers the DSFR pagination draws."""
    paginator = Paginator(queryset, size)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page


def sort_links(request, current: str, sorts: dict = SORTS) -> list[dict]:
    """The sortable columns' header links (DSFR sortable table), keeping the other filters."""
    links = []
    for key, (label, _) in sorts.items():
        query = request.GET.copy()
        query.pop("page", None)
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        query["tri"] = f"-{key}" if active and not descending else key
        links.append(
            {
                "key": key,
                "label": label,
                "url": f"?{query.urlencode()}",
                "sort": ("descending" if descending else "ascending") if active else "",
            }
        )
    return links


@public_page
@require_GET
def neighbourhood_list(request):
    first_department = (
        Commune.objects.filter(neighbourhoods=OuterRef("pk"))
        .order_by("insee_code")
        .values("department__code")[:1]
    )
    base = Neighbourhood.objects.annotate(
        first_department=first_department.values("department__code"),
        has_contour=ExpressionWrapper(Q(contour__isnull=False), output_field=BooleanField()),
    )
    filterset = NeighbourhoodFilter(request.GET or None, queryset=base)
    sort = request.GET.get("tri", "code")
    if sort.lstrip("-") not in SORTS:
        sort = "code"
    ordering = SORTS[sort.lstrip("-")][1]
    if sort.startswith("-"):
        ordering = tuple(f"-{field}" for field in ordering)
    if filterset.is_bound and not filterset.is_valid():
        queryset = Neighbourhood.objects.none()
    else:
        queryset = filterset.qs
    queryset = (
        queryset.defer("contour", "contour_simplified")
        .select_related("epci")
        .prefetch_related(
            Prefetch(
                "communes",
                queryset=Commune.objects.select_related("department").order_by("insee_code"),
            )
        )
        .order_by(*ordering)
    )
    page = paginate(queryset, request)
    return render(
        request,
        "public/lists/neighbourhood_list.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page_obj": page,
            "sort_links": sort_links(request, sort),
            "title": "Quartiers prioritaires",
            "breadcrumb_data": {
                "links": [],
                "current": "Quartiers prioritaires",
            },
        },
    )
