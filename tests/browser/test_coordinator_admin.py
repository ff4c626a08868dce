from playwright.sync_api import expect

from contracts.models import HealthSection
from tests.browser.conftest import sign_in


def test_a_coordinator_reads_the_tree_and_updates_their_health_section(page, live_server, demo):
    sign_in(page, live_server, "coordination")

    page.get_by_role("link", name="Volets santé", exact=True).click()
    page.get_by_role("link", name="Contrat de ville de Valenciennes Métropole").click()
    tree = page.locator("ul.objective-tree")
    expect(tree).to_contain_text("2.1.1.1 Permettre l'accès de tous à une alimentation équilibrée")
    page.get_by_label("Synthèse du diagnostic").fill("Diagnostic actualisé avec l'ASV en 2024.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("a été modifié avec succès")
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")
    assert section.diagnosis_summary == "Diagnostic actualisé avec l'ASV en 2024."


def test_a_coordinator_only_reads_another_territory(page, live_server, demo):
    sign_in(page, live_server, "coordination")

    page.goto(live_server.url + "/admin/contracts/healthsection/")
    page.get_by_role("link", name="Contrat de ville de la Métropole Européenne de Lille").click()

    expect(page.locator("ul.objective-tree")).to_contain_text("3.1.2")
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)
