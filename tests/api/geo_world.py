"""A small territory for the territories' API tests: Hauts-de-France, Nord and Pas-de-Calais,
the MEL with Lille and Roubaix, three neighbourhoods (2015, 2024 with a contour, 2024 without)."""

from dataclasses import dataclass

from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from neighbourhoods.enums import ValueStatus
from neighbourhoods.models import Commune, Department, Epci, Neighbourhood, NeighbourhoodLink
from tests.contracts.factories import CityContractFactory
from tests.neighbourhoods.factories import (
    CitizenCouncilFactory,
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    NeighbourhoodFactory,
    RegionFactory,
    TypologyFamilyFactory,
)


def square(x0, y0, x1, y1):
    return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))), srid=4326)


@dataclass
class World:
    nord: Department
    pas_de_calais: Department
    mel: Epci
    lille: Commune
    roubaix: Commune
    arras: Commune
    moulins: Neighbourhood
    moulins_2015: Neighbourhood
    roubaix_qn: Neighbourhood
    arras_qn: Neighbourhood


def build_world() -> World:
    region = RegionFactory(code="32", name="Hauts-de-France")
    nord = DepartmentFactory(code="59", name="Nord", region=region)
    pas_de_calais = DepartmentFactory(code="62", name="Pas-de-Calais", region=region)
    RegionFactory(code="11", name="Île-de-France")
    mel = EpciFactory(siren="200093201", name="Métropole Européenne de Lille", nature="METRO")
    cua = EpciFactory(name="Communauté urbaine d'Arras", nature="CU")
    lille = CommuneFactory(
        insee_code="59350", name="Lille", department=nord, epci=mel, centroid=Point(3.0573, 50.6292)
    )
    roubaix = CommuneFactory(
        insee_code="59512",
        name="Roubaix",
        department=nord,
        epci=mel,
        centroid=Point(3.1746, 50.6942),
    )
    arras = CommuneFactory(
        insee_code="62041", name="Arras", department=pas_de_calais, epci=cua, centroid=None
    )
    moulins = NeighbourhoodFactory(
        code="QN05901M",
        name="Moulins",
        epci=mel,
        communes=[lille],
        population=10_000,
        contour=square(3.06, 50.61, 3.08, 50.63),
        contour_simplified=square(3.06, 50.61, 3.08, 50.63),
    )
    moulins_2015 = NeighbourhoodFactory(
        code="QP059001",
        name="Moulins (2015)",
        vintage=2015,
        epci=mel,
        communes=[lille],
        contour=square(3.06, 50.61, 3.08, 50.63),
        contour_simplified=square(3.06, 50.61, 3.08, 50.63),
    )
    NeighbourhoodLink.objects.create(previous=moulins_2015, current=moulins, basis="contour")
    # 2024 neighbourhoods whose contour is not published yet.
    roubaix_qn = NeighbourhoodFactory(
        code="QN05902R", name="Pile – Sainte-Élisabeth", epci=mel, communes=[roubaix]
    )
    arras_qn = NeighbourhoodFactory(code="QN06201A", name="Arras Ouest", epci=cua, communes=[arras])

    poverty = IndicatorFactory(
        code="tp60", label="Taux de pauvreté au seuil de 60 %", unit="percent"
    )
    jobless = IndicatorFactory(
        code="abcde", label="Demandeurs d'emploi (catégories A à E)", unit="count"
    )
    women = IndicatorFactory(
        code="tx_f", label="Part des femmes dans la population", unit="percent"
    )
    IndicatorValueFactory(neighbourhood=moulins, indicator=poverty, year=2017, value=45.5)
    IndicatorValueFactory(
        neighbourhood=moulins, indicator=jobless, year=2020, value=None, status=ValueStatus.SECRET
    )
    IndicatorValueFactory(
        neighbourhood=moulins, indicator=women, year=2015, value=None, status=ValueStatus.MISSING
    )
    family = TypologyFamilyFactory(
        code="violet", label="Métropole lilloise, jeunes actifs", colour="#7b2cbf"
    )
    family.memberships.create(neighbourhood=moulins)
    CitizenCouncilFactory(
        name="Conseil citoyen de Moulins",
        neighbourhoods=[moulins],
        residents_members=12,
        public_email="cc-moulins@example.org",
    )
    contract = CityContractFactory(
        code="CN00059", name="Contrat de ville de la MEL", carrier_epci=mel
    )
    contract.neighbourhoods.add(moulins)
    return World(
        nord, pas_de_calais, mel, lille, roubaix, arras, moulins, moulins_2015, roubaix_qn, arras_qn
    )
