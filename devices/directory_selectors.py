"""What the public directory lists: published schemes and published health structures as one
sorted list of rows (an SQL UNION), and the details the page and its CSV add to them.

The page and the CSV both call ``directory_rows(filters)``: they list the same rows."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from devices.enums import RoleKind, SchemeKind, StructureKind
from devices.models import HealthStructure, Organisation, Role, Scheme
from devices.privacy import public_contact
from devices.public_filters import (
    ALL_SCHEMES,
    ALL_STRUCTURES,
    SORTS,
    communes_of,
    scheme_in,
    structure_in,
)
from neighbourhoods.models import Commune, Epci
from portal.search import folded_contains

SCHEME = "scheme"
STRUCTURE = "structure"
KIND_LABELS = {**dict(SchemeKind.choices), **dict(StructureKind.choices)}
# The order of the « type » sort: schemes from the widest, then places of care.
KIND_RANK = {kind: rank for rank, kind in enumerate([*SchemeKind.values, *StructureKind.values])}


def _text(value) -> Value:
    return Value(value, output_field=CharField())


def _kind_rank() -> Case:
    return Case(
        *(When(kind=kind, then=Value(rank)) for kind, rank in KIND_RANK.items()),
        default=Value(len(KIND_RANK)),
        output_field=IntegerField(),
    )


def filtered_schemes(filters: dict) -> QuerySet[Scheme]:
    schemes = Scheme.objects.published()
    for level in ("region", "departement", "epci", "commune"):
        if level in filters:
            schemes = schemes.filter(scheme_in(communes_of(filters[level])))
    kind = filters.get("type")
    if kind == ALL_STRUCTURES or (kind and kind != ALL_SCHEMES and kind not in SchemeKind.values):
        return schemes.none()
    if kind in SchemeKind.values:
        schemes = schemes.filter(kind=kind)
    if "thematique" in filters:
        schemes = schemes.filter(thematics=filters["thematique"])
    if "statut" in filters:
        schemes = schemes.filter(status=filters["statut"])
    if "etape" in filters:
        schemes = schemes.filter(stage=filters["etape"])
    if "q" in filters:
        schemes = schemes.filter(_scheme_text(filters["q"]))
    return schemes


def _scheme_text(q: str) -> Q:
    return (
        folded_contains("name", q)
        | Q(Exists(_organisations_named(q).filter(pk=OuterRef("carrier_id"))))
        | Q(
            Exists(
                Scheme.communes.through.objects.filter(
                    Exists(_communes_named(q).filter(pk=OuterRef("commune_id"))),
                    scheme=OuterRef("pk"),
                )
            )
        )
    )


def _organisations_named(q: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(folded_contains("name", q) | folded_contains("acronym", q))


def _communes_named(q: str) -> QuerySet[Commune]:
    return Commune.objects.filter(folded_contains("name", q))


def filtered_structures(filters: dict) -> QuerySet[HealthStructure]:
    structures = HealthStructure.objects.published()
    # Structures have no thematic, state nor project stage: those filters leave them out.
    if {"thematique", "statut", "etape"} & filters.keys():
        return structures.none()
    kind = filters.get("type")
    if kind == ALL_SCHEMES or (
        kind and kind != ALL_STRUCTURES and kind not in StructureKind.values
    ):
        return structures.none()
    if kind in StructureKind.values:
        structures = structures.filter(kind=kind)
    for level in ("region", "departement", "epci", "commune"):
        if level in filters:
            structures = structures.filter(structure_in(communes_of(filters[level])))
    if "q" in filters:
        q = filters["q"]
        structures = structures.filter(
            folded_contains("name", q)
            | Q(Exists(_organisations_named(q).filter(pk=OuterRef("carrier_id"))))
            | Q(Exists(_communes_named(q).filter(pk=OuterRef("commune_id"))))
        )
    return structures


def directory_rows(filters: dict, sort: str = "nom") -> QuerySet:
    """Published schemes and structures matching ``filters``, as rows of ``row_*`` values,
    sorted by ``sort`` (a key of SORTS, « - » first for the reverse) then by a stable order."""
    first_commune = Subquery(
        Commune.objects.filter(schemes=OuterRef("pk")).order_by("name").values("name")[:1]
    )
    first_epci = Subquery(
        Epci.objects.filter(schemes=OuterRef("pk")).order_by("name").values("name")[:1]
    )
    scheme_commune = Coalesce(first_commune, first_epci, _text(""))
    schemes = (
        filtered_schemes(filters)
        .order_by()
        .values(
            row_source=_text(SCHEME),
            row_id=F("pk"),
            row_uid=F("uid"),
            row_name=F("name"),
            row_kind=F("kind"),
            row_kind_rank=_kind_rank(),
            row_status=F("status"),
            row_stage=F("stage"),
            row_carrier=F("carrier__name"),
            row_commune=scheme_commune,
            row_address=_text(""),
            row_sort_name=Lower("name"),
            row_sort_commune=Lower(scheme_commune),
        )
    )
    structures = (
        filtered_structures(filters)
        .order_by()
        .values(
            row_source=_text(STRUCTURE),
            row_id=F("pk"),
            row_uid=F("uid"),
            row_name=F("name"),
            row_kind=F("kind"),
            row_kind_rank=_kind_rank(),
            row_status=_text(""),
            row_stage=_text(""),
            row_carrier=Coalesce(F("carrier__name"), _text("")),
            row_commune=F("commune__name"),
            row_address=F("address"),
            row_sort_name=Lower("name"),
            row_sort_commune=Lower("commune__name"),
        )
    )
    descending = sort.startswith("-")
    keys = SORTS.get(sort.lstrip("-"), SORTS["nom"])
    order = [f"-{key}" if descending else key for key in keys]
    # The tie-breakers keep pages stable whatever the direction.
    return schemes.union(structures, all=True).order_by(*order, "row_source", "row_id")


def scheme_details(scheme_ids: Iterable[int] | QuerySet) -> dict[int, dict]:
    """Territory, thematics and published coordinator contacts of these schemes, in four
    queries whatever their number."""
    details = defaultdict(lambda: {"communes": [], "epcis": [], "thematics": [], "contacts": []})
    communes = Scheme.communes.through.objects.filter(scheme_id__in=scheme_ids)
    for scheme_id, name in communes.order_by("commune__name").values_list(
        "scheme_id", "commune__name"
    ):
        details[scheme_id]["communes"].append(name)
    epcis = Scheme.epcis.through.objects.filter(scheme_id__in=scheme_ids)
    for scheme_id, name in epcis.order_by("epci__name").values_list("scheme_id", "epci__name"):
        details[scheme_id]["epcis"].append(name)
    thematics = Scheme.thematics.through.objects.filter(scheme_id__in=scheme_ids)
    for scheme_id, label in thematics.order_by("thematic__label").values_list(
        "scheme_id", "thematic__label"
    ):
        details[scheme_id]["thematics"].append(label)
    coordinators = (
        Role.objects.filter(scheme_id__in=scheme_ids, kind=RoleKind.COORDINATOR)
        .select_related("person__organisation")
        .order_by("person__last_name", "pk")
    )
    for role in coordinators:
        contact = public_contact(role.person)
        if contact:
            details[role.scheme_id]["contacts"].append(contact)
    return details


CSV_HEADER = [
    "Catégorie",
    "Type",
    "Nom",
    "État",
    "Étape du projet",
    "Porteur",
    "Commune(s)",
    "EPCI",
    "Adresse",
    "Thématiques",
    "Contact public",
    "Courriel professionnel",
    "Téléphone professionnel",
    "Page",
]
