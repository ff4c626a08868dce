"""The API's documentation: OpenAPI schema (valid, warning-free, in French), Swagger UI and
Redoc from local files under the strict CSP, the guide page and its error anchors."""

import io
import re

import pytest
import yaml
from django.core.management import call_command
from django.test import override_settings

from portal.api.problems import ANCHORS, PARSE, VALIDATION
from tests.api.probe import PROBE_URLCONF


@pytest.mark.parametrize("urlconf", ["portal.urls", PROBE_URLCONF])
def test_the_schema_generates_with_no_warning_and_validates(urlconf):
    out = io.StringIO()

    # Fails (SystemExit) on any warning drf-spectacular raises: an undocumented field, a
    # serializer it cannot guess, a filter without a type… for every resource of the router
    # (and for the test-only resource: the access machinery itself adds no warning).
    with override_settings(ROOT_URLCONF=urlconf):
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out
        )


@pytest.mark.urls(PROBE_URLCONF)  # a resource at least, whose security the schema describes
def test_the_schema_describes_the_api_in_french(client, db):
    response = client.get("/api/schema/")
    schema = yaml.safe_load(response.content)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="openapi-volets-sante.yaml"'
    info = schema["info"]
    assert info["title"] == "API des volets santé des contrats de ville"
    assert info["license"]["name"] == "Licence Ouverte 2.0 (Etalab)"
    assert schema["servers"] == [{"url": "http://testserver", "description": "Ce portail"}]
    assert schema["components"]["securitySchemes"]["jetonApi"]["scheme"] == "bearer"
    assert {tag["name"] for tag in schema["tags"]} >= {"Territoires", "Dispositifs", "Contrats"}
    probes = schema["paths"]["/api/probe/probes/"]
    assert probes["get"]["security"] == [{"jetonApi": []}, {}]  # reading needs no token
    assert probes["post"]["security"] == [{"jetonApi": []}]


def test_the_schema_is_also_served_as_json(client, db):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_use_local_files_and_no_inline_code(client, db, path):
    response = client.get(path)
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "<style" not in html and " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # no inline script
    assert "cdn" not in html.lower() and "googleapis" not in html
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), src


def test_swagger_ui_gets_its_set_up_script_apart(client, db):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_the_redoc_bundle_fetches_nothing_from_redocly(client, db):
    response = client.get("/api/redoc/redoc.standalone.js")
    body = response.content.decode()

    assert response.status_code == 200
    assert "cdn.redoc.ly" not in body and "Redoc" in body


def test_only_the_docs_pages_relax_the_policy_and_only_for_styles_images_workers(client, db):
    redoc = client.get("/api/redoc/")["Content-Security-Policy"]
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    guide = client.get("/api/guide/")["Content-Security-Policy"]

    for policy in (redoc, docs, guide):
        script = re.search(r"script-src ([^;]*)", policy).group(1)
        assert "unsafe" not in script and "blob:" not in script
    assert "'nonce-" in re.search(r"style-src ([^;]*)", redoc).group(1)
    assert "data:" in re.search(r"img-src ([^;]*)", docs).group(1)
    # The guide relaxes nothing: its policy is the site's (which allows data: images since the
    # DSFR logo is one).
    site = client.get("/api/does-not-exist/")["Content-Security-Policy"]
    assert guide == site
    assert "blob:" not in guide


def test_the_guide_documents_every_error_type_the_api_answers(client, db):
    html = client.get("/api/guide/").content.decode()

    for anchor, _title in [*ANCHORS.values(), VALIDATION, PARSE]:
        assert f'id="{anchor}"' in html, anchor


@override_settings(
    REST_FRAMEWORK={
        "DEFAULT_THROTTLE_RATES": {"anon": "7/minute", "token": "70/hour", "write": "3/second"}
    }
)
def test_the_guide_shows_the_configured_rates(client, db):
    html = client.get("/api/guide/").content.decode()

    assert "7 requêtes par minute" in html
    assert "70 requêtes par heure" in html
    assert "3 requêtes par seconde" in html


def test_the_guide_is_in_the_public_menu_and_layout(client, db):
    html = client.get("/").content.decode() if client.get("/").status_code == 200 else ""
    guide = client.get("/api/guide/").content.decode()

    assert 'href="/api/guide/" aria-current="page">API</a>' in guide
    assert "fr-header" in guide and "Mes jetons d'API" in guide
    assert "Licence Ouverte 2.0" in guide and "INSEE" in guide and "DGCL" in guide
    assert guide.count('class="fr-breadcrumb__link"') == 2  # Accueil › Guide de l'API
    assert html == "" or 'href="/api/guide/"' in html


def test_the_api_index_links_its_documents(client, db):
    body = client.get("/api/").json()

    assert body["guide"] == "http://testserver/api/guide/"
    assert body["schema"] == "http://testserver/api/schema/"


def test_every_example_address_of_the_guide_answers(client, db):
    """The guide's examples are the real resources and filters: each GET answers 200 JSON (or
    the export asked), the batch lookup answers its POST."""
    import html as html_module
    import json

    page = html_module.unescape(client.get("/api/guide/").content.decode())
    examples = re.findall(r"curl ([^\n]*?)\"http://testserver(/api/v1/[^\"]*)\"", page)
    paths = {path for _, path in examples}

    assert {"/api/v1/schemes/?department=59", "/api/v1/neighbourhoods/locate/"} <= paths
    assert any("format=geojson" in path for path in paths)
    assert any("/deleted/?since=" in path for path in paths)
    for options, path in examples:
        if "-X POST" in options:
            body = re.search(r"-d '([^']*)'", options).group(1)
            response = client.post(path, body, content_type="application/json")
        else:
            accept = "application/geo+json" if "geo+json" in options else "*/*"  # as curl
            response = client.get(path, HTTP_ACCEPT=accept)
        assert response.status_code == 200, (path, response.content[:300])
        if "format=" not in path and "geo+json" not in options:
            json.loads(response.content)
