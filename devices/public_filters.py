"""Filters of the public directory, coverage-gaps and partnership pages: the forms that read
their query strings, and the territory rules they share (which schemes and structures are « in »
a region, a department, an EPCI or a commune)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from devices.enums import ProjectStage, SchemeKind, SchemeStatus, StructureKind
from devices.models import HealthStructure, Scheme, Thematic
from neighbourhoods.models import Commune, Department, Epci, Region

# Codes are short (SIREN 9, INSEE 5): anything longer is garbage, refused before any query.
MAX_CODE_LENGTH = 12


class CodeChoiceField(forms.ModelChoiceField):
    """A model chosen by its official code, with a French message for unknown or garbage
    codes (a NUL byte would make PostgreSQL fail: refused here)."""

    def __init__(self, queryset, *, to_field_name: str, unknown: str, **kwargs):
        super().__init__(
            queryset,
            to_field_name=to_field_name,
            required=False,
            error_messages={"invalid_choice": unknown},
            **kwargs,
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if len(value) > MAX_CODE_LENGTH or "\x00" in value:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def region_field():
    return CodeChoiceField(
        Region.objects.all(), to_field_name="code", label="Région", unknown="Région inconnue."
    )


def department_field():
    return CodeChoiceField(
        Department.objects.all(),
        to_field_name="code",
        label="Département",
        unknown="Département inconnu.",
    )


def epci_field():
    return CodeChoiceField(
        Epci.objects.all(), to_field_name="siren", label="EPCI", unknown="EPCI inconnu."
    )


# « dispositif » and « structure » take a whole family (the home page's figures link to them).
ALL_SCHEMES, ALL_STRUCTURES = "dispositif", "structure"
KIND_CHOICES = [
    ("", "Tous les types"),
    (
        "Familles",
        [(ALL_SCHEMES, "Tous les dispositifs"), (ALL_STRUCTURES, "Toutes les structures de santé")],
    ),
    ("Dispositifs", SchemeKind.choices),
    ("Structures de santé", StructureKind.choices),
]
SORTS = {
    "nom": ("row_sort_name",),
    "type": ("row_kind_rank", "row_sort_name"),
    "commune": ("row_sort_commune", "row_sort_name"),
}
SORT_CHOICES = [
    ("nom", "Nom (A → Z)"),
    ("-nom", "Nom (Z → A)"),
    ("type", "Type"),
    ("-type", "Type (ordre inverse)"),
    ("commune", "Commune (A → Z)"),
    ("-commune", "Commune (Z → A)"),
]


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string by the page and its CSV alike."""

    q = forms.CharField(
        label="Rechercher",
        help_text="Nom du dispositif ou de la structure, porteur ou commune",
        max_length=100,
        required=False,
    )
    region = region_field()
    departement = department_field()
    epci = epci_field()
    commune = forms.CharField(
        label="Commune",
        help_text="Nom ou code INSEE (ex. 59350)",
        max_length=100,
        required=False,
    )
    type = forms.ChoiceField(label="Type", choices=KIND_CHOICES, required=False)
    thematique = CodeChoiceField(
        Thematic.objects.all(),
        to_field_name="code",
        label="Thématique",
        unknown="Thématique inconnue.",
    )
    statut = forms.ChoiceField(
        label="État",
        choices=[("", "Tous les états"), *SchemeStatus.choices],
        required=False,
    )
    etape = forms.ChoiceField(
        label="Étape du projet",
        choices=[("", "Toutes les étapes"), *ProjectStage.choices],
        required=False,
    )
    tri = forms.ChoiceField(label="Trier par", choices=SORT_CHOICES, required=False)

    def clean_commune(self) -> Commune | None:
        value = self.cleaned_data["commune"].strip()
        if not value:
            return None
        matches = list(
            Commune.objects.filter(Q(insee_code=value.upper()) | Q(name__iexact=value))[:2]
        )
        if not matches:
            raise ValidationError("Commune inconnue : indiquez son nom ou son code INSEE.")
        if len(matches) > 1:
            raise ValidationError(
                "Plusieurs communes portent ce nom : indiquez le code INSEE (ex. 59350)."
            )
        return matches[0]

    def valid_filters(self) -> dict:
        """The filters that passed validation; a bad one is reported and left out, the others
        still apply."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class TerritoryForm(forms.Form):
    """A territory to look at: the narrowest of an EPCI, a department or a region."""

    region = region_field()
    departement = department_field()
    epci = epci_field()

    def __init__(self, *args, levels=("region", "departement", "epci"), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("region", "departement", "epci"):
            if name not in levels:
                del self.fields[name]

    def territory(self):
        """The chosen territory (an Epci, a Department or a Region), or None."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("epci") or data.get("departement") or data.get("region")


def communes_of(territory) -> QuerySet[Commune]:
    """The communes of a region, a department, an EPCI or a commune."""
    if isinstance(territory, Commune):
        return Commune.objects.filter(pk=territory.pk)
    if isinstance(territory, Epci):
        return Commune.objects.filter(epci=territory)
    if isinstance(territory, Department):
        return Commune.objects.filter(department=territory)
    if isinstance(territory, Region):
        return Commune.objects.filter(department__region=territory)
    raise TypeError(f"Not a territory: {territory!r}")


def scheme_in(communes: QuerySet[Commune]) -> Q:
    """A scheme is in a territory when one of the communes, EPCIs or neighbourhoods it covers
    has a commune there."""
    ids = communes.values("pk")
    through = Scheme.communes.through.objects.filter(scheme=OuterRef("pk"))
    return Q(
        Exists(through.filter(commune__in=ids))
        | Exists(Scheme.epcis.through.objects.filter(scheme=OuterRef("pk"), epci__communes__in=ids))
        | Exists(
            Scheme.neighbourhoods.through.objects.filter(
                scheme=OuterRef("pk"), neighbourhood__communes__in=ids
            )
        )
    )


def structure_in(communes: QuerySet[Commune]) -> Q:
    """A structure is in a territory when it stands or serves a commune there."""
    ids = communes.values("pk")
    return Q(commune__in=ids) | Q(
        Exists(
            HealthStructure.communes_served.through.objects.filter(
                healthstructure=OuterRef("pk"), commune__in=ids
            )
        )
    )


def with_chosen(options: list[tuple[str, str]], chosen, code: str) -> list[tuple[str, str]]:
    """The options of a select, with the chosen row first if the list left it out (so the
    select shows what the page is about)."""
    if chosen is None:
        return options
    value = getattr(chosen, code)
    if value in {option for option, _ in options}:
        return options
    return [(value, getattr(chosen, "name", str(chosen))), *options]
