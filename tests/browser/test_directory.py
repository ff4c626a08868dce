"""The directory, coverage-gaps and partnership pages in Chromium: filters narrow the table,
the CSV download carries the same rows, and axe finds nothing serious."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

MAP = "#carte-couverture"


def table_names(page) -> list[str]:
    return page.locator("#annuaire-tableau tbody tr td:first-child a").all_inner_texts()


def test_filters_narrow_the_directory_and_the_csv_follows_them(page, live_server, demo):
    page.goto(live_server.url + "/annuaire/")
    everything = page.locator("#nombre-resultats").inner_text()

    page.get_by_label("Département").select_option("59")
    page.get_by_label("Type", exact=True).select_option("ASV")
    page.get_by_role("button", name="Appliquer les filtres").click()

    expect(page.locator("#nombre-resultats")).not_to_have_text(everything)
    names = table_names(page)
    assert names and len(names) < int(everything.split()[0])
    assert "departement=59" in page.url and "type=ASV" in page.url
    assert page.get_by_label("Département").input_value() == "59"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("annuaire-sante-")
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == names
    assert {row[1] for row in rows[1:]} == {"Atelier santé ville (ASV)"}


def test_sorting_by_a_column_keeps_the_filters(page, live_server, demo):
    page.goto(live_server.url + "/annuaire/?departement=59")
    page.locator("#annuaire-tableau thead").get_by_role("link", name="Nom").click()

    assert "departement=59" in page.url and "tri=-nom" in page.url
    names = table_names(page)
    assert names == sorted(names, key=str.lower, reverse=True)


@pytest.mark.parametrize(
    "path",
    [
        "/annuaire/",
        "/annuaire/?region=zz&commune=Atlantide",
        "/couverture/",
        "/couverture/?departement=59",
        "/partenariats/",
        "/partenariats/?departement=59",
    ],
)
def test_the_pages_pass_axe(page, live_server, demo, axe_violations, path):
    page.goto(live_server.url + path)

    expect(page.locator("h1")).to_be_visible()
    violations = axe_violations(page)
    # The map widget (public/includes/map.html, Leaflet) is checked by tests/browser/test_maps.py
    # with its owner's fixes; this test checks everything else on the page.
    assert [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in violations
        if not all(str(node["target"][0]).startswith(MAP) for node in v["nodes"])
    ] == []


def test_the_partnership_graph_and_its_table(page, live_server, demo):
    page.goto(live_server.url + "/partenariats/")
    page.get_by_label("Département").select_option("59")
    page.get_by_role("button", name="Afficher").click()

    graph = page.get_by_role("img", name="Graphe des partenariats")
    expect(graph).to_be_visible()
    assert page.locator("svg.partnership-graph circle").count() >= 3
    table = page.locator("#partenariats-tableau table")
    expect(table.get_by_role("columnheader", name="avec qui")).to_be_visible()
    assert table.locator("tbody tr").count() >= 5


def test_the_coverage_page_shows_a_territory_map_and_table(page, live_server, demo):
    page.goto(live_server.url + "/couverture/")
    page.get_by_role("link", name="59 – Nord").click()

    expect(page.locator("h1")).to_contain_text("Nord")
    expect(page.locator("#carte-couverture")).to_be_attached()
    assert page.locator("#couverture-tableau tbody tr").count() >= 1
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger (CSV)").click()
    assert download_info.value.suggested_filename.startswith("couverture-quartiers-59-")


@pytest.mark.parametrize(
    "path", ["/annuaire/", "/couverture/?departement=59", "/partenariats/?departement=59"]
)
def test_the_pages_fit_a_phone(page, live_server, demo, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + path)

    # Wide tables and the graph scroll inside their own box, not the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
