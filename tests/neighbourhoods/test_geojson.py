import gzip
import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.cache import cache

from neighbourhoods.geojson import MAX_CODES, ZOOM_TIERS, contours_cache_clear, tier_for
from tests.neighbourhoods.factories import CommuneFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db

SQUARE = MultiPolygon(Polygon(((1.44, 43.6), (1.45, 43.6), (1.45, 43.61), (1.44, 43.6))), srid=4326)


# A ring whose edge zigzags with three amplitudes, each under the tolerance of some tiers only.
def _zigzag():
    points = []
    for segment, amplitude in enumerate((0.0002, 0.0006, 0.003)):
        for i in range(20):
            x = 1.40 + segment * 0.05 + i * 0.002
            points.append((x, 43.60 - (amplitude if i % 2 else 0)))
    return [*points, (1.55, 43.60), (1.55, 43.70), (1.40, 43.70), points[0]]


WIGGLY = MultiPolygon(Polygon(_zigzag()), srid=4326)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mapped():
    NeighbourhoodFactory(code="QN03101M", name="Empalot", contour=SQUARE, contour_simplified=SQUARE)
    NeighbourhoodFactory(
        geography_2015=True, code="QP031001", contour=SQUARE, contour_simplified=SQUARE
    )
    toulouse = CommuneFactory(insee_code="31555", name="Toulouse", centroid=Point(1.44, 43.6))
    blagnac = CommuneFactory(insee_code="31069", name="Blagnac", centroid=Point(1.39, 43.64))
    # No contour: placed at its first commune's centre (lowest INSEE code).
    NeighbourhoodFactory(code="QN03102M", name="Mirail", communes=[toulouse, blagnac])
    NeighbourhoodFactory(code="QN03104M", name="Sans rien")  # no contour, no centre: absent


def features(response):
    return json.loads(response.content)["features"]


def test_it_serves_the_contours_of_a_geography(client, mapped):
    response = client.get("/carte/quartiers.geojson")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    found = {f["id"]: f for f in features(response)}
    assert sorted(found) == ["QN03101M", "QN03102M"]
    empalot = found["QN03101M"]
    assert empalot["properties"]["nom"] == "Empalot"
    assert empalot["properties"]["url"] == "/quartiers/QN03101M/"
    assert empalot["geometry"]["type"] == "MultiPolygon"
    assert "approximate" not in empalot["properties"]
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]


def test_a_neighbourhood_without_contour_is_a_point_at_its_first_communes_centre(client, mapped):
    mirail = next(
        f for f in features(client.get("/carte/quartiers.geojson")) if f["id"] == "QN03102M"
    )

    assert mirail["geometry"] == {"type": "Point", "coordinates": [1.39, 43.64]}
    assert mirail["properties"]["approximate"] is True
    assert mirail["properties"]["commune"] == "Blagnac"
    assert mirail["properties"]["nom"] == "Mirail"
    assert mirail["properties"]["url"] == "/quartiers/QN03102M/"


def test_the_2015_geography_is_asked_for_explicitly(client, mapped):
    assert [f["id"] for f in features(client.get("/carte/quartiers.geojson?geographie=2015"))] == [
        "QP031001"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "geographie=1990",
        "geographie=abc",
        "zoom=-1",
        "zoom=23",
        "zoom=1e3",
        "zoom=" + "9" * 50,
        "quartiers=",
        "quartiers=QN03101M,%25%27;DROP",
        "quartiers=QN99999Z",
        "quartiers=QP031001&geographie=2024",
        "quartiers=" + ",".join(f"QN{i:06d}" for i in range(MAX_CODES + 1)),
    ],
)
def test_a_bad_query_is_a_bad_request_in_french(client, mapped, query):
    response = client.get(f"/carte/quartiers.geojson?{query}")

    assert response.status_code == 400
    text = response.content.decode()
    assert any(word in text for word in ("inconnu", "invalide", "Au plus", "vide")), text


def test_a_subset_of_codes_returns_only_them(client, mapped):
    response = client.get("/carte/quartiers.geojson?quartiers=qn03102m, QN03101M")

    assert response.status_code == 200
    assert [f["id"] for f in features(response)] == ["QN03101M", "QN03102M"]
    only = features(client.get("/carte/quartiers.geojson?quartiers=QN03102M"))
    assert [f["id"] for f in only] == ["QN03102M"]


def test_2015_codes_are_read_in_the_2015_geography(client, mapped):
    response = client.get("/carte/quartiers.geojson?quartiers=QP031001")

    assert [f["id"] for f in features(response)] == ["QP031001"]


def test_a_known_code_without_geometry_is_no_error(client, mapped):
    response = client.get("/carte/quartiers.geojson?quartiers=QN03104M")

    assert response.status_code == 200 and features(response) == []


def test_the_contours_are_simplified_more_when_zoomed_out(client):
    NeighbourhoodFactory(code="QN03105M", contour=WIGGLY)

    def vertices(zoom):
        document = client.get(f"/carte/quartiers.geojson?zoom={zoom}").json()
        return sum(
            len(ring)
            for polygon in document["features"][0]["geometry"]["coordinates"]
            for ring in polygon
        )

    assert vertices(5) < vertices(8) < vertices(11) < vertices(15)
    finest = client.get("/carte/quartiers.geojson").json()["features"][0]["geometry"]
    assert vertices(15) == len(finest["coordinates"][0][0])


def test_zoom_levels_map_to_tiers():
    assert [tier_for(z) for z in (0, 6, 7, 9, 10, 12, 13, 22, None)] == [0, 0, 1, 1, 2, 2, 3, 3, 3]
    assert len(ZOOM_TIERS) == 4


def test_it_is_gzipped_only_for_clients_that_accept_it(client, mapped):
    plain = client.get("/carte/quartiers.geojson")
    zipped = client.get("/carte/quartiers.geojson", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    refused = client.get("/carte/quartiers.geojson", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    assert "Content-Encoding" not in refused
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert zipped["ETag"] != plain["ETag"]


def test_html_pages_are_not_gzipped(client, mapped):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in response


def test_a_conditional_get_with_the_etag_answers_304(client, mapped):
    first = client.get("/carte/quartiers.geojson", HTTP_ACCEPT_ENCODING="gzip")
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")

    again = client.get(
        "/carte/quartiers.geojson", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag
    )
    other = client.get(
        "/carte/quartiers.geojson", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH='"autre"'
    )

    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert "public" in again["Cache-Control"]
    assert other.status_code == 200
    subset = client.get("/carte/quartiers.geojson?quartiers=QN03101M")
    assert subset["ETag"] != client.get("/carte/quartiers.geojson")["ETag"]


def test_the_etag_changes_after_a_contour_is_edited(
    client, mapped, django_capture_on_commit_callbacks
):
    before = client.get("/carte/quartiers.geojson")["ETag"]
    from neighbourhoods.models import Neighbourhood

    empalot = Neighbourhood.objects.get(code="QN03101M")
    empalot.contour = MultiPolygon(
        Polygon(((1.44, 43.6), (1.46, 43.6), (1.46, 43.62), (1.44, 43.6))), srid=4326
    )
    with django_capture_on_commit_callbacks(execute=True):
        empalot.save()

    after = client.get("/carte/quartiers.geojson", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before
    assert [1.46, 43.62] in next(f for f in features(after) if f["id"] == "QN03101M")["geometry"][
        "coordinates"
    ][0][0]


def test_an_admin_contour_edit_reaches_the_layer(admin_client, mapped):
    from neighbourhoods.models import Neighbourhood

    before = admin_client.get("/carte/quartiers.geojson")["ETag"]
    empalot = Neighbourhood.objects.get(code="QN03101M")
    admin_client.post(f"/admin/neighbourhoods/neighbourhood/{empalot.pk}/delete/", {"post": "yes"})

    assert not Neighbourhood.objects.filter(code="QN03101M").exists()
    assert admin_client.get("/carte/quartiers.geojson")["ETag"] != before


def test_it_is_built_in_constant_queries_then_served_from_the_cache(
    client, mapped, django_assert_num_queries
):
    with django_assert_num_queries(2):
        first = client.get("/carte/quartiers.geojson").content
    for n in range(20):
        CommuneFactory.create(centroid=Point(1.4, 43.6))
        NeighbourhoodFactory(code=f"QN032{n:02d}M", contour=SQUARE)
    contours_cache_clear()
    with django_assert_num_queries(2):
        client.get("/carte/quartiers.geojson")
    with django_assert_num_queries(0):
        cached = client.get("/carte/quartiers.geojson?quartiers=QN03101M,QN03102M&zoom=15")
        client.get("/carte/quartiers.geojson")
    assert b"QN03101M" in cached.content and b"QN03101M" in first
