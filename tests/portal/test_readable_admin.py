"""Admin pages people can read (issue 8): French titles that elide, objectives in tree order,
contours as maps, indicator values with their unit, a favicon."""

from decimal import Decimal
from html import unescape

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.urls import reverse

from neighbourhoods.admin_titles import change_form_title, of_a, of_the
from neighbourhoods.models import format_number
from tests.admin_forms import change_url
from tests.contracts.factories import CityContractFactory, HealthSectionFactory, ObjectiveFactory
from tests.neighbourhoods.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    NeighbourhoodFactory,
)

pytestmark = pytest.mark.django_db


def test_titles_elide_before_a_vowel_and_agree_with_the_noun():
    assert of_the("objectif") == "de l'objectif"
    assert of_the("personne") == "de la personne"
    assert of_the("dispositif") == "du dispositif"
    assert of_a("avis de l'ARS") == "d'un avis de l'ARS"
    assert of_a("action") == "d'une action"
    assert change_form_title("EPCI", add=False, can_change=False) == "Consultation de l'EPCI"


def test_change_pages_are_titled_in_french_that_reads_well(client, world, persona):
    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    objective = ObjectiveFactory(section=section)
    client.force_login(persona("coordinator_a"))
    own = unescape(client.get(change_url(objective)).content.decode())
    add = unescape(client.get(reverse("admin:contracts_action_add")).content.decode())
    client.force_login(persona("ars"))
    read_only = unescape(client.get(change_url(section)).content.decode())

    assert "<h1>Modification de l'objectif</h1>" in own
    assert "<h1>Consultation du volet santé</h1>" in read_only
    assert "<h1>Ajout d'une action</h1>" in add
    assert " de objectif" not in own and "Affichage de" not in read_only


def test_the_objectives_table_follows_the_tree_order(client, world, persona):
    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    root = ObjectiveFactory(section=section, number="1", level=1)
    for number in ("1.10", "1.9", "1.2"):
        ObjectiveFactory(section=section, number=number, level=2, parent=root, title=number)
    client.force_login(persona("coordinator_a"))

    formset = client.get(change_url(section)).context["inline_admin_formsets"][0].formset

    assert [form.instance.number for form in formset.forms] == ["1", "1.2", "1.9", "1.10"]


def test_the_objectives_table_is_folded_under_the_tree(client, world, persona):
    section = HealthSectionFactory(contract=CityContractFactory(carrier_epci=world.valenciennes))
    ObjectiveFactory(section=section)
    client.force_login(persona("coordinator_a"))

    html = client.get(change_url(section)).content.decode()

    assert 'class="objective-tree"' in html
    assert "<details" in html and "bjectifs (saisie en tableau)" in html


def contoured_neighbourhood(epci):
    square = ((3.50, 50.35), (3.52, 50.35), (3.52, 50.37), (3.50, 50.37), (3.50, 50.35))
    contour = MultiPolygon(Polygon(square), srid=4326)
    return NeighbourhoodFactory(
        code="QN99990M", epci=epci, contour=contour, contour_simplified=contour
    )


@pytest.mark.parametrize("name", ["ars", "coordinator_b", "coordinator_a"])
def test_neighbourhood_pages_show_contours_as_maps_not_text(client, world, persona, name):
    neighbourhood = contoured_neighbourhood(world.valenciennes)
    client.force_login(persona(name))

    html = client.get(change_url(neighbourhood)).content.decode()

    assert 'class="readonly-map"' in html
    assert "MULTIPOLYGON" not in html and "3.5 50.35" not in html
    assert "js/readonly-map.js" in html


def test_indicator_values_read_with_separators_and_their_unit():
    assert format_number(Decimal("8289.0000"), "count") == "8\u202f289"
    assert format_number(Decimal("23.5000"), "percent") == "23,5\u202f%"
    assert format_number(Decimal("1250.0000"), "euro") == "1\u202f250\u202f€"
    assert format_number(Decimal("0.8500"), "ratio") == "0,85"


def test_an_indicator_value_is_named_by_its_indicator_and_year(world):
    value = IndicatorValueFactory(
        indicator=IndicatorFactory(code="test_population", label="Population", unit="count"),
        neighbourhood=NeighbourhoodFactory(code="QN99991M", epci=world.valenciennes),
        value=Decimal("8289"),
    )

    assert str(value) == "Population (2017) : 8\u202f289"


def test_a_read_only_neighbourhood_page_shows_values_with_their_unit(client, world, persona):
    neighbourhood = NeighbourhoodFactory(code="QN99992M", epci=world.valenciennes)
    IndicatorValueFactory(
        neighbourhood=neighbourhood,
        indicator=IndicatorFactory(code="test_population", label="Population", unit="count"),
        value=Decimal("8289"),
    )
    client.force_login(persona("ars"))

    html = client.get(change_url(neighbourhood)).content.decode()

    assert "8\u202f289" in html
    assert "8289,0000" not in html and "IndicatorValue object" not in html


def test_the_favicon_answers(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_lists_are_titled_without_the_generic_object_wording(client, persona):
    client.force_login(persona("ars"))

    html = unescape(client.get(reverse("admin:contracts_objective_changelist")).content.decode())

    assert "<h1>Objectifs : choisissez la fiche à consulter</h1>" in html
