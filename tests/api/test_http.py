"""What the API's responses carry besides their data: throttling (429 + Retry-After), CORS for
partners' browser clients, ETag and 304, gzip limited to data (portal/api/middleware.py)."""

import gzip
import json

import pytest
from rest_framework.settings import api_settings

from portal.api_tokens import TokenScope
from tests.api.conftest import bearer
from tests.api.probe import PROBE_URLCONF

pytestmark = pytest.mark.urls(PROBE_URLCONF)
LIST = "/api/probe/probes/"


@pytest.fixture
def rates(settings):
    """Low rates for one test (DRF reloads its settings when they change)."""

    def set_rates(**rates):
        wanted = {"anon": "1000/minute", "token": "1000/minute", "write": "1000/minute", **rates}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": wanted}
        assert wanted == api_settings.DEFAULT_THROTTLE_RATES

    return set_rates


def test_anonymous_clients_are_throttled_per_address(api, access_world, rates):
    rates(anon="2/minute")

    statuses = [api.get(LIST, REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]
    other_address = api.get(LIST, REMOTE_ADDR="10.0.0.2")

    assert statuses == [200, 200, 429]
    assert other_address.status_code == 200


def test_a_throttled_client_learns_when_to_come_back_in_french(api, access_world, rates):
    rates(anon="1/minute")
    api.get(LIST)

    response = api.get(LIST)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = json.loads(response.content)
    assert response["Content-Type"] == "application/problem+json"
    assert body["type"].endswith("/api/guide/#erreur-limite")
    assert body["title"] == "Trop de requêtes"
    assert "secondes" in body["detail"] or "seconde" in body["detail"]


def test_tokens_are_counted_apart_from_the_address(api, access_world, make_token, rates):
    rates(anon="1/minute", token="2/minute")
    first, second = make_token(access_world.partner), make_token(access_world.partner, name="2")

    api.get(LIST)
    statuses = [api.get(LIST, **bearer(first)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert api.get(LIST, **bearer(second)).status_code == 200


def test_writes_have_a_stricter_burst(api, access_world, make_token, rates):
    rates(token="100/minute", write="1/minute")
    raw = make_token(access_world.coordinator_a, TokenScope.READ_WRITE)
    target = f"{LIST}{access_world.scheme_a.uid}/"

    first = api.patch(target, {"name": "Un"}, format="json", **bearer(raw))
    second = api.patch(target, {"name": "Deux"}, format="json", **bearer(raw))

    assert first.status_code == 200
    assert second.status_code == 429 and "Retry-After" in second
    assert api.get(target, **bearer(raw)).status_code == 200  # reads still pass


def test_rates_come_from_the_environment(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import portal.settings as portal_settings

    monkeypatch.setenv("API_RATE_ANON", "5/second")
    try:
        assert (
            importlib.reload(portal_settings).REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
            == "5/second"
        )
        monkeypatch.setenv("API_RATE_ANON", "beaucoup")
        with pytest.raises(ImproperlyConfigured, match="API_RATE_ANON"):
            importlib.reload(portal_settings)
    finally:
        monkeypatch.delenv("API_RATE_ANON")
        importlib.reload(portal_settings)


# CORS ----------------------------------------------------------------------------------------

PARTNER = "https://observatoire.example.fr"


def test_an_allowed_origin_passes_the_preflight(api, settings, db):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]

    response = api.options(
        LIST,
        HTTP_ORIGIN=PARTNER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_partners_scripts_read_the_etag_retry_after_and_link(api, settings, access_world):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]

    response = api.get(LIST, HTTP_ORIGIN=PARTNER)

    assert response["Access-Control-Allow-Origin"] == PARTNER
    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert exposed == {"etag", "retry-after", "link"}


def test_no_origin_is_allowed_by_default_nor_outside_the_api(api, settings, access_world):
    assert settings.CORS_ALLOWED_ORIGINS == []

    unknown = api.get(LIST, HTTP_ORIGIN=PARTNER)
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]
    page = api.get("/", HTTP_ORIGIN=PARTNER)

    assert "Access-Control-Allow-Origin" not in unknown
    assert "Access-Control-Allow-Origin" not in page


# ETag, 304, gzip -----------------------------------------------------------------------------


def test_reads_carry_an_etag_and_answer_304_when_unchanged(api, access_world):
    first = api.get(LIST)
    etag = first["ETag"]

    again = api.get(LIST, HTTP_IF_NONE_MATCH=etag)
    access_world.scheme_a.name = "Changé"
    access_world.scheme_a.save()
    changed = api.get(LIST, HTTP_IF_NONE_MATCH=etag)

    assert etag.startswith('"') and len(etag) > 10
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_304_keeps_the_cors_headers(api, settings, access_world):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]
    etag = api.get(LIST, HTTP_ORIGIN=PARTNER)["ETag"]

    response = api.get(LIST, HTTP_ORIGIN=PARTNER, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["Access-Control-Allow-Origin"] == PARTNER


def test_the_compressed_etag_still_validates(api, access_world):
    from tests.devices.factories import SchemeFactory

    SchemeFactory.create_batch(5, is_published=True)
    weak = api.get(LIST, HTTP_ACCEPT_ENCODING="gzip")["ETag"]

    response = api.get(LIST, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=weak)

    assert weak.startswith('W/"')
    assert response.status_code == 304


def test_api_data_is_gzipped_when_accepted(api, access_world):
    from tests.devices.factories import SchemeFactory

    SchemeFactory.create_batch(10, is_published=True)

    plain = api.get(LIST)
    packed = api.get(LIST, HTTP_ACCEPT_ENCODING="gzip, deflate")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    # "gzip;q=0" refuses gzip (RFC 9110 §12.5.3), though the word is there.
    refused = api.get(LIST, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in refused
    assert refused.json() == plain.json()


def test_html_pages_are_never_gzipped(client, db):
    # BREACH: a compressed page holding a CSRF token and reflected input leaks the token.
    for path in ("/api/guide/?q=" + "x" * 300, "/api/docs/", "/api/docs/?script="):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response, path


def test_geojson_is_gzipped_outside_the_api_too(rf):
    from django.http import HttpResponse

    from portal.api.middleware import ApiMiddleware

    body = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}] * 50})
    middleware = ApiMiddleware(
        lambda request: HttpResponse(body, content_type="application/geo+json")
    )

    response = middleware(rf.get("/quartiers/contours.geojson", HTTP_ACCEPT_ENCODING="gzip"))

    assert response["Content-Encoding"] == "gzip"


def test_writes_carry_no_etag_logic(api, access_world, make_token):
    raw = make_token(access_world.coordinator_a, TokenScope.READ_WRITE)
    target = f"{LIST}{access_world.scheme_a.uid}/"
    etag = api.get(target)["ETag"]

    response = api.patch(
        target, {"name": "N"}, format="json", HTTP_IF_NONE_MATCH=etag, **bearer(raw)
    )

    assert response.status_code == 200
