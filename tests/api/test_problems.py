"""Every API error is an RFC 9457 problem detail in French (portal/api/problems.py), never a
500: validation, parse errors, unknown addresses, methods, formats, content types, huge bodies."""

import json

import pytest

from portal.api.problems import flatten_errors
from portal.api_tokens import TokenScope
from tests.api.conftest import bearer
from tests.api.probe import PROBE_URLCONF

pytestmark = pytest.mark.urls(PROBE_URLCONF)
KEYS = {"type", "title", "status", "detail", "instance"}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert set(body) >= KEYS and body["status"] == status
    assert body["type"].startswith("http://testserver/api/guide/#erreur-")
    return body


@pytest.fixture
def writer(api, access_world, make_token):
    api.credentials(**bearer(make_token(access_world.coordinator_a, TokenScope.READ_WRITE)))
    return api


def test_validation_errors_list_each_field_in_french(writer, access_world):
    response = writer.patch(
        f"/api/probe/probes/{access_world.scheme_a.uid}/",
        {"name": "", "kind": "nope"},
        format="json",
    )

    body = problem(response, 400)
    assert body["type"].endswith("#erreur-validation")
    assert body["title"] == "Données invalides"
    assert body["instance"] == f"/api/probe/probes/{access_world.scheme_a.uid}/"
    fields = {error["field"]: error["detail"] for error in body["errors"]}
    assert fields["name"] == "Ce champ ne peut être vide."
    assert "n'est pas un choix valide" in fields["kind"]
    assert body["detail"] == "2 erreurs dans les données envoyées : voir « errors »."


def test_nested_errors_are_flattened_with_their_path():
    rows = flatten_errors(
        {"name": ["Requis."], "roles": [{}, {"fte": ["Trop grand."]}], "non_field_errors": ["X"]}
    )

    assert rows == [
        {"field": "name", "detail": "Requis."},
        {"field": "roles[1].fte", "detail": "Trop grand."},
        {"field": None, "detail": "X"},
    ]


def test_bad_json_is_a_parse_problem_not_a_500(writer):
    response = writer.post("/api/probe/probes/", "{not json", content_type="application/json")

    body = problem(response, 400)
    assert body["type"].endswith("#erreur-syntaxe")
    assert "JSON" in body["detail"]


def test_a_wrong_content_type_is_415(writer):
    response = writer.post("/api/probe/probes/", "name=x", content_type="text/plain")

    body = problem(response, 415)
    assert "text/plain" in body["detail"]


def test_a_body_over_the_limit_is_413_before_anyone_reads_it(writer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = json.dumps({"name": "x" * 5000})

    response = writer.post("/api/probe/probes/", payload, content_type="application/json")

    body = problem(response, 413)
    assert "1000 octets" in body["detail"]


def test_an_unknown_address_under_api_is_a_404_problem(api):
    body = problem(api.get("/api/v1/nothing-here/"), 404)

    assert body["detail"] == "Aucune ressource ne correspond à cette adresse."
    assert problem(api.post("/api/nope/", {}), 404)["instance"] == "/api/nope/"


def test_an_address_missing_its_final_slash_is_redirected(api):
    response = api.get("/api/probe/probes?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/api/probe/probes/?page=2"


def test_an_unknown_row_is_a_404_problem(api, db):
    body = problem(api.get("/api/probe/probes/00000000-0000-0000-0000-000000000000/"), 404)

    assert body["type"].endswith("#erreur-introuvable")


def test_a_method_the_resource_lacks_is_405(writer):
    response = writer.put("/api/v1/", {}, format="json")

    detail = problem(response, 405)["detail"]
    assert "PUT" in detail and detail.endswith("non autorisée.")
    assert "GET" in response["Allow"]


def test_an_unavailable_format_is_406(api, access_world):
    response = api.get("/api/probe/probes/", HTTP_ACCEPT="application/x-nothing")

    problem(response, 406)


def test_the_server_error_of_an_api_view_is_a_problem_too(api, monkeypatch, settings):
    from tests.api import probe

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(probe.ProbeViewSet, "list", broken)
    api.raise_request_exception = False

    body = problem(api.get("/api/probe/probes/"), 500)

    assert body["title"] == "Erreur du serveur"
    assert "boom" not in json.dumps(body)
