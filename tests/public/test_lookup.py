"""« Ce lieu est-il dans un quartier prioritaire ? »"""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from neighbourhoods import lookup_views
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

URL = "/ce-lieu-est-il-en-quartier-prioritaire/"
SQUARE = MultiPolygon(
    Polygon(((3.0, 50.6), (3.1, 50.6), (3.1, 50.7), (3.0, 50.7), (3.0, 50.6))), srid=4326
)


@pytest.fixture
def mapped():
    NeighbourhoodFactory(code="QN05901M", name="Lille Sud", contour=SQUARE)
    NeighbourhoodFactory(
        geography_2015=True, code="QP059001", name="Ancien Lille Sud", contour=SQUARE
    )
    NeighbourhoodFactory(code="QN05902M", name="Ailleurs")


def test_the_empty_form_asks_for_coordinates_without_an_address_field(client, settings):
    settings.GEOCODER_URL = None

    html = client.get(URL).content.decode()

    assert "<h1>Ce lieu est-il dans un quartier prioritaire ?</h1>" in html
    assert 'name="longitude"' in html and 'name="latitude"' in html
    assert 'name="adresse"' not in html
    assert 'data-lookup="recherche-point"' in html
    assert "Réponse" not in html


def test_a_point_inside_is_answered_with_links_to_both_geographies(client, mapped):
    response = client.get(URL, {"longitude": "3,05", "latitude": "50.65"})

    html = response.content.decode()
    assert "Oui : ce lieu est dans le quartier prioritaire Lille Sud" in html
    assert 'href="/quartiers/QN05901M/"' in html and 'href="/quartiers/QP059001/"' in html
    assert "Ailleurs" not in html
    assert 'data-focus="QN05901M"' in html
    assert 'data-point="3.05,50.65"' in html
    assert 'href="#resultats-point"' in html


def test_a_point_outside_is_answered_no(client, mapped):
    html = client.get(URL, {"longitude": "2.35", "latitude": "48.85"}).content.decode()

    assert "Non : ce lieu n'est dans aucun quartier prioritaire" in html
    assert 'href="/quartiers/QN05901M/"' not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"longitude": "abc", "latitude": "50"}, "Saisissez une longitude en degrés décimaux"),
        ({"longitude": "200", "latitude": "50"}, "La longitude est comprise entre −180 et 180."),
        ({"longitude": "3", "latitude": "-91"}, "La latitude est comprise entre −90 et 90."),
        ({"longitude": "3", "latitude": ""}, "toutes les deux"),
        ({"longitude": "nan", "latitude": "50"}, "Saisissez une longitude"),
        ({"longitude": "inf", "latitude": "50"}, "Saisissez une longitude"),
        ({"longitude": "1" * 5000, "latitude": "50"}, "La longitude est comprise"),
        ({"longitude": "3\x00", "latitude": "50"}, "longitude"),
    ],
)
def test_bad_coordinates_get_a_french_message(client, mapped, query, message):
    response = client.get(URL, query)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Réponse pour le point" not in html


def test_it_answers_from_the_spatial_index_in_constant_queries(
    client, mapped, django_assert_num_queries
):
    # locate_points (one query) and the neighbourhoods found (one query)
    with django_assert_num_queries(2):
        client.get(URL, {"longitude": "3.05", "latitude": "50.65"})


def test_an_address_field_appears_only_with_a_geocoder_and_is_used(
    client, mapped, settings, monkeypatch
):
    settings.GEOCODER_URL = "https://geocodeur.invalid/search/"
    asked = []

    def fake_geocode(address):
        asked.append(address)
        return 3.05, 50.65

    monkeypatch.setattr(lookup_views, "geocode", fake_geocode)

    html = client.get(URL, {"adresse": "1 place Augustin Laurent, Lille"}).content.decode()

    assert 'name="adresse"' in html
    assert asked == ["1 place Augustin Laurent, Lille"]
    assert "Lille Sud" in html


def test_a_failing_geocoder_is_a_french_message(client, settings, monkeypatch):
    settings.GEOCODER_URL = "https://geocodeur.invalid/search/"

    def broken(address):
        raise lookup_views.GeocoderError("timeout")

    monkeypatch.setattr(lookup_views, "geocode", broken)

    html = client.get(URL, {"adresse": "nulle part"}).content.decode()

    assert "Adresse introuvable ou service d&#x27;adresses indisponible" in html
