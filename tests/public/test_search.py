"""Public search: kinds, ranking, accents and case, garbage input, query counts."""

import pytest
from django.contrib.gis.geos import Point

from neighbourhoods.models import Commune
from portal.search import MAX_QUERY_CHARS, MAX_SUGGESTIONS, clean_query, fold, search, suggest
from tests.contracts.factories import CityContractFactory
from tests.neighbourhoods.factories import CommuneFactory, EpciFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    epci = EpciFactory(siren="200093201", name="Métropole Européenne de Lille", nature="METRO")
    # Neighbourhoods get these communes: the factory's own (59000-59999) could take their codes.
    lille = CommuneFactory(insee_code="59350", name="Lille", epci=epci, centroid=Point(3.05, 50.63))
    CommuneFactory(insee_code="59512", name="Roubaix", epci=epci)
    CommuneFactory(insee_code="42218", name="Saint-Étienne", epci=epci)
    CommuneFactory(insee_code="59386", name="Marquette-lez-Lille", epci=epci)
    CommuneFactory(insee_code="76384", name="Lillebonne", epci=epci)
    NeighbourhoodFactory(code="QN05901M", name="Lille Sud", epci=epci, communes=[lille])
    NeighbourhoodFactory(code="QN05902M", name="Œuvre Cœur d'Étienne", epci=epci, communes=[lille])
    CityContractFactory(code="CN05901M", name="Métropole Européenne de Lille", carrier_epci=epci)


def codes(hits):
    return [hit.code for hit in hits]


def test_fold_ignores_case_accents_ligatures_apostrophes_and_hyphens():
    assert fold("  SAINT-ÉTIENNE ") == "saint etienne"
    assert fold("Œuvre Cœur d’Étienne") == "oeuvre coeur d etienne"


def test_it_finds_each_kind_by_name_and_code(world):
    assert codes(search("Roubaix")["commune"]) == ["59512"]
    assert codes(search("59512")["commune"]) == ["59512"]
    assert codes(search("200093201")["epci"]) == ["200093201"]
    assert codes(search("europeenne")["epci"]) == ["200093201"]
    assert codes(search("qn05901m")["neighbourhood"]) == ["QN05901M"]
    assert codes(search("Lille Sud")["neighbourhood"]) == ["QN05901M"]
    assert codes(search("cn05901m")["contract"]) == ["CN05901M"]


def test_it_ignores_case_and_accents_on_both_sides(world):
    assert codes(search("saint etienne")["commune"]) == ["42218"]
    assert codes(search("SAINT-ÉTIENNE")["commune"]) == ["42218"]
    assert codes(search("oeuvre coeur")["neighbourhood"]) == ["QN05902M"]
    assert codes(search("ÉTIENNE")["neighbourhood"]) == ["QN05902M"]


def test_exact_then_prefix_then_contains(world):
    assert codes(search("lille")["commune"]) == ["59350", "76384", "59386"]
    assert codes(search("QN059")["neighbourhood"]) == ["QN05901M", "QN05902M"]


def test_suggestions_are_bounded_and_ranked_across_kinds(world):
    for n in range(15):
        CommuneFactory(insee_code=f"62{n:03d}", name=f"Lilleville {n}")

    hits = suggest("lille")

    assert len(hits) == MAX_SUGGESTIONS
    assert (hits[0].kind, hits[0].code) == ("commune", "59350")  # the exact name first


@pytest.mark.parametrize(
    "garbage",
    ["%", "_", "%%%%", "__", "\x00\x01\x1f", "a" * 10_000, "' OR 1=1 --", "\u202e\u200b", "é"],
)
def test_garbage_is_harmless(client, world, garbage):
    response = client.get("/recherche/", {"q": garbage})
    suggestions = client.get("/recherche/suggestions.json", {"q": garbage})

    assert response.status_code == 200
    assert suggestions.status_code == 200
    assert "Lille" not in str(suggestions.json())
    assert len(clean_query(garbage)) <= MAX_QUERY_CHARS


def test_percent_and_underscore_are_literal(world):
    CommuneFactory(insee_code="59999", name="Cent_pour%cent")

    assert codes(search("t_p")["commune"]) == ["59999"]
    assert codes(search("r%c")["commune"]) == ["59999"]
    assert search("l_lle")["commune"] == []


def test_the_results_page_groups_hits_by_kind_with_links(client, world):
    html = client.get("/recherche/", {"q": "lille"}).content.decode()

    assert "<h2" in html and "Communes (3)" in html
    assert 'href="/communes/59350/"' in html
    assert 'href="/epci/200093201/"' in html
    assert 'href="/contrats/CN05901M/"' in html
    assert 'href="/quartiers/QN05901M/"' in html


def test_one_exact_code_goes_straight_to_its_page(client, world):
    response = client.get("/recherche/", {"q": "qn05901m"})

    assert response.status_code == 302 and response["Location"] == "/quartiers/QN05901M/"


def test_a_postcode_is_not_taken_for_an_insee_code(client, world):
    html = client.get("/recherche/", {"q": "59000"}).content.decode()

    assert "Aucun résultat" in html
    assert "codes postaux" in html


def test_suggestions_are_json_with_urls(client, world):
    data = client.get("/recherche/suggestions.json", {"q": "roub"}).json()

    assert data["suggestions"] == [
        {
            "type": "commune",
            "type_libelle": "Commune",
            "code": "59512",
            "nom": "Roubaix",
            "detail": "59512 · Nord",
            "url": "/communes/59512/",
        }
    ]


@pytest.mark.parametrize("rows", [0, 25])
def test_search_runs_constant_queries(client, world, django_assert_num_queries, rows):
    for n in range(rows):
        CommuneFactory(insee_code=f"62{n:03d}", name=f"Lilleville {n}")
        NeighbourhoodFactory(
            name=f"Lille quartier {n}", communes=[Commune.objects.get(insee_code="59350")]
        )

    with django_assert_num_queries(1):
        client.get("/recherche/suggestions.json", {"q": "lille"})
    with django_assert_num_queries(4):
        client.get("/recherche/", {"q": "lille"})


def test_a_search_runs_while_another_query_is_still_being_read(world):
    """A streamed export keeps its statement open; a search on the same connection must still
    work (SQLite refuses to define a function while a statement is open)."""
    streamed = Commune.objects.order_by("insee_code").values_list("insee_code", flat=True)
    rows = streamed.iterator(chunk_size=1)
    first = next(rows)

    assert codes(search("saint etienne")["commune"]) == ["42218"]
    assert [first, *rows] == ["42218", "59350", "59386", "59512", "76384"]
