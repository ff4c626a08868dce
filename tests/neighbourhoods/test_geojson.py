import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from neighbourhoods.geojson import contours_cache_clear
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

SQUARE = MultiPolygon(Polygon(((1.44, 43.6), (1.45, 43.6), (1.45, 43.61), (1.44, 43.6))), srid=4326)


@pytest.fixture
def mapped():
    NeighbourhoodFactory(code="QN03101M", name="Empalot", contour=SQUARE, contour_simplified=SQUARE)
    NeighbourhoodFactory(
        geography_2015=True, code="QP031001", contour=SQUARE, contour_simplified=SQUARE
    )
    NeighbourhoodFactory(code="QN03102M")  # no contour: not on the map


def test_it_serves_the_simplified_contours_of_a_geography(client, mapped):
    response = client.get("/carte/quartiers.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(response.content)
    assert [f["properties"]["code"] for f in document["features"]] == ["QN03101M"]
    assert document["features"][0]["properties"]["nom"] == "Empalot"
    assert document["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert "max-age=3600" in response["Cache-Control"]


def test_the_2015_geography_is_asked_for_explicitly(client, mapped):
    document = client.get("/carte/quartiers.geojson?geographie=2015").json()

    assert [f["id"] for f in document["features"]] == ["QP031001"]


def test_an_unknown_geography_is_a_bad_request(client):
    assert client.get("/carte/quartiers.geojson?geographie=1990").status_code == 400


def test_it_is_built_once_then_served_from_the_cache(client, mapped, django_assert_num_queries):
    first = client.get("/carte/quartiers.geojson").content
    NeighbourhoodFactory(code="QN03103M", contour=SQUARE, contour_simplified=SQUARE)

    with django_assert_num_queries(0):
        cached = client.get("/carte/quartiers.geojson").content

    assert cached == first
    contours_cache_clear()
    assert b"QN03103M" in client.get("/carte/quartiers.geojson").content
