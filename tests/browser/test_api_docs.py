"""The API's documentation and « Mes jetons d'API » in Chromium, under the production CSP:
Swagger UI and Redoc render from local files, nothing is requested off the portal; a partner
signs in, creates a token, copies its secret once and calls the API with it."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from portal.accounts import account_create
from portal.enums import UserRole

LISTEN_TO_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(page, live_server):
    page.violations, page.foreign = [], []
    own = urlparse(live_server.url).netloc
    page.add_init_script(LISTEN_TO_VIOLATIONS)
    page.on(
        "console",
        lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on(
        "request",
        lambda r: (
            page.foreign.append(r.url)
            if urlparse(r.url).netloc != own and not r.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    return page


def violations(page) -> list[str]:
    return page.violations + page.evaluate("window.cspViolations")


def test_swagger_ui_renders_from_local_files_without_violation(watched, live_server, db):
    watched.goto(live_server.url + "/api/docs/")

    expect(watched.locator(".swagger-ui .info .title")).to_contain_text(
        "API des volets santé des contrats de ville"
    )
    expect(watched.locator(".swagger-ui .info")).to_contain_text("Licence Ouverte 2.0")
    assert violations(watched) == []
    assert watched.foreign == []


def test_redoc_renders_from_local_files_without_violation(watched, live_server, db):
    watched.goto(live_server.url + "/api/redoc/")

    expect(watched.locator("h1").first).to_contain_text(
        "API des volets santé des contrats de ville"
    )
    watched.wait_for_timeout(500)  # the search worker starts after the first render
    assert violations(watched) == []
    assert watched.foreign == []


def test_a_partner_creates_a_token_and_calls_the_api_with_it(
    watched, live_server, transactional_db, axe_violations
):
    account_create(username="observatoire", password="Obs-2026-api!", role=UserRole.PARTNER)
    page = watched

    page.goto(live_server.url + "/api/guide/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Mes jetons d'API").first.click()
    page.get_by_label("Nom d’utilisateur").fill("observatoire")
    page.get_by_label("Mot de passe").fill("Obs-2026-api!")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mes jetons d'API")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Créer un jeton").click()
    assert axe_violations(page) == []
    page.get_by_label("Nom du jeton").fill("Tableau de bord de l'observatoire")
    page.get_by_role("button", name="Créer le jeton").click()
    secret = page.get_by_label("Secret du jeton").input_value()
    assert re.fullmatch(r"vsc_[a-z0-9]{8}_\S{43}", secret)
    assert axe_violations(page) == []

    answer = page.request.get(
        live_server.url + "/api/v1/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 200
    page.goto(live_server.url + "/compte/jetons/")
    expect(page.get_by_role("table")).to_contain_text("Tableau de bord de l'observatoire")
    assert secret not in page.content()
    # Only the public layout's DSFR data: images (a site-wide img-src matter) may be refused.
    assert [v for v in violations(page) if "data:" not in v and "img-src" not in v] == []
    assert page.foreign == []
