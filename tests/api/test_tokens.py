"""Personal API tokens: hashed, shown once, expiring, revocable, logged (portal/api_tokens.py,
« Mes jetons d'API » in portal/token_views.py)."""

import datetime
import hashlib
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.api_tokens import (
    ApiToken,
    ApiTokenUse,
    TokenError,
    TokenScope,
    token_create,
    token_uses_prune,
)
from tests.api.conftest import bearer
from tests.api.probe import PROBE_URLCONF

SECRET = re.compile(r"vsc_[a-z0-9]{8}_[A-Za-z0-9_-]{43}")


def test_the_database_never_holds_the_secret(access_world):
    token, raw = token_create(owner=access_world.partner, name="Observatoire")

    assert SECRET.fullmatch(raw)
    assert raw.split("_")[1] == token.prefix
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(
        raw in str(value) or raw.split("_", 2)[2] in str(value) for value in stored.values()
    )


def test_two_tokens_never_share_a_prefix_or_a_secret(access_world):
    made = [token_create(owner=access_world.partner, name=f"t{i}") for i in range(20)]

    assert len({token.prefix for token, _ in made}) == len({raw for _, raw in made}) == 20


def test_expiry_defaults_to_90_days_and_may_not_pass_a_year(access_world):
    now = timezone.now()
    token, _ = token_create(owner=access_world.partner, name="Défaut", now=now)

    assert token.expires_at == now + datetime.timedelta(days=90)
    with pytest.raises(TokenError, match="365 jours"):
        token_create(
            owner=access_world.partner, name="Long", expires_at=now + datetime.timedelta(days=366)
        )
    with pytest.raises(TokenError, match="futur"):
        token_create(owner=access_world.partner, name="Passé", expires_at=now)


def test_only_writers_get_a_read_write_token(access_world):
    with pytest.raises(TokenError, match="jeton d'écriture"):
        token_create(owner=access_world.partner, name="x", scope=TokenScope.READ_WRITE)

    token, _ = token_create(owner=access_world.coordinator_a, name="x", scope=TokenScope.READ_WRITE)
    assert token.can_write


def test_a_token_territory_never_passes_its_owners(access_world):
    with pytest.raises(TokenError, match="dépasser le vôtre"):
        token_create(owner=access_world.coordinator_a, name="x", epcis=[access_world.epci_b])

    token, _ = token_create(owner=access_world.coordinator_a, name="x", epcis=[access_world.epci_a])
    assert list(token.epcis.all()) == [access_world.epci_a]


@pytest.mark.urls(PROBE_URLCONF)
def test_each_authenticated_request_is_logged_and_marks_the_last_use(api, access_world, make_token):
    raw = make_token(access_world.partner)
    token = ApiToken.objects.get()
    assert token.last_used_at is None

    api.get("/api/probe/probes/", **bearer(raw))
    api.get("/api/probe/probes/00000000-0000-0000-0000-000000000000/", **bearer(raw))
    api.get("/api/probe/probes/")  # anonymous: no token, no log

    token.refresh_from_db()
    assert token.last_used_at is not None
    uses = list(ApiTokenUse.objects.order_by("at", "pk").values_list("method", "path", "status"))
    assert uses == [
        ("GET", "/api/probe/probes/", 200),
        ("GET", "/api/probe/probes/00000000-0000-0000-0000-000000000000/", 404),
    ]


@pytest.mark.urls(PROBE_URLCONF)
def test_logging_a_use_costs_one_insert(api, access_world, make_token, django_assert_num_queries):
    raw = make_token(access_world.partner)
    api.get("/api/probe/probes/", **bearer(raw))  # sets last_used_at

    with CaptureQueriesContext(connection) as queries:
        api.get("/api/probe/probes/", **bearer(raw))

    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert len(writes) == 1 and "apitokenuse" in writes[0].lower()


def test_usage_rows_older_than_90_days_are_pruned(access_world, make_token):
    make_token(access_world.partner)
    token = ApiToken.objects.get()
    now = timezone.now()
    old = ApiTokenUse.objects.create(
        token=token, at=now - datetime.timedelta(days=91), method="GET", path="/a", status=200
    )
    recent = ApiTokenUse.objects.create(
        token=token, at=now - datetime.timedelta(days=89), method="GET", path="/b", status=200
    )

    assert token_uses_prune(now=now) == 1
    assert list(ApiTokenUse.objects.all()) == [recent]
    assert not ApiTokenUse.objects.filter(pk=old.pk).exists()
    out = io.StringIO()
    call_command("api_tokens_prune", stdout=out)
    assert out.getvalue() == "0 utilisation(s) de jetons d'API supprimée(s).\n"


@pytest.mark.urls(PROBE_URLCONF)
def test_a_token_stops_working_the_moment_it_expires(api, access_world):
    now = timezone.now()
    _, raw = token_create(
        owner=access_world.partner, name="Court", expires_at=now + datetime.timedelta(days=1)
    )

    assert api.get("/api/probe/probes/", **bearer(raw)).status_code == 200
    with time_machine.travel(now + datetime.timedelta(days=1, seconds=1)):
        assert api.get("/api/probe/probes/", **bearer(raw)).status_code == 401


# « Mes jetons d'API » -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("api-tokens"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account-login"))


def test_a_partner_signs_in_and_reaches_their_tokens(client, access_world):
    response = client.post(
        reverse("account-login") + "?next=/compte/jetons/",
        {"username": "partner", "password": "pw-p-1234!", "next": "/compte/jetons/"},
    )

    assert response.status_code == 302 and response["Location"] == "/compte/jetons/"
    page = client.get("/compte/jetons/")
    assert "Vous n'avez encore créé aucun jeton." in page.content.decode()


def test_the_secret_is_shown_once_at_creation(client, access_world):
    client.force_login(access_world.coordinator_a)

    created = client.post(
        reverse("api-token-new"),
        {
            "name": "SIG de l'agglomération",
            "scope": TokenScope.READ_WRITE,
            "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "epcis": [access_world.epci_a.pk],
        },
    )

    html = created.content.decode()
    raw = SECRET.search(html).group(0)
    assert "Copiez ce secret maintenant" in html
    assert created["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get()
    assert token.matches(raw) and token.scope == TokenScope.READ_WRITE
    assert list(token.epcis.all()) == [access_world.epci_a]
    for page in (reverse("api-tokens"), reverse("api-token", args=[token.prefix])):
        shown = client.get(page).content.decode()
        assert token.display_prefix in shown and raw not in shown
        assert raw.split("_", 2)[2] not in shown


def test_the_form_offers_only_what_the_user_may_have(client, access_world):
    client.force_login(access_world.partner)

    page = client.get(reverse("api-token-new")).content.decode()
    refused = client.post(
        reverse("api-token-new"),
        {
            "name": "x",
            "scope": TokenScope.READ_WRITE,
            "expires_on": (timezone.localdate() + datetime.timedelta(days=400)).isoformat(),
        },
    )

    assert 'value="read_write"' not in page
    assert refused.status_code == 400 and not ApiToken.objects.exists()
    errors = refused.content.decode()
    assert "Un jeton vaut au plus 365 jours." in errors
    assert "n&#x27;est pas un choix valide" in errors or "choix valide" in errors


def test_a_coordinator_may_not_choose_another_territory(client, access_world):
    client.force_login(access_world.coordinator_a)

    response = client.post(
        reverse("api-token-new"),
        {
            "name": "x",
            "scope": TokenScope.READ,
            "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "epcis": [access_world.epci_b.pk],
        },
    )

    assert response.status_code == 400 and not ApiToken.objects.exists()


@pytest.mark.urls(PROBE_URLCONF)
def test_revoking_takes_a_post_and_ends_access(client, api, access_world, make_token):
    raw = make_token(access_world.partner)
    token = ApiToken.objects.get()
    client.force_login(access_world.partner)
    revoke = reverse("api-token-revoke", args=[token.prefix])

    assert client.get(revoke).status_code == 405
    assert client.post(revoke).status_code == 302

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/probe/probes/", **bearer(raw)).status_code == 401
    assert "Révoqué" in client.get(reverse("api-tokens")).content.decode()


def test_revoking_needs_the_csrf_token(access_world, make_token):
    from django.test import Client

    make_token(access_world.partner)
    token = ApiToken.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(access_world.partner)

    assert client.post(reverse("api-token-revoke", args=[token.prefix])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_nobody_sees_or_revokes_the_token_of_someone_else(client, access_world, make_token):
    make_token(access_world.coordinator_b)
    token = ApiToken.objects.get()
    client.force_login(access_world.coordinator_a)

    assert client.get(reverse("api-token", args=[token.prefix])).status_code == 404
    assert client.post(reverse("api-token-revoke", args=[token.prefix])).status_code == 404
    assert token.name not in client.get(reverse("api-tokens")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_usage_log_is_paginated(client, access_world, make_token):
    make_token(access_world.partner)
    token = ApiToken.objects.get()
    ApiTokenUse.objects.bulk_create(
        ApiTokenUse(token=token, method="GET", path=f"/api/v1/n{i}/", status=200)
        for i in range(120)
    )
    client.force_login(access_world.partner)

    first = client.get(reverse("api-token", args=[token.prefix])).content.decode()
    last = client.get(reverse("api-token", args=[token.prefix]) + "?page=3").content.decode()
    garbage = client.get(reverse("api-token", args=[token.prefix]) + "?page=zzz")

    assert first.count("<code>/api/v1/n") == 50 and "page 1 sur 3" in first
    assert last.count("<code>/api/v1/n") == 20
    assert garbage.status_code == 200


def test_the_token_pages_query_count_does_not_grow_with_tokens(
    client, access_world, make_token, django_assert_max_num_queries
):
    client.force_login(access_world.coordinator_a)
    make_token(access_world.coordinator_a, epcis=[access_world.epci_a])
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("api-tokens"))
    for i in range(10):
        make_token(access_world.coordinator_a, name=f"n{i}", epcis=[access_world.epci_a])

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api-tokens"))


def test_administrators_read_every_token_and_revoke_from_the_admin(
    client, access_world, make_token
):
    make_token(access_world.coordinator_b, name="Du voisin")
    token = ApiToken.objects.get()
    client.force_login(access_world.admin)

    listing = client.get(reverse("admin:portal_apitoken_changelist")).content.decode()
    response = client.post(
        reverse("admin:portal_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )

    assert "Du voisin" in listing
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("admin:portal_apitokenuse_changelist")).status_code == 200


def test_coordinators_do_not_see_the_tokens_admin(client, access_world):
    client.force_login(access_world.coordinator_a)

    assert client.get(reverse("admin:portal_apitoken_changelist")).status_code == 403
