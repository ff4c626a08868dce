import re

import pytest
from django.urls import reverse

from neighbourhoods.models import Neighbourhood

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        name: value.strip()
        for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))
    }


def test_pages_allow_only_the_portals_own_scripts_styles_and_frames(client):
    response = client.get("/")

    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["img-src"] == "'self' data:"


def test_pages_refuse_framing_sniffing_referrers_and_browser_features(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    assert "geolocation=()" in permissions
    assert "camera=()" in permissions
    assert "microphone=()" in permissions


def test_https_responses_ask_browsers_to_stay_on_https_for_a_year(client):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    page = client.get("/")
    health = client.get("/healthz")

    assert page.status_code == 301
    assert page["Location"] == "https://testserver/"
    assert health.status_code == 200


def test_https_ended_at_the_proxy_is_recognised_from_its_header(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_map_widget_scripts_carry_the_nonce_of_the_policy(demo_data, client):
    client.login(username="admin", password="demo")
    neighbourhood = Neighbourhood.objects.get(code="QN00216M")

    response = client.get(
        reverse("admin:neighbourhoods_neighbourhood_change", args=[neighbourhood.pk])
    )

    nonce = re.fullmatch(r"'self' 'nonce-([^']+)'", directives(response)["script-src"])
    assert nonce, directives(response)["script-src"]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    executable = [attrs for attrs in inline_scripts if "application/json" not in attrs]
    assert executable, "the map widget has no inline script any more: is this test still useful?"
    assert all(f'nonce="{nonce.group(1)}"' in attrs for attrs in executable), executable
