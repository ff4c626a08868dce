"""Headless Chromium from Debian's package, driven by Playwright; no browser is downloaded."""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

from portal.demo import demo_load

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it (creating users, rows) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium: run `make test` (it installs Debian's "
            "chromium) or `scripts/install-system-deps --test`."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="fr-FR")
    allowed = urlparse(live_server.url).netloc

    # Tests never reach the network: anything not served by the live server is refused.
    def only_live_server(route):
        if urlparse(route.request.url).netloc == allowed:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def run(page, impacts=("serious", "critical")) -> list[dict]:
        # static/js/admin-a11y.js names the autocomplete boxes once the page has loaded.
        if page.locator("select.admin-autocomplete").count():
            page.wait_for_function("() => document.documentElement.dataset.autocompleteNamed")
        results = axe.run(page)
        return [v for v in results.response["violations"] if v.get("impact") in impacts]

    return run


@pytest.fixture
def demo(transactional_db):
    demo_load(with_accounts=True)


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill("demo")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Administration du portail")).to_be_visible()
