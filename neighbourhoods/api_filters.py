"""FilterSets of the territories' API resources. Every filter has a French help text, shown in
the OpenAPI documentation. Territories are chosen by official code, several at once separated
by commas (``?department=59,62``); an unknown code gives an empty list, a malformed one a 400."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from neighbourhoods.enums import CommuneKind, EpciNature, Geography, NeighbourhoodKind
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood, Region
from portal.api.feed import FeedFilterSet

MAX_CODES = 100
CODE = re.compile(r"^[0-9A-Za-z]{1,12}$")
SEVERAL = " Plusieurs codes possibles, séparés par des virgules."


class CodeListField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return []
        codes = [code.strip().upper() for code in text.split(",") if code.strip()]
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(f"Au plus {MAX_CODES} codes à la fois.", code="too_many")
        wrong = [code for code in codes if not CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                f"Code mal formé : {wrong[0][:20]!r} (lettres et chiffres seulement).",
                code="invalid",
            )
        return codes


class CodesFilter(django_filters.Filter):
    """One or several official codes; ``lookup`` is tested with EXISTS through
    ``exists_through`` (a model and its column pointing at the filtered row) when it crosses a
    many-to-many relation, so that rows never repeat."""

    field_class = CodeListField

    def __init__(self, *, lookup: str, exists_through=None, **kwargs):
        self.lookup = lookup
        self.exists_through = exists_through
        # A method (rather than an overridden ``filter``) whose type hint tells the OpenAPI
        # generator the parameter's type while keeping its help text.
        kwargs["method"] = self.filter_codes
        super().__init__(**kwargs)

    def filter_codes(self, queryset, name, value: str):
        if self.exists_through is None:
            return queryset.filter(**{f"{self.lookup}__in": value})
        model, outer = self.exists_through
        return queryset.filter(
            Exists(model.objects.filter(**{outer: OuterRef("pk"), f"{self.lookup}__in": value}))
        )


def _neighbourhood_communes(lookup: str) -> dict:
    return {"lookup": lookup, "exists_through": (Neighbourhood.communes.through, "neighbourhood")}


class DepartmentFilter(FeedFilterSet):
    region = CodesFilter(lookup="region__code", help_text="Code INSEE de la région." + SEVERAL)

    class Meta:
        model = Department
        fields = []


class RegionFilter(FeedFilterSet):
    class Meta:
        model = Region
        fields = []


class EpciFilter(FeedFilterSet):
    region = CodesFilter(
        lookup="department__region__code",
        exists_through=(Commune, "epci"),
        help_text="Code INSEE de la région d'au moins une commune membre." + SEVERAL,
    )
    department = CodesFilter(
        lookup="department__code",
        exists_through=(Commune, "epci"),
        help_text="Code INSEE du département d'au moins une commune membre." + SEVERAL,
    )
    commune = CodesFilter(
        lookup="insee_code",
        exists_through=(Commune, "epci"),
        help_text="Code INSEE d'une commune membre." + SEVERAL,
    )
    nature = django_filters.MultipleChoiceFilter(
        choices=EpciNature.choices,
        help_text="Nature de l'EPCI : CC, CA, CU, METRO, MET69 ou EPT (paramètre répétable).",
    )

    class Meta:
        model = Epci
        fields = []


class CommuneFilter(FeedFilterSet):
    region = CodesFilter(
        lookup="department__region__code", help_text="Code INSEE de la région." + SEVERAL
    )
    department = CodesFilter(
        lookup="department__code", help_text="Code INSEE du département." + SEVERAL
    )
    epci = CodesFilter(lookup="epci__siren", help_text="SIREN de l'EPCI." + SEVERAL)
    commune = CodesFilter(lookup="insee_code", help_text="Code INSEE de la commune." + SEVERAL)
    neighbourhood = CodesFilter(
        lookup="neighbourhood__code",
        exists_through=(Neighbourhood.communes.through, "commune"),
        help_text="Code d'un quartier situé dans la commune (QP…, QN…)." + SEVERAL,
    )
    geography = django_filters.TypedChoiceFilter(
        choices=Geography.choices,
        coerce=int,
        field_name="neighbourhoods__vintage",
        method="filter_geography",
        help_text="Seulement les communes qui ont au moins un quartier de cette géographie "
        "(2015 ou 2024).",
    )
    kind = django_filters.ChoiceFilter(
        choices=CommuneKind.choices,
        help_text="COM (commune) ou ARM (arrondissement municipal de Paris, Lyon, Marseille).",
    )

    class Meta:
        model = Commune
        fields = []

    def filter_geography(self, queryset, name, value: int):
        through = Neighbourhood.communes.through
        return queryset.filter(
            Exists(through.objects.filter(commune=OuterRef("pk"), neighbourhood__vintage=value))
        )


class NeighbourhoodFilter(FeedFilterSet):
    region = CodesFilter(
        **_neighbourhood_communes("commune__department__region__code"),
        help_text="Code INSEE de la région d'une des communes du quartier." + SEVERAL,
    )
    department = CodesFilter(
        **_neighbourhood_communes("commune__department__code"),
        help_text="Code INSEE du département d'une des communes du quartier." + SEVERAL,
    )
    epci = CodesFilter(lookup="epci__siren", help_text="SIREN de l'EPCI du quartier." + SEVERAL)
    commune = CodesFilter(
        **_neighbourhood_communes("commune__insee_code"),
        help_text="Code INSEE d'une des communes du quartier." + SEVERAL,
    )
    code = CodesFilter(lookup="code", help_text="Code du quartier (QP…, QN…)." + SEVERAL)
    geography = django_filters.TypedChoiceFilter(
        field_name="vintage",
        choices=Geography.choices,
        coerce=int,
        help_text="Géographie prioritaire : 2015 (décret de 2014) ou 2024 (décrets de 2023).",
    )
    kind = django_filters.ChoiceFilter(
        choices=NeighbourhoodKind.choices,
        help_text="qpv (quartier prioritaire) ou watch (quartier de veille active).",
    )
    in_renewal_programme = django_filters.BooleanFilter(
        help_text="true : seulement les quartiers en renouvellement urbain (NPNRU) ; false : "
        "les autres."
    )
    family = django_filters.CharFilter(
        method="filter_family",
        max_length=50,
        help_text="Code d'une famille de typologie (ex. famille INSEE Hauts-de-France).",
    )

    class Meta:
        model = Neighbourhood
        fields = []

    def filter_family(self, queryset, name, value: str):
        from neighbourhoods.models import FamilyMembership

        return queryset.filter(
            Exists(
                FamilyMembership.objects.filter(neighbourhood=OuterRef("pk"), family__code=value)
            )
        )
