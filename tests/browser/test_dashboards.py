"""The homes in a browser: the ARS reviewer finds a submitted section in the queue and opens it;
both homes pass axe without serious or critical violations."""

import pytest
from playwright.sync_api import expect

from contracts.review_services import health_section_submit
from tests.browser.conftest import sign_in
from tests.contracts.review_world import review_world


@pytest.fixture
def world(transactional_db):
    world = review_world()
    world.review = health_section_submit(section=world.section, user=world["coordinator_a"])
    return world


def test_the_reviewer_opens_a_submitted_section_from_the_queue(page, live_server, world):
    sign_in(page, live_server, "ars-hdf")
    queue = page.get_by_role("table", name="File de relecture")
    row = queue.get_by_role("row").filter(has_text=str(world.section.contract))
    expect(row).to_contain_text("Soumis à l'ARS")
    expect(row).to_contain_text("0 jour")
    row.get_by_role("link", name=str(world.section.contract)).click()
    expect(page).to_have_url(f"{live_server.url}/admin/contracts/review/{world.review.pk}/change/")
    expect(page.get_by_role("button", name="Prendre en charge")).to_be_visible()


def test_the_reviewer_filters_the_queue_by_state(page, live_server, world):
    sign_in(page, live_server, "ars-hdf")
    page.get_by_label("État").select_option(label="En cours d'examen")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucun volet santé à relire pour ces filtres.")).to_be_visible()


@pytest.mark.parametrize("username", ["coord-a", "ars-hdf"])
def test_both_homes_pass_axe(page, live_server, world, axe_violations, username):
    sign_in(page, live_server, username)
    expect(page.locator(".dashboard-home")).to_be_visible()
    assert axe_violations(page) == []
