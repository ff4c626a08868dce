"""Constant query counts: the same number of queries for 1 row and for 100, on every
endpoint and format of the territories."""

import pytest
from django.contrib.gis.geos import Point

from neighbourhoods.models import NeighbourhoodLink
from tests.api.geo_world import square
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

pytestmark = pytest.mark.django_db


def populate(rows: int) -> None:
    """``rows`` of each resource, each with every relation its payload shows."""
    indicators = [
        IndicatorFactory(code="tp60"),
        IndicatorFactory(code="abcde", label="Demandeurs d'emploi", unit="count"),
    ]
    family = TypologyFamilyFactory()
    for n in range(rows):
        region = RegionFactory(code=f"{n:02d}", name=f"Région {n}")
        department = DepartmentFactory(code=f"{n:03d}", name=f"Département {n}", region=region)
        epci = EpciFactory()
        commune = CommuneFactory(
            insee_code=f"{59000 + n}", department=department, epci=epci, centroid=Point(3, 50)
        )
        previous = NeighbourhoodFactory(
            code=f"QP059{n:03d}", vintage=2015, epci=epci, communes=[commune]
        )
        neighbourhood = NeighbourhoodFactory(
            code=f"QN059{n:03d}",
            epci=epci,
            communes=[commune],
            contour_simplified=square(3, 50, 3.01, 50.01) if n % 2 else None,
        )
        NeighbourhoodLink.objects.create(previous=previous, current=neighbourhood, basis="name")
        for indicator in indicators:
            IndicatorValueFactory(neighbourhood=neighbourhood, indicator=indicator)
        family.memberships.create(neighbourhood=neighbourhood)
        CitizenCouncilFactory(neighbourhoods=[neighbourhood])
        CityContractFactory(carrier_epci=epci).neighbourhoods.add(neighbourhood)


# (url, queries): the counts are the same at 1 and at 100 rows.
ENDPOINTS = [
    ("/api/v1/regions/?page_size=1000", 2),
    ("/api/v1/regions/00/", 2),
    ("/api/v1/regions/?format=csv", 2),
    ("/api/v1/departments/?page_size=1000", 1),
    ("/api/v1/departments/000/", 1),
    ("/api/v1/departments/?format=xlsx", 1),
    ("/api/v1/epci/?page_size=1000", 3),
    ("/api/v1/epci/?format=csv", 3),
    ("/api/v1/communes/?page_size=1000", 2),
    ("/api/v1/communes/59000/", 2),
    ("/api/v1/communes/?format=csv", 2),
    ("/api/v1/communes/?format=geojson", 2),
    ("/api/v1/neighbourhoods/?page_size=1000", 8),
    ("/api/v1/neighbourhoods/?page_size=1000&department=000,001&q=quartier", 8),
    ("/api/v1/neighbourhoods/QN059000/", 8),
    ("/api/v1/neighbourhoods/?format=geojson", 8),
    ("/api/v1/neighbourhoods/QN059000/?format=geojson", 8),
    ("/api/v1/neighbourhoods/?format=csv", 9),  # + the indicator columns
    ("/api/v1/neighbourhoods/?format=xlsx", 9),
    ("/api/v1/neighbourhoods/deleted/", 1),
]


@pytest.mark.parametrize("rows", [1, 100])
def test_query_counts_do_not_grow_with_the_rows(client, django_assert_num_queries, rows):
    populate(rows)
    for url, queries in ENDPOINTS:
        with django_assert_num_queries(queries):
            response = client.get(url)
            assert response.status_code == 200, (url, response.content)
            if response.streaming:
                b"".join(response.streaming_content)
