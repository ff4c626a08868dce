"""The territories' resources: payloads with codes and URLs, filters, search, ordering."""

import pytest

from tests.api.geo_world import build_world
from tests.api.problems import problem

pytestmark = pytest.mark.django_db

API = "http://testserver/api/v1"


@pytest.fixture
def world():
    return build_world()


def codes(response):
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_a_neighbourhood_has_its_indicators_family_council_links_and_references(client, world):
    body = client.get("/api/v1/neighbourhoods/QN05901M/").json()

    assert body["code"] == "QN05901M"
    assert body["url"] == f"{API}/neighbourhoods/QN05901M/"
    assert body["geography"] == 2024
    assert body["has_contour"] is True
    assert body["epci"] == {
        "code": "200093201",
        "name": "Métropole Européenne de Lille",
        "url": f"{API}/epci/200093201/",
    }
    assert body["communes"] == [{"code": "59350", "name": "Lille", "url": f"{API}/communes/59350/"}]
    assert body["predecessors"] == [
        {"code": "QP059001", "name": "Moulins (2015)", "url": f"{API}/neighbourhoods/QP059001/"}
    ]
    assert body["successors"] == []
    assert [c["code"] for c in body["contracts"]] == ["CN00059"]
    assert body["families"][0]["code"] == "violet"
    assert body["families"][0]["colour"] == "#7b2cbf"
    assert body["citizen_council"]["name"] == "Conseil citoyen de Moulins"
    assert body["citizen_council"]["public_email"] == "cc-moulins@example.org"
    assert "notes" not in body["citizen_council"]
    indicators = {item["code"]: item for item in body["indicators"]}
    assert indicators["tp60"]["value"] == 45.5
    assert indicators["tp60"]["unit"] == "percent"
    assert indicators["tp60"]["secret"] is False
    # A secret value is not a zero: null, flagged secret.
    assert indicators["abcde"]["value"] is None
    assert indicators["abcde"]["secret"] is True
    assert indicators["tx_f"] | {} == indicators["tx_f"]
    assert indicators["tx_f"]["value"] is None
    assert indicators["tx_f"]["secret"] is False
    assert indicators["tx_f"]["status"] == "missing"
    # Never an internal id, anywhere.
    assert '"id"' not in client.get("/api/v1/neighbourhoods/QN05901M/").content.decode()


def test_the_2015_neighbourhood_links_its_successor(client, world):
    body = client.get("/api/v1/neighbourhoods/QP059001/").json()
    assert [n["code"] for n in body["successors"]] == ["QN05901M"]
    assert body["citizen_council"] is None


def test_a_commune_has_its_department_region_epci_centre_and_neighbourhoods(client, world):
    body = client.get("/api/v1/communes/59350/").json()
    assert body["code"] == "59350"
    assert body["url"] == f"{API}/communes/59350/"
    assert body["department"]["url"] == f"{API}/departments/59/"
    assert body["region"] == {"code": "32", "name": "Hauts-de-France", "url": f"{API}/regions/32/"}
    assert body["epci"]["code"] == "200093201"
    assert body["centroid"] == {"lon": 3.0573, "lat": 50.6292}
    assert [n["code"] for n in body["neighbourhoods"]] == ["QN05901M", "QP059001"]
    assert client.get("/api/v1/communes/62041/").json()["centroid"] is None


def test_an_epci_is_named_by_its_siren(client, world):
    body = client.get("/api/v1/epci/200093201/").json()
    assert body["code"] == "200093201"
    assert body["nature_label"] == "Métropole"
    assert [c["code"] for c in body["communes"]] == ["59350", "59512"]
    assert [n["code"] for n in body["neighbourhoods"]] == ["QN05901M", "QN05902R", "QP059001"]


def test_a_department_links_its_region(client, world):
    body = client.get("/api/v1/departments/62/").json()
    assert body["region"]["url"] == f"{API}/regions/32/"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("department=59", ["QN05901M", "QN05902R", "QP059001"]),
        ("department=62", ["QN06201A"]),
        ("department=59,62&geography=2024", ["QN05901M", "QN05902R", "QN06201A"]),
        ("region=32&geography=2015", ["QP059001"]),
        ("region=11", []),
        ("epci=200093201&geography=2024", ["QN05901M", "QN05902R"]),
        ("commune=59512", ["QN05902R"]),
        ("code=QN05901M,qn06201a", ["QN05901M", "QN06201A"]),
        ("q=moulins", ["QN05901M", "QP059001"]),
        ("q=pile sainte", ["QN05902R"]),
        ("q=pile arras", []),
        ("q=ELISABETH", ["QN05902R"]),  # case and accents folded: « Élisabeth »
        ("q=qn05902r", ["QN05902R"]),
        ("family=violet", ["QN05901M"]),
        ("kind=qpv&geography=2015", ["QP059001"]),
        ("ordering=-code&geography=2024", ["QN06201A", "QN05902R", "QN05901M"]),
        ("ordering=name&department=59", ["QN05901M", "QP059001", "QN05902R"]),
    ],
)
def test_neighbourhood_filters(client, world, query, expected):
    assert codes(client.get(f"/api/v1/neighbourhoods/?{query}")) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("department=62", ["62041"]),
        ("epci=200093201", ["59350", "59512"]),
        ("neighbourhood=QN05902R", ["59512"]),
        ("geography=2015", ["59350"]),
        ("region=32&q=roubaix", ["59512"]),
        ("q=metropole europeenne", []),  # names only, not the EPCI's
        ("commune=59350,62041", ["59350", "62041"]),
        ("ordering=-name", ["59512", "59350", "62041"]),
    ],
)
def test_commune_filters(client, world, query, expected):
    assert codes(client.get(f"/api/v1/communes/?{query}")) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("department=62", 1),
        ("commune=59350", 1),
        ("nature=METRO", 1),
        ("nature=CU&nature=METRO", 2),
        ("region=11", 0),
    ],
)
def test_epci_filters(client, world, query, expected):
    assert len(codes(client.get(f"/api/v1/epci/?{query}"))) == expected


def test_department_filter_by_region(client, world):
    assert codes(client.get("/api/v1/departments/?region=32")) == ["59", "62"]
    assert codes(client.get("/api/v1/departments/?region=11")) == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/neighbourhoods/QN99999Z/",
        "/api/v1/communes/00000/",
        "/api/v1/epci/123/",
        "/api/v1/departments/zz/",
        "/api/v1/regions/%C3%A9%00/",
        "/api/v1/neighbourhoods/QN99999Z/?format=geojson",
        "/api/v1/communes/00000/?format=csv",
    ],
)
def test_unknown_codes_are_french_404s(client, world, url):
    response = client.get(url)
    detail = problem(response, 404)["detail"]
    assert "code" in detail or "SIREN" in detail


@pytest.mark.parametrize(
    "query",
    [
        "geography=2020",
        "department=59;DROP TABLE",
        "department=" + ",".join(["59"] * 101),
        "kind=castle",
        "page_size=99999999999999999999",
        "page_size=-1",
        "ordering=contour",
        "updated_since=2026-02-30",
        "updated_since=%00",
        "cursor=%C3%A9",
        "nature=XX",
    ],
)
def test_garbage_parameters_are_400s_never_500s(client, world, query):
    resource = "epci" if query.startswith("nature") else "neighbourhoods"
    response = client.get(f"/api/v1/{resource}/?{query}")
    assert response.status_code == 400, response.content
    assert response.json()


def test_cursor_pages_of_neighbourhoods_have_no_duplicates_nor_gaps(client, world):
    for ordering in ("code", "-name", "updated_at"):
        seen, url = [], f"/api/v1/neighbourhoods/?page_size=1&ordering={ordering}"
        while url:
            body = client.get(url).json()
            seen += [row["code"] for row in body["results"]]
            url = body["next"]
        assert sorted(seen) == ["QN05901M", "QN05902R", "QN06201A", "QP059001"], ordering
        assert len(seen) == 4


def test_every_filter_has_a_french_help_text_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    expected = {
        "/api/v1/regions/": {"updated_since", "q", "ordering", "cursor", "page_size"},
        "/api/v1/departments/": {"region", "updated_since", "q", "ordering"},
        "/api/v1/epci/": {"region", "department", "commune", "nature", "updated_since"},
        "/api/v1/communes/": {
            "region",
            "department",
            "epci",
            "commune",
            "neighbourhood",
            "geography",
            "kind",
            "updated_since",
        },
        "/api/v1/neighbourhoods/": {
            "region",
            "department",
            "epci",
            "commune",
            "code",
            "geography",
            "kind",
            "in_renewal_programme",
            "family",
            "updated_since",
            "q",
            "ordering",
        },
    }
    for path, names in expected.items():
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert names <= set(parameters), path
        for parameter in parameters.values():
            description = parameter.get("description", "")
            if parameter["name"] == "format":
                continue
            assert len(description) > 15, (path, parameter["name"])
    deleted = schema["paths"]["/api/v1/communes/deleted/"]["get"]
    assert "Suppressions" in deleted["summary"]
    assert {p["name"] for p in deleted["parameters"]} >= {"since"}
    geojson = schema["paths"]["/api/v1/neighbourhoods/"]["get"]["responses"]["200"]["content"]
    assert geojson["application/geo+json"]["schema"]["properties"]["type"]["enum"] == [
        "FeatureCollection"
    ]
    assert geojson["text/csv"]["schema"]["format"] == "binary"
    locate = schema["paths"]["/api/v1/neighbourhoods/locate/"]
    assert {"get", "post"} <= set(locate)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/",
        "/api/v1/communes/59350/",
        "/api/v1/neighbourhoods/",
        "/api/v1/neighbourhoods/locate/",
        "/api/v1/neighbourhoods/deleted/",
        "/api/v1/epci/?format=csv",
    ],
)
def test_head_and_options_answer_without_error(client, world, url):
    assert client.head(url).status_code < 500
    assert client.options(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/neighbourhoods/deleted/?format=csv",
        "/api/v1/neighbourhoods/locate/?lon=3&lat=50&format=xlsx",
        "/api/v1/regions/?format=pdf",
    ],
)
def test_formats_a_route_does_not_offer_are_404s(client, world, url):
    assert client.get(url).status_code == 404


def test_writes_are_refused_on_read_resources(client, world):
    assert client.post("/api/v1/communes/", {}).status_code in (401, 403, 405)
    assert client.delete("/api/v1/communes/59350/").status_code in (401, 403, 405)


def test_hand_built_rows_have_exactly_the_declared_fields(client, world):
    """Communes and neighbourhoods build their rows by hand for speed: the keys must stay those
    the serializer declares to the OpenAPI schema."""
    from neighbourhoods.serializers import (
        CitizenCouncilSerializer,
        CommuneSerializer,
        FamilySerializer,
        IndicatorValueSerializer,
        NeighbourhoodSerializer,
    )

    commune = client.get("/api/v1/communes/59350/").json()
    assert list(commune) == list(CommuneSerializer().fields)
    body = client.get("/api/v1/neighbourhoods/QN05901M/").json()
    assert list(body) == list(NeighbourhoodSerializer().fields)
    assert list(body["indicators"][0]) == list(IndicatorValueSerializer().fields)
    assert list(body["families"][0]) == list(FamilySerializer().fields)
    assert list(body["citizen_council"]) == list(CitizenCouncilSerializer().fields)
