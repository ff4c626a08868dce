from playwright.sync_api import expect

from contracts.models import Review
from tests.browser.conftest import sign_in


def test_an_ars_reviewer_opens_a_review_with_a_comment_signed_by_themselves(
    page, live_server, demo
):
    sign_in(page, live_server, "ars")

    page.goto(live_server.url + "/admin/contracts/review/add/")
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-search__field").fill("Lille")
    page.get_by_role("option", name="Contrat de ville de la Métropole Européenne de Lille").click()
    page.get_by_label("Statut").select_option(label="En cours d'examen")
    page.locator("#comments-group .add-row a").click()
    page.locator('textarea[name="comments-0-body"]').fill("Diagnostic à compléter sur Roubaix.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("a été ajouté avec succès")
    review = Review.objects.get(section__contract__code="CV2015-MEL")
    page.goto(f"{live_server.url}/admin/contracts/review/{review.pk}/change/")
    comment = page.locator("#comments-group .inline-related").filter(
        has_text="Diagnostic à compléter sur Roubaix."
    )
    expect(comment.locator(".field-author .readonly")).to_have_text("ars")
    expect(page.locator(".field-reviewer .readonly")).to_have_text("ars")
    assert review.reviewer.username == "ars"
    assert review.comments.get().author.username == "ars"
