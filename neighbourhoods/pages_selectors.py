"""Reads behind the public territory pages: each returns everything a page shows in a fixed
number of queries, whatever the number of neighbourhoods, schemes or structures."""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.gis.geos import Point, Polygon
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet

from contracts.models import CityContract
from devices.enums import SchemeKind
from devices.models import HealthStructure, MediatorPost, Scheme
from neighbourhoods.models import (
    CitizenCouncilCoverage,
    Commune,
    Epci,
    FamilyMembership,
    IndicatorValue,
    Neighbourhood,
    NeighbourhoodLink,
)

# Codes as the URLs carry them; anything else is a 404 before any query (a NUL byte or a
# megabyte of text must never reach the database).
NEIGHBOURHOOD_CODE = re.compile(r"[A-Za-z0-9]{4,10}")
INSEE_CODE = re.compile(r"([0-9]{2}|2A|2B)[0-9]{3}")
SIREN = re.compile(r"[0-9]{9}")

# « Near » a neighbourhood: within this distance of its contour (or in one of its communes).
NEAR_METRES = 1000
METRES_PER_DEGREE = 111_320

SCHEME_KIND_ORDER = [
    SchemeKind.CLS,
    SchemeKind.CTS,
    SchemeKind.ASV,
    SchemeKind.CLSM,
    SchemeKind.ARMS,
]


def french_sorted(rows, attribute: str = "name") -> list:
    """Rows in French alphabetical order (É with E, Chérêt before Chivy), which the databases'
    default collations do not give."""

    def key(row):
        text = unicodedata.normalize("NFKD", getattr(row, attribute))
        return "".join(c for c in text if not unicodedata.combining(c)).casefold()

    return sorted(rows, key=key)


def valid(pattern: re.Pattern, code: str) -> bool:
    return bool(pattern.fullmatch(code))


def _published_schemes() -> QuerySet[Scheme]:
    return Scheme.objects.published().select_related("carrier").order_by("kind", "name")


def _structures() -> QuerySet[HealthStructure]:
    return HealthStructure.objects.published().select_related("commune").order_by("name")


def neighbourhood_for_page(code: str) -> Neighbourhood | None:
    """The neighbourhood, its communes (with department and region), EPCI, predecessors and
    successors, contracts, INSEE families, citizen council and indicator values."""
    if not valid(NEIGHBOURHOOD_CODE, code):
        return None
    return (
        Neighbourhood.objects.select_related("epci")
        .prefetch_related(
            Prefetch(
                "communes",
                Commune.objects.select_related("department__region").order_by("name"),
            ),
            Prefetch("city_contracts", CityContract.objects.order_by("-generation", "code")),
            Prefetch(
                "memberships",
                FamilyMembership.objects.select_related("family__typology").order_by(
                    "family__typology__code"
                ),
            ),
            Prefetch(
                "citizen_council_coverages",
                CitizenCouncilCoverage.objects.select_related("council"),
            ),
            Prefetch(
                "indicator_values",
                IndicatorValue.objects.select_related("indicator"),
            ),
        )
        .filter(code=code.upper())
        .first()
    )


def linked_neighbourhoods(neighbourhood: Neighbourhood) -> tuple[list, list]:
    """(2015 neighbourhoods it took over, 2024 neighbourhoods that took it over), one query."""
    links = (
        NeighbourhoodLink.objects.filter(Q(previous=neighbourhood) | Q(current=neighbourhood))
        .select_related("previous", "current")
        .order_by("previous__code", "current__code")
    )
    previous, following = [], []
    for link in links:
        if link.current_id == neighbourhood.pk:
            previous.append(link.previous)
        else:
            following.append(link.current)
    return previous, following


@dataclass
class CoveringScheme:
    scheme: Scheme
    scope: str  # how it covers the neighbourhood: « le quartier », « la commune », « l'EPCI »


def schemes_covering(neighbourhood: Neighbourhood) -> list[CoveringScheme]:
    """Published schemes naming the neighbourhood, one of its communes or its EPCI (one query)."""
    commune_ids = [c.pk for c in neighbourhood.communes.all()]
    condition = Q(neighbourhoods=neighbourhood) | Q(communes__in=commune_ids)
    if neighbourhood.epci_id:
        condition |= Q(epcis=neighbourhood.epci_id)
    schemes = (
        _published_schemes()
        .filter(condition)
        .prefetch_related(
            Prefetch("neighbourhoods", Neighbourhood.objects.only("pk")),
            Prefetch("communes", Commune.objects.only("pk")),
        )
        .distinct()
    )
    rows = []
    for scheme in schemes:
        if any(n.pk == neighbourhood.pk for n in scheme.neighbourhoods.all()):
            scope = "Le quartier"
        elif any(c.pk in commune_ids for c in scheme.communes.all()):
            scope = "Sa commune"
        else:
            scope = "Son EPCI"
        rows.append(CoveringScheme(scheme, scope))
    rows.sort(key=lambda row: (SCHEME_KIND_ORDER.index(row.scheme.kind), row.scheme.name))
    return rows


def mediator_posts_in(neighbourhood: Neighbourhood) -> QuerySet[MediatorPost]:
    """Posts of published ARMS schemes working in the neighbourhood: employer and dates only."""
    return (
        MediatorPost.objects.filter(neighbourhoods=neighbourhood, scheme__is_published=True)
        .select_related("employer", "scheme")
        .only("uid", "start_date", "end_date", "employer__name", "employer__acronym", "scheme")
        .order_by("start_date", "pk")
    )


@dataclass
class NearbyStructure:
    structure: HealthStructure
    situation: str


def _metres(point: Point, geometry) -> float:
    """Distance on the ground, rounded up: a degree of longitude is shorter than one of latitude
    away from the equator, so counting both as a degree of latitude never calls a far place
    « near »."""
    return geometry.distance(point) * METRES_PER_DEGREE


def structures_near(neighbourhood: Neighbourhood) -> list[NearbyStructure]:
    """Published structures in the neighbourhood, within ``NEAR_METRES`` of its contour, or in
    one of its communes, nearest first (one query)."""
    commune_ids = [c.pk for c in neighbourhood.communes.all()]
    condition = Q(commune__in=commune_ids)
    contour = neighbourhood.contour
    if contour is not None:
        xmin, ymin, xmax, ymax = contour.extent
        margin = NEAR_METRES / METRES_PER_DEGREE * 2
        box = Polygon.from_bbox((xmin - margin, ymin - margin, xmax + margin, ymax + margin))
        box.srid = 4326
        condition |= Q(location__within=box)
    rows = []
    for structure in _structures().filter(condition):
        situation, order = "Dans la même commune", 2 * NEAR_METRES
        if contour is not None and structure.location is not None:
            if contour.intersects(structure.location):
                situation, order = "Dans le quartier", 0
            else:
                metres = _metres(structure.location, contour)
                if metres <= NEAR_METRES:
                    situation = f"À {int(round(metres, -2)) or 100} m environ du quartier"
                    order = metres
                elif structure.commune_id not in commune_ids:
                    continue
        rows.append((order, structure.name, NearbyStructure(structure, situation)))
    return [row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1]))]


# Communes and EPCI ---------------------------------------------------------------------------


def neighbourhood_rows() -> QuerySet[Neighbourhood]:
    """Without their contours (the map layer draws them), but knowing which have one."""
    return (
        Neighbourhood.objects.defer("contour", "contour_simplified")
        .annotate(
            has_contour=ExpressionWrapper(Q(contour__isnull=False), output_field=BooleanField())
        )
        .order_by("-vintage", "code")
    )


def commune_for_page(insee_code: str) -> Commune | None:
    if not valid(INSEE_CODE, insee_code.upper()):
        return None
    return (
        Commune.objects.select_related("department__region", "epci", "parent")
        .prefetch_related(
            Prefetch(
                "neighbourhoods",
                neighbourhood_rows().prefetch_related(
                    Prefetch("communes", Commune.objects.only("pk", "insee_code", "name"))
                ),
            ),
            Prefetch("arrondissements", Commune.objects.order_by("insee_code")),
        )
        .filter(insee_code=insee_code.upper())
        .first()
    )


def contracts_of_commune(commune: Commune) -> QuerySet[CityContract]:
    return (
        CityContract.objects.filter(
            Q(communes=commune) | Q(carrier_commune=commune) | Q(neighbourhoods__communes=commune)
        )
        .select_related("carrier_epci", "carrier_commune")
        .distinct()
        .order_by("-generation", "code")
    )


def schemes_of_commune(commune: Commune) -> QuerySet[Scheme]:
    condition = Q(communes=commune) | Q(neighbourhoods__communes=commune)
    if commune.epci_id:
        condition |= Q(epcis=commune.epci_id)
    return _published_schemes().filter(condition).distinct()


def structures_of_commune(commune: Commune) -> QuerySet[HealthStructure]:
    return _structures().filter(Q(commune=commune) | Q(communes_served=commune)).distinct()


def epci_for_page(siren: str) -> Epci | None:
    if not valid(SIREN, siren):
        return None
    return (
        Epci.objects.prefetch_related(
            Prefetch(
                "communes",
                Commune.objects.select_related("department").order_by("name"),
            ),
            Prefetch(
                "neighbourhoods",
                neighbourhood_rows().prefetch_related(
                    Prefetch("communes", Commune.objects.only("pk", "insee_code", "name"))
                ),
            ),
        )
        .filter(siren=siren)
        .first()
    )


def contracts_of_epci(epci: Epci) -> QuerySet[CityContract]:
    return (
        CityContract.objects.filter(
            Q(carrier_epci=epci) | Q(communes__epci=epci) | Q(neighbourhoods__epci=epci)
        )
        .select_related("carrier_epci", "carrier_commune")
        .distinct()
        .order_by("-generation", "code")
    )


def schemes_of_epci(epci: Epci) -> QuerySet[Scheme]:
    return (
        _published_schemes()
        .filter(Q(epcis=epci) | Q(communes__epci=epci) | Q(neighbourhoods__epci=epci))
        .distinct()
    )


def structures_of_epci(epci: Epci) -> QuerySet[HealthStructure]:
    return _structures().filter(commune__epci=epci)
