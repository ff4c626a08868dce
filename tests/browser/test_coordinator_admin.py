from playwright.sync_api import expect

from contracts.models import HealthDiagnosis, HealthSection
from tests.browser.conftest import sign_in

# The section's diagnosis is its first diagnosis inline row.
DIAGNOSIS_SUMMARY = "#id_health_diagnoses-0-summary"


def test_a_coordinator_reads_the_tree_and_updates_their_health_section(page, live_server, demo):
    sign_in(page, live_server, "coordination")

    page.get_by_role("link", name="Volets santé", exact=True).click()
    page.get_by_role("link", name="Contrat de ville de Valenciennes Métropole").click()
    tree = page.locator("ul.objective-tree")
    expect(tree).to_contain_text("2.1.1.1 Permettre l'accès de tous à une alimentation équilibrée")
    page.locator(DIAGNOSIS_SUMMARY).fill("Diagnostic actualisé avec l'ASV en 2024.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("a été modifié avec succès")
    diagnosis = HealthDiagnosis.objects.get(section__contract__code="CV2015-CAVM")
    assert diagnosis.summary == "Diagnostic actualisé avec l'ASV en 2024."


def test_a_coordinator_only_reads_another_territory(page, live_server, demo):
    sign_in(page, live_server, "coordination")

    page.goto(live_server.url + "/admin/contracts/healthsection/")
    page.get_by_role("link", name="Contrat de ville de la Métropole Européenne de Lille").click()

    expect(page.locator("ul.objective-tree")).to_contain_text("3.1.2")
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_have_count(0)


def test_a_stale_tab_cannot_revert_a_save_made_in_another(page, live_server, demo):
    sign_in(page, live_server, "coordination")
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")
    url = f"{live_server.url}/admin/contracts/healthsection/{section.pk}/change/"
    page.goto(url)
    other_tab = page.context.new_page()
    other_tab.goto(url)

    other_tab.get_by_label("Intitulé").fill("Volet santé révisé en comité de pilotage")
    other_tab.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(other_tab.locator(".messagelist")).to_contain_text("a été modifié avec succès")
    page.locator(DIAGNOSIS_SUMMARY).fill("Synthèse saisie dans le premier onglet.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.locator(".errorlist.nonfield")).to_contain_text(
        "Ce volet santé a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert."
    )
    expect(page.locator(DIAGNOSIS_SUMMARY)).to_have_value("Synthèse saisie dans le premier onglet.")
    with page.context.expect_page() as reopened:
        page.get_by_role("link", name="Rouvrez la fiche à jour dans un nouvel onglet").click()
    expect(reopened.value.get_by_label("Intitulé")).to_have_value(
        "Volet santé révisé en comité de pilotage"
    )
    section.refresh_from_db()
    assert section.title == "Volet santé révisé en comité de pilotage"
    diagnosis = HealthDiagnosis.objects.get(section=section)
    assert diagnosis.summary != "Synthèse saisie dans le premier onglet."
