"""A few territories for the public pages' browser tests: two neighbourhoods with contours, one
placed at its commune's centre, a published contract."""

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.cache import cache

from tests.contracts.factories import CityContractFactory, HealthSectionFactory
from tests.neighbourhoods.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    NeighbourhoodFactory,
)

# Large enough that the centre of the map, fitted to it, falls inside.
LILLE_SUD = MultiPolygon(
    Polygon(((3.0, 50.58), (3.1, 50.58), (3.1, 50.64), (3.0, 50.64), (3.0, 50.58))), srid=4326
)
FAUBOURG = MultiPolygon(
    Polygon(((3.2, 50.68), (3.22, 50.68), (3.22, 50.7), (3.2, 50.7), (3.2, 50.68))), srid=4326
)


def build_public_world():
    cache.clear()
    nord = DepartmentFactory(code="59", name="Nord")
    mel = EpciFactory(siren="200093201", name="Métropole Européenne de Lille", nature="METRO")
    lille = CommuneFactory(
        insee_code="59350", name="Lille", department=nord, epci=mel, centroid=Point(3.05, 50.63)
    )
    roubaix = CommuneFactory(
        insee_code="59512", name="Roubaix", department=nord, epci=mel, centroid=Point(3.17, 50.69)
    )
    NeighbourhoodFactory(
        code="QN05901M", name="Lille Sud", epci=mel, communes=[lille], contour=LILLE_SUD
    )
    NeighbourhoodFactory(
        code="QN05902M", name="Faubourg", epci=mel, communes=[roubaix], contour=FAUBOURG
    )
    NeighbourhoodFactory(code="QN05903M", name="Épeule", epci=mel, communes=[roubaix])
    contract = CityContractFactory(
        code="CN05901M", name="Métropole Européenne de Lille", carrier_epci=mel, department=nord
    )
    HealthSectionFactory(contract=contract, is_published=True)
