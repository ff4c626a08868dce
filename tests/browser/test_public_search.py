"""The search box's suggestions (ARIA combobox), the results page and the lists, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser.public_world import build_public_world


@pytest.fixture
def public_world(transactional_db):
    build_public_world()


def test_typing_shows_suggestions_and_enter_opens_the_chosen_one(page, live_server, public_world):
    page.goto(live_server.url + "/")
    box = page.get_by_role(
        "combobox", name="Rechercher un quartier, une commune, un EPCI ou un contrat de ville"
    )

    box.press_sequentially("roub", delay=50)

    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#recherche-annonce")).to_have_text("1 suggestion disponible.")
    option = listbox.get_by_role("option")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("Commune : Roubaix")

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "recherche-suggestion-0")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")

    page.wait_for_url("**/communes/59512/")


def test_escape_closes_the_suggestions_and_enter_submits_the_search(
    page, live_server, public_world, axe_violations
):
    page.goto(live_server.url + "/")
    box = page.get_by_role(
        "combobox", name="Rechercher un quartier, une commune, un EPCI ou un contrat de ville"
    )
    box.press_sequentially("lille", delay=50)
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_visible()

    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#recherche-suggestions")).to_be_hidden()
    box.press("Enter")

    page.wait_for_url("**/recherche/?q=lille")
    expect(page.locator("h1")).to_have_text("Résultats pour « lille »")
    expect(page.get_by_role("heading", name="Communes (1)")).to_be_visible()
    expect(page.get_by_role("link", name="Lille Sud")).to_have_attribute(
        "href", "/quartiers/QN05901M/"
    )
    assert axe_violations(page) == []


def test_a_suggestion_can_be_chosen_with_the_mouse(page, live_server, public_world):
    page.goto(live_server.url + "/")
    box = page.get_by_role(
        "combobox", name="Rechercher un quartier, une commune, un EPCI ou un contrat de ville"
    )
    box.press_sequentially("QN05903", delay=50)

    page.get_by_role("option", name="Quartier : Épeule").click()

    page.wait_for_url("**/quartiers/QN05903M/")


def test_the_search_works_without_javascript(chromium, live_server, public_world):
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_label(
            "Rechercher un quartier, une commune, un EPCI ou un contrat de ville"
        ).fill("roubaix")
        page.get_by_role("button", name="Rechercher").click()
        page.wait_for_url("**/recherche/?q=roubaix")
        assert page.get_by_role("link", name="Roubaix").get_attribute("href") == "/communes/59512/"
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/quartiers/?geographie=2024",
        "/quartiers/?epci=123",
        "/contrats/",
        "/contrats/?volet_sante=publie&tri=-nom",
        "/ce-lieu-est-il-en-quartier-prioritaire/",
        "/ce-lieu-est-il-en-quartier-prioritaire/?longitude=abc&latitude=50",
        "/recherche/?q=zzzz",
    ],
)
def test_the_public_pages_pass_axe(page, live_server, public_world, axe_violations, path):
    page.goto(live_server.url + path)
    if page.locator(".public-map").count():
        expect(page.locator(".public-map").first).to_have_attribute("data-ready", "true")

    assert axe_violations(page) == []


def test_the_lists_filter_and_sort(page, live_server, public_world):
    page.goto(live_server.url + "/quartiers/")

    page.get_by_label("Contour").select_option("sans")
    page.get_by_role("button", name="Filtrer").click()

    table = page.locator("#tableau-quartiers")
    expect(table.get_by_role("link", name="QN05903M")).to_be_visible()
    expect(table.get_by_role("link", name="QN05901M")).to_have_count(0)
    page.get_by_role("link", name="Nom (trier)").click()
    assert "contour=sans" in page.url and "tri=nom" in page.url
