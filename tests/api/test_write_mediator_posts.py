"""Writes through the API follow the admin's rules: a coordinator changes the mediator posts of
their territory, not another's, and never attaches a row of another territory."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from devices.models import MediatorPost
from portal.api_tokens import TokenScope, may_write_through_api, token_create
from tests.api.write_world import write_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return write_world()


def client_of(user=None, scope=TokenScope.READ_WRITE, **token) -> APIClient:
    """A client with a token of ``user`` (none for the anonymous visitor)."""
    client = APIClient()
    if user is not None and user.is_authenticated:
        if scope == TokenScope.READ_WRITE and not may_write_through_api(user):
            scope = TokenScope.READ
        _, raw = token_create(owner=user, name="Test", scope=scope, **token)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def field_errors(response) -> dict:
    """The problem detail's field errors, by field (None: the whole object)."""
    assert response["Content-Type"].startswith("application/problem+json")
    errors: dict = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["field"], []).append(error["detail"])
    return errors


def url(post) -> str:
    return f"/api/v1/mediator-posts/{post.uid}/"


def test_a_coordinator_updates_a_mediator_post_of_their_territory(world):
    response = client_of(world["coordinator_a"]).patch(
        url(world.post_a), {"renewals": 1, "end_date": "2021-12-31"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["renewals"] == 1
    world.post_a.refresh_from_db()
    assert world.post_a.renewals == 1
    last = world.post_a.history.latest()
    assert last.history_user == world["coordinator_a"]
    assert last.history_type == "~"


def test_a_coordinator_cannot_update_a_post_of_another_territory(world):
    response = client_of(world["coordinator_a"]).patch(
        url(world.post_b), {"renewals": 1}, format="json"
    )

    assert response.status_code == 403
    assert "territoire" in response.content.decode()
    world.post_b.refresh_from_db()
    assert world.post_b.renewals == 0


def test_attaching_a_neighbourhood_of_another_territory_is_refused_on_the_field(world):
    response = client_of(world["coordinator_a"]).patch(
        url(world.post_a), {"neighbourhoods": ["QN05901A", "QN05901B"]}, format="json"
    )

    assert response.status_code == 400
    assert "n'est pas dans votre territoire" in str(field_errors(response)["neighbourhoods"])
    assert list(world.post_a.neighbourhoods.values_list("code", flat=True)) == ["QN05901A"]


def test_the_model_rules_answer_in_french_on_their_field(world):
    response = client_of(world["coordinator_a"]).patch(
        url(world.post_a), {"end_date": "2030-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "se termine au plus tard" in str(field_errors(response)["end_date"])


def test_the_shares_must_total_100(world):
    response = client_of(world["coordinator_a"]).patch(
        url(world.post_a), {"state_share": "80"}, format="json"
    )

    assert response.status_code == 400
    assert "100" in response.content.decode()


@pytest.mark.parametrize("persona", ["ars", "partner"])
def test_roles_that_do_not_write_are_refused(world, persona):
    response = client_of(world[persona]).patch(url(world.post_a), {"renewals": 1}, format="json")

    assert response.status_code == 403
    world.post_a.refresh_from_db()
    assert world.post_a.renewals == 0


def test_an_anonymous_write_asks_for_authentication(world):
    response = client_of().patch(url(world.post_a), {"renewals": 1}, format="json")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_read_token_never_writes(world):
    response = client_of(world["coordinator_a"], scope=TokenScope.READ).patch(
        url(world.post_a), {"renewals": 1}, format="json"
    )

    assert response.status_code == 403
    assert "lecture seule" in response.json()["detail"]
    world.post_a.refresh_from_db()
    assert world.post_a.renewals == 0


@pytest.mark.parametrize("state", ["expired_at", "revoked_at"])
def test_an_expired_or_revoked_token_is_refused_with_401(world, state):
    token, raw = token_create(
        owner=world["coordinator_a"], name="Vieux", scope=TokenScope.READ_WRITE
    )
    if state == "expired_at":
        token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    else:
        token.revoked_at = timezone.now()
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = client.patch(url(world.post_a), {"renewals": 1}, format="json")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    world.post_a.refresh_from_db()
    assert world.post_a.renewals == 0


def test_a_token_limited_to_a_commune_attaches_nothing_outside_it(world):
    # The coordinator's territory covers both neighbourhoods of EPCI A; the token, one commune.
    from tests.neighbourhoods.factories import CommuneFactory, NeighbourhoodFactory

    other_commune = CommuneFactory(epci=world.epci_a)
    NeighbourhoodFactory(code="QN05901C", epci=world.epci_a, communes=[other_commune])
    kept = world.qpv_a.communes.first()
    world["coordinator_a"].communes.add(kept)
    client = client_of(world["coordinator_a"], epcis=[], communes=[kept])

    refused = client.patch(
        url(world.post_a), {"neighbourhoods": ["QN05901A", "QN05901C"]}, format="json"
    )

    assert refused.status_code in (400, 403)
    assert "jeton" in refused.content.decode()


def test_a_coordinator_creates_a_post_in_their_territory_only(world):
    payload = {
        "scheme": str(world.scheme_a.uid),
        "employer": str(world.employer.uid),
        "neighbourhoods": ["QN05901A"],
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
    }
    client = client_of(world["coordinator_a"])

    created = client.post("/api/v1/mediator-posts/", payload, format="json")
    foreign = client.post(
        "/api/v1/mediator-posts/",
        {**payload, "scheme": str(world.scheme_b.uid), "neighbourhoods": []},
        format="json",
    )

    assert created.status_code == 201, created.content
    post = MediatorPost.objects.get(uid=created.json()["uid"])
    assert post.history.latest().history_user == world["coordinator_a"]
    assert foreign.status_code in (400, 403)
    assert "territoire" in foreign.content.decode()


def test_if_match_with_a_stale_etag_is_refused_with_412(world):
    client = client_of(world["coordinator_a"])
    etag = client.get(url(world.post_a))["ETag"]
    client.patch(url(world.post_a), {"renewals": 1}, format="json", HTTP_IF_MATCH=etag)

    stale = client.patch(url(world.post_a), {"renewals": 0}, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    assert "modifié" in stale.content.decode()
    world.post_a.refresh_from_db()
    assert world.post_a.renewals == 1


def test_if_match_with_the_current_etag_writes(world):
    client = client_of(world["coordinator_a"])
    etag = client.get(url(world.post_a))["ETag"]

    response = client.patch(url(world.post_a), {"renewals": 1}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"renewals": "deux"}',
        b'{"neighbourhoods": "QN05901A"}',
        b'{"neighbourhoods": [{"a": 1}]}',
        b'{"employer": "pas-un-uuid"}',
        b'{"employer": 12}',
        b'{"start_date": "2024-13-45"}',
        b'{"state_share": "1e999"}',
        b'{"renewals": 99999999999999999999}',
        b'{"neighbourhoods": ["QN\\u0000"]}',
    ],
)
def test_garbage_is_a_400_never_a_500(world, body):
    response = client_of(world["coordinator_a"]).patch(
        url(world.post_a), body, content_type="application/json"
    )

    assert response.status_code == 400, response.content


def test_a_malformed_uid_is_a_404(world):
    response = client_of(world["coordinator_a"]).patch(
        "/api/v1/mediator-posts/not-a-uid/", {"renewals": 1}, format="json"
    )

    assert response.status_code == 404


def test_reads_never_show_the_mediator_nor_eligibility(world):
    data = client_of().get(url(world.post_a)).json()

    assert set(data) == {
        "uid",
        "scheme",
        "employer",
        "employer_name",
        "neighbourhoods",
        "start_date",
        "end_date",
        "renewals",
        "state_share",
        "ars_share",
        "updated_at",
    }


def test_anonymous_reads_only_posts_of_published_schemes(world):
    world.scheme_b.is_published = False
    world.scheme_b.save()

    anonymous = client_of().get("/api/v1/mediator-posts/").json()
    writer = client_of(world["coordinator_a"]).get("/api/v1/mediator-posts/").json()

    uids = {row["uid"] for row in anonymous["results"]}
    assert uids == {str(world.post_a.uid)}
    assert str(world.post_b.uid) in {row["uid"] for row in writer["results"]}
