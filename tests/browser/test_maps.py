"""Admin map widgets under the production Content-Security-Policy, without background tiles."""

from urllib.parse import urlparse

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from playwright.sync_api import expect

from devices.models import HealthStructure
from neighbourhoods.models import Neighbourhood
from portal.demo import demo_load

# Recorded in the page before any of its scripts runs, so that no violation is missed.
LISTEN_TO_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def demo(transactional_db):
    demo_load(with_accounts=True)


@pytest.fixture
def watched_page(page, live_server):
    """The page, with its CSP violations and every request it tried to send off the live server."""
    page.violations = []
    page.foreign_requests = []
    own = urlparse(live_server.url).netloc
    page.add_init_script(LISTEN_TO_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            page.violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            page.foreign_requests.append(request.url)
            if urlparse(request.url).netloc != own and not request.url.startswith("data:")
            else None
        ),
    )
    return page


def sign_in_as_admin(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("admin")
    page.get_by_label("Mot de passe").fill("demo")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Administration du portail")).to_be_visible()


def all_violations(page) -> list[str]:
    return page.violations + page.evaluate("window.cspViolations")


def test_a_neighbourhood_contour_is_drawn_without_tiles_or_policy_violations(
    watched_page, live_server, demo
):
    page = watched_page
    neighbourhood = Neighbourhood.objects.get(code="QN00216M")
    square = ((3.50, 50.35), (3.52, 50.35), (3.52, 50.37), (3.50, 50.37), (3.50, 50.35))
    neighbourhood.contour = MultiPolygon(Polygon(square), srid=4326)
    neighbourhood.save(update_fields=["contour"])
    sign_in_as_admin(page, live_server)

    page.goto(f"{live_server.url}/admin/neighbourhoods/neighbourhood/{neighbourhood.pk}/change/")

    map_container = page.locator("#id_contour-map")
    expect(map_container.locator(".leaflet-map-pane")).to_have_count(1)
    expect(map_container.locator(".leaflet-overlay-pane path")).not_to_have_count(0)
    assert map_container.locator(".leaflet-tile").count() == 0
    map_container.locator(".leaflet-draw-edit-edit").click()  # the contour's vertices appear
    expect(map_container.locator(".leaflet-editing-icon")).not_to_have_count(0)
    assert all_violations(page) == []
    assert page.foreign_requests == []


def test_a_health_structure_map_works_under_the_policy(watched_page, live_server, demo):
    page = watched_page
    structure = HealthStructure.objects.exclude(location=None).first()
    sign_in_as_admin(page, live_server)

    page.goto(f"{live_server.url}/admin/devices/healthstructure/{structure.pk}/change/")

    map_container = page.locator("#id_location-map")
    expect(map_container.locator(".leaflet-map-pane")).to_have_count(1)
    expect(map_container.locator(".leaflet-marker-pane img")).to_have_count(1)
    expect(map_container.locator(".leaflet-draw")).to_have_count(1)
    assert all_violations(page) == []
    assert page.foreign_requests == []


@pytest.fixture
def public_world(transactional_db):
    from tests.browser.public_world import build_public_world

    build_public_world()


def test_a_click_on_the_lookup_map_answers_where_it_is(
    watched_page, live_server, public_world, axe_violations
):
    page = watched_page
    page.goto(live_server.url + "/ce-lieu-est-il-en-quartier-prioritaire/")
    map_element = page.locator("#carte-recherche-point")
    expect(map_element).to_have_attribute("data-ready", "true")
    page.goto(
        live_server.url + "/ce-lieu-est-il-en-quartier-prioritaire/?longitude=3.05&latitude=50.61"
    )
    expect(map_element).to_have_attribute("data-ready", "true")
    page.wait_for_timeout(500)  # the fitted view settles (a tier reload may follow)

    box = map_element.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.wait_for_url("**longitude=*")
    expect(page.locator("#reponse")).to_contain_text(
        "Oui : ce lieu est dans le quartier prioritaire Lille Sud"
    )
    expect(
        page.locator("#resultats-point").get_by_role("link", name="Lille Sud")
    ).to_have_attribute("href", "/quartiers/QN05901M/")
    assert float(page.get_by_label("Longitude").input_value()) == pytest.approx(3.05, abs=0.03)
    assert axe_violations(page) == []
    assert all_violations(page) == []
    assert page.foreign_requests == []


def test_the_layer_is_fetched_gzipped_and_revalidated(page, live_server, public_world):
    page.goto(live_server.url + "/")
    response = page.request.get(
        live_server.url + "/carte/quartiers.geojson?geographie=2024",
        headers={"Accept-Encoding": "gzip"},
    )
    etag = response.headers["etag"]

    again = page.request.get(
        live_server.url + "/carte/quartiers.geojson?geographie=2024",
        headers={"Accept-Encoding": "gzip", "If-None-Match": etag},
    )

    assert response.headers["content-encoding"] == "gzip"
    assert again.status == 304
