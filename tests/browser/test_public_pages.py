"""Each public detail page in Chromium: it loads, draws its map (or says why there is no
contour), offers its tables, and axe finds no serious or critical violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.public.pages_world import pages_world


@pytest.fixture
def world(transactional_db):
    return pages_world()


def drawn(page, map_id: str) -> None:
    """The map's layer was fetched and drawn: Leaflet put at least one shape or marker in it."""
    expect(page.locator(f"#{map_id}")).to_have_attribute("data-ready", "true")
    shapes = page.locator(f"#{map_id} .leaflet-interactive, #{map_id} .leaflet-marker-icon")
    expect(shapes.first).to_be_attached()


def test_the_neighbourhood_page_draws_its_contour_and_its_charts(
    page, live_server, world, axe_violations
):
    page.goto(live_server.url + reverse("neighbourhood-page", args=[world.neighbourhood.code]))

    expect(page.locator("h1")).to_contain_text("Les Tilleuls")
    drawn(page, "carte-quartier")
    chart = page.get_by_role("img", name="Indicateurs du quartier Les Tilleuls").first
    expect(chart).to_be_visible()
    table = page.locator("#tableau-indicateurs-1 table")
    expect(table).to_be_visible()
    expect(page.locator("table").filter(has_text="secret statistique").first).to_be_visible()
    assert axe_violations(page) == []


def test_a_neighbourhood_without_contour_says_so(page, live_server, world, axe_violations):
    page.goto(live_server.url + reverse("neighbourhood-page", args=[world.previous.code]))

    expect(page.get_by_text("Contour non disponible")).to_be_visible()
    expect(page.locator("#carte-quartier")).to_have_attribute("data-ready", "true")
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", ["commune", "epci", "contract", "scheme"])
def test_territory_pages_draw_their_neighbourhoods_with_a_table(
    page, live_server, world, axe_violations, name
):
    url = {
        "commune": reverse("commune-page", args=[world.commune.insee_code]),
        "epci": reverse("epci-page", args=[world.epci.siren]),
        "contract": reverse("contract-page", args=[world.contract.code]),
        "scheme": reverse("scheme-page", args=[world.scheme.uid]),
    }[name]

    page.goto(live_server.url + url)

    drawn(page, "carte-geographie-2024")
    expect(page.locator("#tableau-quartiers table")).to_contain_text(world.neighbourhood.code)
    page.get_by_role("link", name="Les mêmes données en tableau").first.click()
    assert page.url.endswith("#tableau-quartiers")
    assert axe_violations(page) == []


def test_the_contract_page_reads_the_approved_tree(page, live_server, world, axe_violations):
    page.goto(live_server.url + reverse("contract-page", args=[world.contract.code]))

    tree = page.locator(".section-tree").first
    expect(tree).to_contain_text("1")
    expect(tree).to_contain_text("Accès aux soins")
    expect(tree).to_contain_text("Bus santé")
    assert axe_violations(page) == []


def test_the_structure_page_draws_its_location(page, live_server, world, axe_violations):
    page.goto(live_server.url + reverse("structure-page", args=[world.structure.uid]))

    expect(page.locator("h1")).to_have_text("Maison de santé des Tilleuls")
    drawn(page, "carte-structure")
    expect(page.locator("#localisation-texte")).to_contain_text("latitude")
    assert axe_violations(page) == []


def test_an_unknown_page_is_the_french_404(page, live_server, world, axe_violations):
    response = page.goto(live_server.url + "/quartiers/QN99999Z/")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page introuvable")
