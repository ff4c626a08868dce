"""Tokens authenticate, scopes and territories bound writes (portal.api.authentication,
portal.api.permissions, portal.api.access), through a test-only resource (tests/api/probe.py)."""

import json

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from portal.api import access
from portal.api_tokens import ApiToken, TokenScope
from tests.api.conftest import bearer
from tests.api.probe import PROBE_URLCONF

pytestmark = pytest.mark.urls(PROBE_URLCONF)


def url(scheme=None) -> str:
    return f"/api/probe/probes/{scheme.uid}/" if scheme else "/api/probe/probes/"


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


def test_anonymous_reads_published_rows_only(api, access_world):
    listed = api.get(url())
    hidden = api.get(url(access_world.draft))

    assert listed.status_code == 200
    assert {row["name"] for row in listed.json()["results"]} == {
        access_world.scheme_a.name,
        access_world.scheme_b.name,
    }
    assert hidden.status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        "Bearer vsc_abcdefgh_nothing",
        "Bearer garbage",
        "Bearer",
        "Bearer a b",
        "bearer vsc_\xe9\xe9\xe9",
    ],
)
def test_an_unknown_or_malformed_token_is_refused_never_anonymous(api, access_world, header):
    response = api.get(url(), HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = problem(response)
    assert body["status"] == 401 and body["type"].endswith("/api/guide/#erreur-authentification")


def test_a_token_with_a_wrong_secret_but_a_real_prefix_is_refused(api, access_world, make_token):
    raw = make_token(access_world.partner)
    forged = raw[: raw.rindex("_") + 1] + "x" * 43

    assert api.get(url(), **bearer(forged)).status_code == 401
    assert api.get(url(), **bearer(raw)).status_code == 200


def test_expired_and_revoked_tokens_are_refused_in_french(api, access_world, make_token):
    expired = api.get(url(), **bearer(make_token(access_world.partner, expired=True)))
    revoked = api.get(url(), **bearer(make_token(access_world.partner, revoked=True)))

    assert expired.status_code == revoked.status_code == 401
    assert "a expiré le" in problem(expired)["detail"]
    assert "a été révoqué le" in problem(revoked)["detail"]
    assert revoked["WWW-Authenticate"].startswith("Bearer")


def test_the_token_of_a_deactivated_account_is_refused(api, access_world, make_token):
    raw = make_token(access_world.partner)
    access_world.partner.is_active = False
    access_world.partner.save()

    assert api.get(url(), **bearer(raw)).status_code == 401


def test_other_authorization_schemes_are_left_alone(api, access_world):
    # A staging server behind a reverse proxy's Basic authentication still answers.
    assert api.get(url(), HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").status_code == 200


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_anonymous_clients_never_write(api, access_world, method):
    response = getattr(api, method)(
        url(access_world.scheme_a) if method != "post" else url(), {"name": "X"}, format="json"
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert problem(response)["detail"].startswith("Authentification requise")


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_a_read_token_never_writes_even_its_owners_territory(api, access_world, make_token, method):
    raw = make_token(access_world.coordinator_a, TokenScope.READ)
    target = url(access_world.scheme_a) if method != "post" else url()

    response = getattr(api, method)(target, {"name": "X"}, format="json", **bearer(raw))

    assert response.status_code == 403
    body = problem(response)
    assert "lecture seule" in body["detail"]
    assert body["type"].endswith("#erreur-permission")
    access_world.scheme_a.refresh_from_db()
    assert access_world.scheme_a.name != "X"


def test_a_read_write_token_writes_its_territory_and_not_another(api, access_world, make_token):
    raw = make_token(access_world.coordinator_a, TokenScope.READ_WRITE)

    own = api.patch(url(access_world.scheme_a), {"name": "Renommé"}, format="json", **bearer(raw))
    other = api.patch(url(access_world.scheme_b), {"name": "Pirate"}, format="json", **bearer(raw))

    assert own.status_code == 200
    assert other.status_code == 403
    assert "autre territoire" in problem(other)["detail"]
    access_world.scheme_b.refresh_from_db()
    assert access_world.scheme_b.name != "Pirate"


def test_a_token_limited_to_part_of_the_territory_writes_only_that_part(
    api, access_world, make_token
):
    from neighbourhoods.models import Epci
    from tests.neighbourhoods.factories import CommuneFactory

    second = CommuneFactory().epci
    access_world.coordinator_a.epcis.add(second)
    raw = make_token(access_world.coordinator_a, TokenScope.READ_WRITE, epcis=[second])
    assert Epci.objects.filter(pk=second.pk).exists()

    refused = api.patch(url(access_world.scheme_a), {"name": "Y"}, format="json", **bearer(raw))

    assert refused.status_code == 403
    assert "ne couvre pas" in problem(refused)["detail"]
    access_world.scheme_a.epcis.add(second)
    allowed = api.patch(url(access_world.scheme_a), {"name": "Y"}, format="json", **bearer(raw))
    assert allowed.status_code == 200


def test_a_token_of_a_coordinator_who_lost_their_role_writes_nothing(api, access_world, make_token):
    raw = make_token(access_world.coordinator_a, TokenScope.READ_WRITE)
    access_world.coordinator_a.role = "partner"
    access_world.coordinator_a.save()

    response = api.patch(url(access_world.scheme_a), {"name": "Z"}, format="json", **bearer(raw))

    assert response.status_code == 403


def test_creation_is_checked_against_the_token_territory(api, access_world, make_token):
    from devices.models import Scheme
    from tests.devices.factories import OrganisationFactory

    raw = make_token(access_world.admin, TokenScope.READ_WRITE, epcis=[access_world.epci_a])
    request = Request(RequestFactory().post("/"))
    request.user = access_world.admin
    request._auth = ApiToken.objects.get(owner=access_world.admin)

    outside = Scheme(kind="ASV", name="Hors territoire", carrier=OrganisationFactory())
    inside_values = {"epcis": [access_world.epci_a.pk]}

    assert access.write_refusal(request, outside, "create") is not None
    assert access.can_write(request, outside, "create", inside_values)
    assert raw.startswith("vsc_")


def test_writable_scope_is_the_policy_intersected_with_the_token(access_world, make_token):
    from devices.models import Scheme

    make_token(access_world.admin, TokenScope.READ_WRITE, epcis=[access_world.epci_b])
    make_token(access_world.coordinator_a, TokenScope.READ_WRITE, name="coord")
    make_token(access_world.coordinator_a, TokenScope.READ, name="read")

    def scope(user, token):
        request = Request(RequestFactory().patch("/"))
        request.user, request._auth = user, token
        return set(access.writable_scope(request, Scheme.objects.all()))

    admin_token = ApiToken.objects.get(owner=access_world.admin)
    coord = ApiToken.objects.get(name="coord")
    read = ApiToken.objects.get(name="read")
    assert scope(access_world.admin, admin_token) == {access_world.scheme_b}
    assert scope(access_world.coordinator_a, coord) == {access_world.scheme_a, access_world.draft}
    assert scope(access_world.coordinator_a, read) == set()


def test_session_writes_need_the_csrf_token(access_world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.login(username="coord-a", password="pw-a-1234!")

    response = client.patch(
        url(access_world.scheme_a), json.dumps({"name": "S"}), content_type="application/json"
    )

    assert response.status_code == 403
    assert "CSRF" in problem(response)["detail"]
