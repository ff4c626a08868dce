import pytest
from playwright.sync_api import expect

from portal.models import User


@pytest.mark.django_db(transaction=True)
def test_a_visitor_reads_the_home_page_in_french(page, live_server, axe_violations):
    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.locator("h1")).to_contain_text("quartiers prioritaires")
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_signs_in_and_reaches_the_workspace(page, live_server):
    User.objects.create_user("claire", password="un-mot-de-passe-solide", is_staff=True)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Nom d’utilisateur").fill("claire")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Connexion").click()

    expect(page.get_by_role("heading", name="Administration du portail")).to_be_visible()
    assert page.url.endswith("/admin/")


@pytest.fixture
def public_world(transactional_db):
    from tests.browser.public_world import build_public_world

    build_public_world()


def test_the_home_map_draws_contours_and_approximate_points_with_its_list(
    page, live_server, public_world, axe_violations
):
    page.goto(live_server.url + "/")

    map_element = page.locator("#carte-quartiers")
    expect(map_element).to_have_attribute("data-ready", "true")
    assert map_element.get_attribute("aria-hidden") == "true"
    expect(map_element.locator("path.leaflet-interactive")).to_have_count(3)
    expect(map_element.locator("path.public-map__approximate")).to_have_count(1)
    expect(page.locator("figcaption")).to_contain_text("faute de contour connu")
    assert map_element.locator("a:not([tabindex='-1'])").count() == 0
    assert axe_violations(page) == []

    page.get_by_role(
        "link", name="Tous les quartiers prioritaires dans une liste filtrable"
    ).click()
    expect(page.locator("h1")).to_have_text("Quartiers prioritaires")
    table = page.locator("#tableau-quartiers")
    for code in ("QN05901M", "QN05902M", "QN05903M"):
        expect(table.get_by_role("link", name=code)).to_be_visible()


def test_a_popup_links_to_the_neighbourhood_page(page, live_server, public_world):
    page.goto(live_server.url + "/")
    map_element = page.locator("#carte-quartiers")
    expect(map_element).to_have_attribute("data-ready", "true")

    map_element.locator("path.public-map__approximate").click(force=True)

    popup = map_element.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Épeule (QN05903M)")
    expect(popup).to_contain_text("Position approximative : centre de la commune de Roubaix")
    assert popup.locator("a", has_text="Voir la page du quartier").get_attribute("href") == (
        "/quartiers/QN05903M/"
    )


def test_a_headline_figure_opens_its_filtered_list(page, live_server, public_world):
    page.goto(live_server.url + "/")

    page.get_by_role("link", name="volets santé publiés").click()

    assert page.url.endswith("/contrats/?volet_sante=publie")
    expect(page.locator("#tableau-contrats").get_by_role("link", name="CN05901M")).to_be_visible()


def test_on_a_phone_the_menu_button_shows_and_nothing_overflows(page, live_server, public_world):
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/", "/quartiers/", "/contrats/", "/ce-lieu-est-il-en-quartier-prioritaire/"):
        page.goto(live_server.url + path)

        expect(page.locator("#bouton-menu")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path}: {width} px"
