"""Admin pages people can read (issue 8), in a 1366 × 768 window."""

from django.contrib.gis.geos import MultiPolygon, Polygon
from playwright.sync_api import expect

from contracts.models import HealthSection
from neighbourhoods.models import Neighbourhood
from tests.browser.conftest import sign_in

LAPTOP = {"width": 1366, "height": 768}


def section_url(live_server) -> str:
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")
    return f"{live_server.url}/admin/contracts/healthsection/{section.pk}/change/"


def test_the_objectives_title_column_fits_a_laptop_window(page, live_server, demo):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "coordination")
    page.goto(section_url(live_server))

    page.locator("#objectives-group summary").click()
    title = page.locator("#objectives-group td.field-title input").first
    expect(title).to_be_visible()

    box = title.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]


def test_the_objectives_are_shown_once_until_the_table_is_opened(page, live_server, demo):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "coordination")
    page.goto(section_url(live_server))

    expect(page.locator("ul.objective-tree")).to_be_visible()
    expect(page.locator("#objectives-group td.field-title input").first).to_be_hidden()


def test_a_read_only_neighbourhood_page_shows_its_contour_as_a_map(page, live_server, demo):
    neighbourhood = Neighbourhood.objects.get(code="QN00216M")
    square = ((3.50, 50.35), (3.52, 50.35), (3.52, 50.37), (3.50, 50.37), (3.50, 50.35))
    neighbourhood.contour = MultiPolygon(Polygon(square), srid=4326)
    neighbourhood.save(update_fields=["contour"])
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "ars")

    page.goto(f"{live_server.url}/admin/neighbourhoods/neighbourhood/{neighbourhood.pk}/change/")

    contour = page.locator(".field-contour_map .readonly-map")
    expect(contour.locator(".leaflet-overlay-pane path")).to_have_count(1)
    expect(page.get_by_text("MULTIPOLYGON")).to_have_count(0)


def test_the_section_page_has_no_serious_accessibility_violation(
    page, live_server, demo, axe_violations
):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "coordination")
    page.goto(section_url(live_server))

    violations = axe_violations(page)

    assert violations == [], [(v["id"], [n["html"][:200] for n in v["nodes"]]) for v in violations]


def test_the_admin_links_a_favicon_that_exists(page, live_server, demo):
    sign_in(page, live_server, "coordination")

    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(live_server.url + href)

    assert response.status == 200
    assert page.request.get(live_server.url + "/favicon.ico").status == 200
