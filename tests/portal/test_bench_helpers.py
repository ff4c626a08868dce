"""The benchmarks are scripts run by `make bench`, not by the suite; their cheap parts are
checked here: wrk's figures, the API page reader and the two API baselines (the same results as
the API's lists, the floor in a constant number of queries)."""

import datetime
import sys
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from bench_api import page_length  # noqa: E402
from benchhttp import summarise  # noqa: E402

from neighbourhoods.enums import CommuneKind, ValueStatus  # noqa: E402
from neighbourhoods.models import NeighbourhoodLink  # noqa: E402
from tests.api.geo_world import build_world  # noqa: E402
from tests.contracts.factories import CityContractFactory  # noqa: E402
from tests.neighbourhoods.factories import (  # noqa: E402
    CitizenCouncilFactory,
    CommuneFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    NeighbourhoodFactory,
    TypologyFactory,
    TypologyFamilyFactory,
)


@pytest.fixture(autouse=True)
def api_cache(settings):
    """A fresh in-memory cache (as in tests/api/conftest.py): the API's anonymous throttle
    never counts another test's requests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"bench-test-{id(settings)}",
        }
    }
    from django.core.cache import cache

    cache.clear()


def test_wrk_figures_are_read_in_milliseconds_and_requests_per_second():
    raw = {
        "requests": 3000,
        "duration_us": 30_000_000,
        "bytes": 1,
        "p50_us": 12_345,
        "p95_us": 150_000,
        "p99_us": 190_000,
        "max_us": 1_000_000,
        "mean_us": 20_000.0,
        "connect": 1,
        "read": 0,
        "write": 0,
        "status": 2,
        "timeout": 3,
    }

    figures = summarise(raw)

    assert figures["requests_per_s"] == 100.0
    assert (figures["p50_ms"], figures["p95_ms"], figures["max_ms"]) == (12.3, 150.0, 1000.0)
    assert figures["errors"] == 6
    assert figures["errors_detail"]["status_not_2xx_3xx"] == 2


@pytest.mark.parametrize(
    ("body", "length"),
    [
        (b'{"next": null, "results": [{}, {}]}', 2),
        (b'{"type": "FeatureCollection", "features": [{}]}', 1),
        (b'{"results": {"type": "FeatureCollection", "features": [{}, {}, {}]}}', 3),
        (b"[1, 2]", 2),
        (b"<html>", None),
        (b'{"detail": "Non trouv\\u00e9."}', None),
    ],
)
def test_the_first_page_of_any_list_shape_is_counted(body, length):
    assert page_length(body) == length


@pytest.mark.django_db
@pytest.mark.urls("bench_urls")
@pytest.mark.parametrize(("resource", "floor_queries"), [("neighbourhoods", 8), ("communes", 2)])
def test_the_floor_and_the_naive_viewset_give_the_same_page(
    client, resource, floor_queries, django_assert_max_num_queries
):
    for _ in range(3):
        NeighbourhoodFactory(communes=[CommuneFactory(), CommuneFactory()])

    with django_assert_max_num_queries(floor_queries):
        floor = client.get(f"/bench/floor/{resource}/?limit=2").json()
    naive = client.get(f"/bench/naive/{resource}/?limit=2").json()

    assert len(floor["results"]) == 2
    assert floor["results"] == naive["results"]
    assert floor["next"] and naive["next"]


def full_world():
    """geo_world's territory, with every nested list of the first rows filled, several items
    where an order shows: Moulins in two communes, two contracts, two families, two years of one
    indicator; a second 2015 neighbourhood taken over by Roubaix's; an arrondissement."""
    world = build_world()
    world.moulins.communes.add(world.roubaix)
    CityContractFactory(code="CN00001", name="Contrat de ville de Lille").neighbourhoods.add(
        world.moulins, world.roubaix_qn
    )
    other_typology = TypologyFactory(code="anct-2024", name="Typologie ANCT 2024")
    TypologyFamilyFactory(typology=other_typology, code="b").memberships.create(
        neighbourhood=world.moulins
    )
    TypologyFamilyFactory(code="rouge").memberships.create(neighbourhood=world.roubaix_qn)
    IndicatorValueFactory(
        neighbourhood=world.moulins, indicator=IndicatorFactory(code="tp60"), year=2019, value=41.25
    )
    IndicatorValueFactory(
        neighbourhood=world.roubaix_qn, indicator=IndicatorFactory(code="tp60"), year=2019
    )
    CitizenCouncilFactory(
        name="Conseil citoyen de Roubaix",
        neighbourhoods=[world.roubaix_qn],
        created_on=datetime.date(2015, 6, 1),
        local_actors_members=7,
        website="https://cc-roubaix.example.org",
    )
    pile_2015 = NeighbourhoodFactory(
        code="QP059002", name="Pile (2015)", vintage=2015, epci=None, communes=[world.roubaix]
    )
    NeighbourhoodLink.objects.create(previous=pile_2015, current=world.roubaix_qn, basis="contour")
    NeighbourhoodLink.objects.create(previous=pile_2015, current=world.moulins, basis="contour")
    CommuneFactory(
        insee_code="59351",
        name="Lille-Hellemmes",
        kind=CommuneKind.ARRONDISSEMENT,
        parent=world.lille,
        department=world.nord,
        epci=None,
        centroid=Point(3.1089, 50.6261),
    )
    return world


def get_results(client, url):
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


@pytest.mark.django_db
@pytest.mark.urls("bench_urls")
@pytest.mark.parametrize(
    ("resource", "size", "floor_queries"), [("neighbourhoods", 5, 8), ("communes", 4, 2)]
)
def test_the_baselines_give_the_apis_results(
    client, resource, size, floor_queries, django_assert_num_queries
):
    full_world()

    api = get_results(client, f"/api/v1/{resource}/?page_size={size}")
    # The same number of queries for one row as for the whole page.
    with django_assert_num_queries(floor_queries):
        get_results(client, f"/bench/floor/{resource}/?limit=1")
    with django_assert_num_queries(floor_queries):
        floor = get_results(client, f"/bench/floor/{resource}/?limit={size}")
    naive = get_results(client, f"/bench/naive/{resource}/?limit={size}")

    assert len(api) == size
    assert floor == api
    assert [list(row) for row in floor] == [list(row) for row in api]  # the keys' order
    assert naive == api
    assert [list(row) for row in naive] == [list(row) for row in api]


@pytest.mark.django_db
@pytest.mark.urls("bench_urls")
def test_the_worlds_first_rows_fill_every_nested_list(client):
    """The equality above means something only if the compared rows are not empty."""
    full_world()

    neighbourhoods = get_results(client, "/api/v1/neighbourhoods/?page_size=5")
    communes = get_results(client, "/api/v1/communes/?page_size=4")

    nested = ["communes", "predecessors", "contracts", "families", "indicators"]
    for row in neighbourhoods[:2]:
        assert all(row[key] for key in nested), row["code"]
        assert row["citizen_council"] and row["epci"]
    assert [n["code"] for n in neighbourhoods[0]["predecessors"]] == ["QP059001", "QP059002"]
    assert [i["year"] for i in neighbourhoods[0]["indicators"] if i["code"] == "tp60"] == [
        2019,
        2017,
    ]
    assert [f["typology"] for f in neighbourhoods[0]["families"]] == [
        "anct-2024",
        "insee-hdf-2016",
    ]
    assert any(row["successors"] for row in neighbourhoods)
    assert any(i["status"] == ValueStatus.SECRET for i in neighbourhoods[0]["indicators"])
    assert communes[1]["parent"]["code"] == "59350" and communes[1]["kind"] == "ARM"
    assert communes[0]["centroid"] and communes[0]["neighbourhoods"]
