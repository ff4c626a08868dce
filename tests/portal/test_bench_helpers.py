"""The benchmarks are scripts run by `make bench`, not by the suite; their cheap parts are
checked here: wrk's figures, the API page reader and the two API baselines."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from bench_api import page_length  # noqa: E402
from benchhttp import summarise  # noqa: E402

from tests.neighbourhoods.factories import CommuneFactory, NeighbourhoodFactory  # noqa: E402


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
@pytest.mark.parametrize("resource", ["neighbourhoods", "communes"])
def test_the_floor_and_the_naive_viewset_give_the_same_page(
    client, resource, django_assert_max_num_queries
):
    for _ in range(3):
        NeighbourhoodFactory(communes=[CommuneFactory(), CommuneFactory()])

    with django_assert_max_num_queries(2):
        floor = client.get(f"/bench/floor/{resource}/?limit=2").json()
    naive = client.get(f"/bench/naive/{resource}/?limit=2").json()

    assert len(floor["results"]) == 2
    assert floor["results"] == naive["results"]
    assert floor["next"] and naive["next"]
