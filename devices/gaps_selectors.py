"""Coverage of the 2024 priority neighbourhoods by health schemes and places of care.

A neighbourhood is covered, for each need:
* ASV / CLSM: by a published scheme of that kind, in operation, that lists the neighbourhood (or
  the 2015 neighbourhood it comes from), one of its communes, or the EPCI of one of them;
* health mediator: by an adult-relay post of a published ARMS scheme, in force today, assigned
  to the neighbourhood (or to the 2015 neighbourhood it comes from);
* MSP or health centre: by a published MSP, MPS, pôle or centre de santé located in, or
  serving, one of the neighbourhood's communes (a PASS is a hospital desk: not counted).

Everything is read in a fixed number of queries and joined in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from devices.enums import SchemeKind, SchemeStatus, StructureKind
from devices.models import HealthStructure, MediatorPost, Scheme
from neighbourhoods.enums import Geography
from neighbourhoods.models import Commune, Neighbourhood, NeighbourhoodLink

NEEDS = {
    "asv": "ASV",
    "clsm": "CLSM",
    "mediator": "Médiateur·rice santé",
    "care": "MSP ou centre de santé",
}
NEED_RULES = {
    "asv": "un atelier santé ville publié et opérationnel qui cite le quartier (ou le quartier "
    "2015 dont il est issu), l'une de ses communes ou l'EPCI de l'une d'elles ;",
    "clsm": "un conseil local de santé mentale publié et opérationnel, selon la même règle ;",
    "mediator": "un poste d'adulte-relais médiateur santé en cours (entre ses dates de début et "
    "de fin) d'un dispositif publié, affecté au quartier ou au quartier 2015 dont il est issu ;",
    "care": "une maison ou un pôle de santé pluriprofessionnel ou un centre de santé publié, "
    "situé dans l'une des communes du quartier ou la desservant (une PASS, guichet "
    "hospitalier, n'est pas comptée).",
}
CARE_KINDS = (
    StructureKind.MSP,
    StructureKind.MPS,
    StructureKind.HEALTH_HUB,
    StructureKind.HEALTH_CENTRE,
)


@dataclass
class Coverage:
    code: str
    name: str
    population: int | None
    epci: str
    communes: list[str] = field(default_factory=list)
    department: tuple[str, str] | None = None
    # need → names of what covers it
    covered_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def gaps(self) -> list[str]:
        return [need for need in NEEDS if not self.covered_by.get(need)]

    def cells(self) -> list[dict]:
        return [{"need": need, "by": sorted(set(self.covered_by.get(need, [])))} for need in NEEDS]


def priority_neighbourhoods(communes: QuerySet[Commune] | None) -> QuerySet[Neighbourhood]:
    neighbourhoods = Neighbourhood.objects.qpv().of_geography(Geography.G2024)
    if communes is not None:
        neighbourhoods = neighbourhoods.filter(
            pk__in=Neighbourhood.communes.through.objects.filter(
                commune__in=communes.values("pk")
            ).values("neighbourhood_id")
        )
    return neighbourhoods


def coverage(neighbourhoods: QuerySet[Neighbourhood]) -> list[Coverage]:
    """The coverage of each neighbourhood, ordered by code, in ten queries."""
    rows, own_epci = {}, {}
    for pk, code, name, population, epci_id, epci in neighbourhoods.order_by("code").values_list(
        "pk", "code", "name", "population", "epci_id", "epci__name"
    ):
        rows[pk] = Coverage(code=code, name=name, population=population, epci=epci or "")
        own_epci[pk] = epci_id
    # The ids, read once: the queries below filter on them rather than repeat the territory.
    ids = list(rows)
    communes_of = defaultdict(set)
    epcis_of = defaultdict(set)
    for n_id, c_id, c_name, e_id, d_code, d_name in (
        Neighbourhood.communes.through.objects.filter(neighbourhood_id__in=ids)
        .order_by("commune__name")
        .values_list(
            "neighbourhood_id",
            "commune_id",
            "commune__name",
            "commune__epci_id",
            "commune__department__code",
            "commune__department__name",
        )
    ):
        rows[n_id].communes.append(c_name)
        rows[n_id].department = rows[n_id].department or (d_code, d_name)
        communes_of[n_id].add(c_id)
        if e_id:
            epcis_of[n_id].add(e_id)
    for n_id, e_id in own_epci.items():
        if e_id:
            epcis_of[n_id].add(e_id)
    # The 2024 neighbourhood and the 2015 ones it comes from.
    aliases = defaultdict(lambda: set())
    for n_id in rows:
        aliases[n_id].add(n_id)
    for previous, current in NeighbourhoodLink.objects.filter(current_id__in=ids).values_list(
        "previous_id", "current_id"
    ):
        aliases[current].add(previous)
    all_communes = sorted(set().union(*communes_of.values())) if communes_of else []

    _schemes(rows, aliases, communes_of, epcis_of)
    _mediators(rows, aliases)
    _care(rows, communes_of, all_communes)
    return list(rows.values())


def _schemes(rows, aliases, communes_of, epcis_of) -> None:
    schemes = Scheme.objects.published().filter(
        kind__in=(SchemeKind.ASV, SchemeKind.CLSM), status=SchemeStatus.OPERATIONAL
    )
    found_schemes = list(schemes.values_list("pk", "kind", "name"))
    names = {pk: name for pk, _kind, name in found_schemes}
    kinds = {pk: kind for pk, kind, _name in found_schemes}
    by_neighbourhood, by_commune, by_epci = defaultdict(set), defaultdict(set), defaultdict(set)
    through = Scheme.neighbourhoods.through.objects.filter(scheme_id__in=names)
    for s_id, n_id in through.values_list("scheme_id", "neighbourhood_id"):
        by_neighbourhood[n_id].add(s_id)
    for s_id, c_id in Scheme.communes.through.objects.filter(scheme_id__in=names).values_list(
        "scheme_id", "commune_id"
    ):
        by_commune[c_id].add(s_id)
    for s_id, e_id in Scheme.epcis.through.objects.filter(scheme_id__in=names).values_list(
        "scheme_id", "epci_id"
    ):
        by_epci[e_id].add(s_id)
    for n_id, row in rows.items():
        found = set()
        for alias in aliases[n_id]:
            found |= by_neighbourhood[alias]
        for c_id in communes_of[n_id]:
            found |= by_commune[c_id]
        for e_id in epcis_of[n_id]:
            found |= by_epci[e_id]
        for s_id in found:
            row.covered_by["asv" if kinds[s_id] == SchemeKind.ASV else "clsm"].append(
                f"{kinds[s_id]} {names[s_id]}"
            )


def _mediators(rows, aliases) -> None:
    today = timezone.localdate()
    posts = MediatorPost.objects.filter(
        scheme__in=Scheme.objects.published().filter(kind=SchemeKind.ARMS),
        start_date__lte=today,
        end_date__gte=today,
    )
    by_neighbourhood = defaultdict(set)
    for n_id, employer in MediatorPost.neighbourhoods.through.objects.filter(
        mediatorpost__in=posts
    ).values_list("neighbourhood_id", "mediatorpost__employer__name"):
        by_neighbourhood[n_id].add(f"Poste employé par {employer}")
    for n_id, row in rows.items():
        for alias in aliases[n_id]:
            row.covered_by["mediator"].extend(by_neighbourhood[alias])


def _care(rows, communes_of, all_communes) -> None:
    structures = HealthStructure.objects.published().filter(kind__in=CARE_KINDS)
    by_commune = defaultdict(set)
    for c_id, name in structures.filter(commune_id__in=all_communes).values_list(
        "commune_id", "name"
    ):
        by_commune[c_id].add(name)
    served = HealthStructure.communes_served.through.objects.filter(
        healthstructure__in=structures, commune_id__in=all_communes
    )
    for c_id, name in served.values_list("commune_id", "healthstructure__name"):
        by_commune[c_id].add(name)
    for n_id, row in rows.items():
        for c_id in communes_of[n_id]:
            row.covered_by["care"].extend(by_commune[c_id])


def gap_counts(rows: list[Coverage]) -> dict[str, int]:
    return {need: sum(1 for row in rows if need in row.gaps) for need in NEEDS}


def by_department(rows: list[Coverage]) -> list[dict]:
    """The national summary: per department, its neighbourhoods and the count of each gap."""
    departments = defaultdict(list)
    for row in rows:
        if row.department:
            departments[row.department].append(row)
    return [
        {
            "code": code,
            "name": name,
            "count": len(members),
            "gaps": gap_counts(members),
            "complete": sum(1 for row in members if not row.gaps),
        }
        for (code, name), members in sorted(departments.items())
    ]
