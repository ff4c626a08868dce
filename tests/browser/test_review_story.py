"""The ARS review, end to end in a browser: submit, take, comment on an action, ask for
changes, answer, resubmit, read the difference, approve; the section is then published."""

from playwright.sync_api import expect

from contracts.models import Action, HealthSection
from tests.browser.conftest import sign_in


def test_a_section_goes_from_draft_to_published_in_two_rounds(page, live_server, demo):
    section = HealthSection.objects.get(contract__code="CV2015-CAVM")
    section.reviews.all().delete()  # the demo's review in progress: start from a draft
    HealthSection.objects.filter(pk=section.pk).update(review_status="draft", is_published=False)
    action = Action.objects.filter(objective__section=section).order_by("pk").first()
    section_url = f"{live_server.url}/admin/contracts/healthsection/{section.pk}/change/"

    # The coordinator submits.
    sign_in(page, live_server, "coordination")
    page.goto(section_url)
    page.get_by_role("button", name="Soumettre à l'ARS").click()
    expect(page.locator(".messagelist")).to_contain_text("soumis à la relecture")
    round_1 = section.reviews.get()

    # The ARS reviewer takes it, comments on an action and asks for changes.
    page.context.clear_cookies()
    sign_in(page, live_server, "ars")
    page.goto(f"{live_server.url}/admin/contracts/review/{round_1.pk}/change/")
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.locator(".review-next-step")).to_contain_text("En cours d'examen")
    page.locator("#comments-group .add-row a").click()
    page.locator('select[name="comments-0-action"]').select_option(value=str(action.pk))
    page.locator('textarea[name="comments-0-body"]').fill("Quel public pour cette action ?")
    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    expect(page.locator(".field-discussion")).to_contain_text("Quel public pour cette action ?")
    page.get_by_role("button", name="Demander des compléments").click()
    expect(page.locator(".review-next-step")).to_contain_text("Compléments demandés")

    # The coordinator answers, edits the action and resubmits.
    page.context.clear_cookies()
    sign_in(page, live_server, "coordination")
    page.goto(f"{live_server.url}/admin/contracts/review/{round_1.pk}/change/")
    page.locator("#comments-group .add-row a").click()
    page.locator('select[name="comments-1-parent"]').select_option(index=1)
    page.locator('textarea[name="comments-1-body"]').fill("Les seniors isolés du quartier.")
    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    expect(page.locator(".field-discussion .review-thread .review-thread")).to_contain_text(
        "Les seniors isolés du quartier."
    )
    page.goto(f"{live_server.url}/admin/contracts/action/{action.pk}/change/")
    page.get_by_label("Intitulé").fill("Action auprès des seniors isolés")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("modifié avec succès")
    page.goto(section_url)
    page.get_by_role("button", name="Soumettre à nouveau à l'ARS").click()
    expect(page.locator(".messagelist")).to_contain_text("soumis à la relecture")
    round_2 = section.reviews.get(number=2)

    # The reviewer reads the difference and approves.
    page.context.clear_cookies()
    sign_in(page, live_server, "ars")
    page.goto(f"{live_server.url}/admin/contracts/review/{round_2.pk}/change/")
    page.get_by_role("link", name="Différences avec le tour précédent").click()
    changed = page.locator(".review-diff-changed").filter(has_text="Action auprès des seniors")
    expect(changed).to_be_visible()
    expect(changed.locator("del")).to_have_text(action.title)
    page.go_back()
    page.get_by_role("button", name="Prendre en charge").click()
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.locator(".review-next-step")).to_contain_text("Validé et publié")

    section.refresh_from_db()
    assert section.review_status == "approved" and section.is_published
    assert HealthSection.objects.published().filter(pk=section.pk).exists()
