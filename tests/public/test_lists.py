"""The neighbourhoods and contracts lists: filters, sorting, pagination, bad input, queries."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from neighbourhoods.models import Commune
from tests.contracts.factories import CityContractFactory, HealthSectionFactory
from tests.neighbourhoods.factories import (
    CommuneFactory,
    DepartmentFactory,
    EpciFactory,
    NeighbourhoodFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db

SQUARE = MultiPolygon(Polygon(((1.44, 43.6), (1.45, 43.6), (1.45, 43.61), (1.44, 43.6))), srid=4326)


@pytest.fixture
def world():
    occitanie = RegionFactory(code="76", name="Occitanie")
    haute_garonne = DepartmentFactory(code="31", name="Haute-Garonne", region=occitanie)
    nord = DepartmentFactory(code="59", name="Nord")
    toulouse_metropole = EpciFactory(siren="243100518", name="Toulouse Métropole")
    mel = EpciFactory(siren="200093201", name="Métropole Européenne de Lille")
    toulouse = CommuneFactory(
        insee_code="31555", name="Toulouse", department=haute_garonne, epci=toulouse_metropole
    )
    lille = CommuneFactory(insee_code="59350", name="Lille", department=nord, epci=mel)
    NeighbourhoodFactory(code="QN03101M", name="Empalot", communes=[toulouse], contour=SQUARE)
    NeighbourhoodFactory(code="QN05901M", name="Lille Sud", communes=[lille], epci=mel)
    NeighbourhoodFactory(geography_2015=True, code="QP059001", name="Ancien", communes=[lille])
    contract = CityContractFactory(code="CN05901M", name="MEL", department=nord)
    HealthSectionFactory(contract=contract, is_published=True)
    CityContractFactory(code="CN03101M", name="Toulouse", department=haute_garonne)
    CityContractFactory(
        code="CV059", name="Ancien contrat", generation="2015-2023", department=nord
    )


def rows(response, marker):
    html = response.content.decode()
    return [code for code in marker if f">{code}</a></td>" in html]


ALL_N = ("QN03101M", "QN05901M", "QP059001")
ALL_C = ("CN05901M", "CN03101M", "CV059")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_N),
        ("region=76", ("QN03101M",)),
        ("departement=59", ("QN05901M", "QP059001")),
        ("epci=200093201", ("QN05901M", "QP059001")),
        ("commune=31555", ("QN03101M",)),
        ("geographie=2015", ("QP059001",)),
        ("geographie=2024&departement=59", ("QN05901M",)),
        ("contour=avec", ("QN03101M",)),
        ("contour=sans&geographie=2024", ("QN05901M",)),
    ],
)
def test_the_neighbourhood_list_filters(client, world, query, expected):
    response = client.get(f"/quartiers/?{query}")

    assert response.status_code == 200
    assert rows(response, ALL_N) == list(expected)
    assert 'href="/quartiers/QN' in response.content.decode() or expected == ("QP059001",)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=99", "Sélectionnez un choix valide"),
        ("geographie=1990", "Sélectionnez un choix valide"),
        ("epci=123", "SIREN &#x27;123&#x27; invalide"),
        ("commune=%25%00", "code INSEE"),
        ("contour=peut-etre", "Sélectionnez un choix valide"),
    ],
)
def test_a_bad_filter_is_a_french_form_error(client, world, query, message):
    response = client.get(f"/quartiers/?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains filtres sont invalides" in html
    assert message in html
    assert rows(response, ALL_N) == []


def test_the_neighbourhood_list_sorts_and_keeps_filters_in_its_links(client, world):
    by_name = client.get("/quartiers/?tri=nom")
    descending = client.get("/quartiers/?tri=-nom&geographie=2024")

    assert rows(by_name, ALL_N) == ["QN03101M", "QN05901M", "QP059001"]  # order of the marker
    html = by_name.content.decode()
    assert html.index(">QP059001<") < html.index(">QN03101M<") < html.index(">QN05901M<")
    html = descending.content.decode()
    assert html.index(">QN05901M<") < html.index(">QN03101M<")
    assert 'aria-sort="descending"' in html
    assert "?tri=nom&amp;geographie=2024" in html or "?geographie=2024&amp;tri=nom" in html
    assert client.get("/quartiers/?tri=%27drop").status_code == 200


def test_the_list_is_paginated_with_the_dsfr_pagination(client, world):
    lille = Commune.objects.get(insee_code="59350")
    for n in range(60):
        NeighbourhoodFactory(code=f"QN062{n:02d}A", communes=[lille])

    first = client.get("/quartiers/?geographie=2024").content.decode()
    last = client.get("/quartiers/?geographie=2024&page=999")
    garbage = client.get("/quartiers/?page=abc")

    assert 'class="fr-pagination"' in first
    assert "page=2" in first and "geographie=2024" in first
    assert "62 quartiers — page 1 sur 2" in first
    assert last.status_code == 200 and "page 2 sur 2" in last.content.decode()
    assert garbage.status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_the_neighbourhood_list_runs_constant_queries(
    client, world, django_assert_num_queries, extra
):
    for n in range(extra):
        NeighbourhoodFactory(
            code=f"QN063{n:02d}A",
            communes=[
                CommuneFactory(insee_code=f"62{n:03d}"),
                CommuneFactory(insee_code=f"80{n:03d}"),
            ],
        )

    # count, page, communes prefetch, the filter form's regions and departments
    with django_assert_num_queries(5):
        response = client.get("/quartiers/?geographie=2024&tri=departement")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_C),
        ("region=76", ("CN03101M",)),
        ("departement=59", ("CN05901M", "CV059")),
        ("generation=2015-2023", ("CV059",)),
        ("volet_sante=publie", ("CN05901M",)),
        ("volet_sante=non-publie", ("CN03101M", "CV059")),
    ],
)
def test_the_contract_list_filters(client, world, query, expected):
    response = client.get(f"/contrats/?{query}")

    assert response.status_code == 200
    assert rows(response, ALL_C) == sorted(expected, key=ALL_C.index)


def test_an_unpublished_section_does_not_count(client, world):
    HealthSectionFactory(contract=CityContractFactory(code="CN07501M"), is_published=False)

    response = client.get("/contrats/?volet_sante=publie")

    assert ">CN07501M</a>" not in response.content.decode()


@pytest.mark.parametrize(
    "query", ["generation=xx", "region=%00", "volet_sante=1", "departement=999"]
)
def test_a_bad_contract_filter_is_a_french_form_error(client, world, query):
    response = client.get(f"/contrats/?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Certains filtres sont invalides" in html
    assert "Sélectionnez un choix valide" in html or "Le caractère nul n’est pas autorisé" in html


@pytest.mark.parametrize("extra", [0, 40])
def test_the_contract_list_runs_constant_queries(client, world, django_assert_num_queries, extra):
    for _ in range(extra):
        HealthSectionFactory(contract=CityContractFactory())

    with django_assert_num_queries(4):
        response = client.get("/contrats/?tri=-departement")
    assert response.status_code == 200
