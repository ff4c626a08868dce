"""The health structures and organisations resources of the API, and the catalog's OpenAPI
documentation."""

import json

import pytest

from devices.models import HealthStructure, Organisation
from tests.api.catalog_world import (  # noqa: F401 (fixtures)
    UNPUBLISHED_MARKER,
    assert_no_secret,
    body_of,
    no_throttling,
    ogr_summary,
    world_fixture,
)
from tests.devices.factories import HealthStructureFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

STRUCTURES = "/api/v1/health-structures/"
ORGANISATIONS = "/api/v1/organisations/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# Health structures ---------------------------------------------------------------------------


def test_structures_are_the_published_ones_with_their_place(client, world):
    response = client.get(STRUCTURES)

    assert names(response) == ["MSP de Roubaix", "PASS de Bordeaux"]
    assert_no_secret(response.content)
    msp = client.get(f"{STRUCTURES}{world.msp.uid}/").json()
    assert msp["commune"] == {
        "code": "59512",
        "name": "Roubaix",
        "url": "http://testserver/api/v1/communes/59512/",
    }
    assert msp["location"] == {"lon": 3.17, "lat": 50.69}
    assert [c["code"] for c in msp["communes_served"]] == ["59350"]
    assert msp["carrier"]["name"] == "Ville de Lille"
    assert "id" not in msp
    assert client.get(f"{STRUCTURES}{world.pass_.uid}/").json()["consultation_every_days"] == 14


def test_an_unpublished_structure_is_a_french_404(client, world):
    hidden = HealthStructure.objects.get(is_published=False)

    response = client.get(f"{STRUCTURES}{hidden.uid}/")

    assert response.status_code == 404
    assert "Aucune structure publiée" in response.json()["detail"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=pass", ["PASS de Bordeaux"]),
        ("region=75", ["PASS de Bordeaux"]),
        ("department=59", ["MSP de Roubaix"]),
        ("commune=59350", ["MSP de Roubaix"]),  # serves Lille
        ("commune=59512", ["MSP de Roubaix"]),  # stands in Roubaix
        ("neighbourhood=QN05971M", ["MSP de Roubaix"]),  # Moulins is in Lille, which it serves
        ("q=bordeaux", ["PASS de Bordeaux"]),
        ("ordering=-name", ["PASS de Bordeaux", "MSP de Roubaix"]),
    ],
)
def test_structure_filters(client, world, query, expected):
    assert names(client.get(f"{STRUCTURES}?{query}")) == expected


@pytest.mark.parametrize("query", ["kind=hopital", "commune=59350,,'", "ordering=doctors"])
def test_bad_structure_filters_are_400s(client, world, query):
    assert client.get(f"{STRUCTURES}?{query}").status_code == 400


def test_structures_geojson_reads_back_with_ogr(client, world):
    document = body_of(client.get(f"{STRUCTURES}?format=geojson"))

    summary = ogr_summary(document)
    assert "Feature Count: 2" in summary
    assert "Geometry: Point" in summary
    assert "commune_code" in summary  # properties are the CSV's columns, flat
    features = {f["properties"]["name"]: f for f in json.loads(document)["features"]}
    assert features["MSP de Roubaix"]["geometry"]["coordinates"] == [3.17, 50.69]
    assert "Feature Count: 1" in ogr_summary(
        body_of(client.get(f"{STRUCTURES}?format=geojson&kind=msp"))
    )


def test_structures_csv(client, world):
    text = body_of(client.get(f"{STRUCTURES}?format=csv")).decode("utf-8")

    assert text.startswith("\ufeffIdentifiant (uid);Type;Nom")
    assert ";3,17;50,69;" in text  # French decimals
    assert len(text.strip().splitlines()) == 3


def test_a_withdrawn_structure_leaves_a_tombstone(client, world, time_machine):
    time_machine.move_to("2031-01-01T10:00:00Z")
    world.pass_.is_published = False
    world.pass_.save()

    feed = client.get(f"{STRUCTURES}deleted/?since=2031-01-01").json()

    assert [row["code"] for row in feed["results"]] == [str(world.pass_.uid)]


@pytest.mark.parametrize("rows", [1, 100])
def test_structure_query_counts_are_constant(client, world, django_assert_num_queries, rows):
    HealthStructure.objects.exclude(pk=world.msp.pk).delete()
    for n in range(rows - 1):
        structure = HealthStructureFactory(name=f"MSP {n}", commune=world.lille)
        structure.communes_served.add(world.roubaix)
    # The structures (with carrier and commune), then the communes served.
    for url in (f"{STRUCTURES}?page_size=1000", f"{STRUCTURES}{world.msp.uid}/"):
        with django_assert_num_queries(2):
            assert client.get(url).status_code == 200
    for export in ("csv", "geojson"):
        with django_assert_num_queries(2):
            body_of(client.get(f"{STRUCTURES}?format={export}"))


# Organisations -------------------------------------------------------------------------------


def test_organisations_are_those_published_content_names(client, world):
    response = client.get(ORGANISATIONS)

    assert names(response) == [
        "ARS Hauts-de-France",  # funder, signatory, governance member
        "CCAS de Lille",  # employer of a post, carrier of the mediation
        "Ville de Lille",  # carrier of schemes and of a structure
    ]
    assert_no_secret(response.content)


def test_an_organisation_is_read_by_its_siren_else_its_uid(client, world):
    ars = client.get(f"{ORGANISATIONS}130007891/").json()
    assert (ars["code"], ars["siren"], ars["kind"]) == ("130007891", "130007891", "ars")
    assert ars["url"] == "http://testserver/api/v1/organisations/130007891/"

    city = world.extras["city"]
    body = client.get(f"{ORGANISATIONS}{city.uid}/").json()
    assert body["code"] == str(city.uid)
    assert body["commune"]["code"] == "59350"


def test_a_shared_siren_leads_to_the_head_organisation(client, world):
    ars = world.extras["ars"]
    delegation = OrganisationFactory(
        name="ARS – DT du Nord", kind="ars_delegation", siren="130007891", parent=ars
    )
    world.cls.signatories.create(organisation=delegation, role="ars")

    assert client.get(f"{ORGANISATIONS}130007891/").json()["name"] == "ARS Hauts-de-France"
    assert client.get(f"{ORGANISATIONS}{delegation.uid}/").json()["name"] == "ARS – DT du Nord"


@pytest.mark.parametrize("code", ["000000000", "abc", "12345678-1234-1234-1234-123456789012"])
def test_unknown_or_unpublished_organisations_are_french_404s(client, world, code):
    response = client.get(f"{ORGANISATIONS}{code}/")

    assert response.status_code == 404
    assert "Aucune organisation publiée" in response.json()["detail"]


def test_an_organisation_named_only_by_unpublished_content_is_hidden(client, world):
    hidden = world.extras["hidden_partner"]

    assert client.get(f"{ORGANISATIONS}{hidden.uid}/").status_code == 404
    world.draft_scheme.is_published = True
    world.draft_scheme.save()
    assert client.get(f"{ORGANISATIONS}{hidden.uid}/").status_code == 200


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=ccas", ["CCAS de Lille"]),
        ("siren=130007891", ["ARS Hauts-de-France"]),
        ("commune=59350", ["Ville de Lille"]),
        ("q=lille", ["CCAS de Lille", "Ville de Lille"]),
    ],
)
def test_organisation_filters(client, world, query, expected):
    assert names(client.get(f"{ORGANISATIONS}?{query}")) == expected


def test_a_deleted_organisation_leaves_a_tombstone_with_its_code(client, world, time_machine):
    time_machine.move_to("2031-01-01T10:00:00Z")
    unused = OrganisationFactory(name="Ancien partenaire", siren="130007883")
    unused.delete()

    feed = client.get(f"{ORGANISATIONS}deleted/?since=2031-01-01").json()

    assert [row["code"] for row in feed["results"]] == ["130007883"]


@pytest.mark.parametrize("rows", [1, 100])
def test_organisation_query_counts_are_constant(client, world, django_assert_num_queries, rows):
    for n in range(rows):
        world.cls.signatories.create(
            organisation=OrganisationFactory(name=f"Partenaire {n}", commune=world.lille),
            role="other",
        )
    assert Organisation.objects.count() >= rows
    with django_assert_num_queries(1):
        assert client.get(f"{ORGANISATIONS}?page_size=1000").status_code == 200
    with django_assert_num_queries(1):
        body_of(client.get(f"{ORGANISATIONS}?format=csv"))
    with django_assert_num_queries(1):
        assert client.get(f"{ORGANISATIONS}130007891/").status_code == 200


# Documentation -------------------------------------------------------------------------------


def test_every_catalog_filter_is_documented_in_french(client, db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (STRUCTURES, ORGANISATIONS, "/api/v1/schemes/", "/api/v1/contracts/"):
        parameters = schema["paths"][path]["get"]["parameters"]
        documented = {p["name"]: p.get("description", "") for p in parameters}
        for name in ("region", "department", "epci", "commune", "neighbourhood", "updated_since"):
            assert documented[name], (path, name)
        assert "Code INSEE de la région" in documented["region"]
    schemes = {
        p["name"]: p.get("description", "")
        for p in schema["paths"]["/api/v1/schemes/"]["get"]["parameters"]
    }
    for name in ("kind", "status", "stage", "thematic", "carrier", "q", "ordering"):
        assert schemes[name], name
    assert UNPUBLISHED_MARKER not in json.dumps(schema)
