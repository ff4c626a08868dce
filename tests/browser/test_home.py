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
