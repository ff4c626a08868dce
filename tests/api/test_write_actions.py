"""Actions and their funding through the API: a write to an approved health section never
changes what the public reads; it sends the section back to draft for a new review round."""

import pytest
from rest_framework.test import APIClient

from contracts.enums import ReviewStatus
from contracts.models import ActionFunding
from contracts.review_selectors import published_snapshot
from contracts.review_services import health_section_submit
from portal.api_tokens import TokenScope, may_write_through_api, token_create
from tests.api.write_world import approve, write_world
from tests.devices.factories import OrganisationFactory

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


def url(action) -> str:
    return f"/api/v1/actions/{action.uid}/"


def test_a_write_to_an_approved_section_makes_a_draft_and_keeps_the_published_version(world):
    approve(world)
    published = published_snapshot(world.section)

    response = client_of(world["coordinator_a"]).patch(
        url(world.action), {"title": "Bus santé itinérant"}, format="json"
    )

    assert response.status_code == 200, response.content
    world.section.refresh_from_db()
    assert world.section.review_status == ReviewStatus.DRAFT
    assert world.section.is_published
    assert published_snapshot(world.section) == published
    public = client_of().get(url(world.action)).json()
    assert public["title"] == "Bus santé"
    writer = client_of(world["coordinator_a"]).get(url(world.action)).json()
    assert writer["title"] == "Bus santé itinérant"
    # The next submission is a new round, whose approval publishes the change.
    review = health_section_submit(section=world.section, user=world["coordinator_a"])
    assert review.number == 2
    assert world.action.history.latest().history_user == world["coordinator_a"]


def test_anonymous_visitors_read_only_actions_of_approved_versions(world):
    before = client_of().get("/api/v1/actions/").json()
    approve(world)
    client_of(world["coordinator_a"]).post(
        "/api/v1/actions/",
        {"contract": world.section.contract.code, "objective": "2.1", "title": "Nouvelle"},
        format="json",
    )

    after = client_of().get("/api/v1/actions/").json()

    assert before["results"] == []
    assert [row["title"] for row in after["results"]] == ["Bus santé"]
    assert after["results"][0]["objective"] == "2"
    assert after["results"][0]["start_year"] == 2016


def test_a_coordinator_creates_an_action_under_an_objective_of_their_section(world):
    response = client_of(world["coordinator_a"]).post(
        "/api/v1/actions/",
        {
            "contract": world.section.contract.code,
            "objective": "2.1",
            "title": "Ateliers cuisine",
            "neighbourhoods": ["QN05901A"],
            "status": "in_progress",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["objective"] == "2.1"


def test_an_unknown_objective_is_a_field_error(world):
    response = client_of(world["coordinator_a"]).post(
        "/api/v1/actions/",
        {"contract": world.section.contract.code, "objective": "9.9", "title": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "pas d'objectif 9.9" in str(field_errors(response)["objective"])


def test_a_coordinator_of_another_territory_cannot_change_the_action(world):
    response = client_of(world["coordinator_b"]).patch(
        url(world.action), {"title": "Piraté"}, format="json"
    )

    assert response.status_code == 403
    world.action.refresh_from_db()
    assert world.action.title == "Bus santé"


def test_targeting_a_neighbourhood_of_another_territory_is_refused(world):
    response = client_of(world["coordinator_a"]).patch(
        url(world.action), {"neighbourhoods": ["QN05901B"]}, format="json"
    )

    assert response.status_code == 400
    assert "n'est pas dans votre territoire" in str(field_errors(response)["neighbourhoods"])


def test_years_follow_the_model_rules(world):
    response = client_of(world["coordinator_a"]).patch(
        url(world.action), {"start_year": 2020, "end_year": 2018}, format="json"
    )

    assert response.status_code == 400
    assert "L'année de fin doit suivre l'année de début." in response.content.decode()


def funding_payload(world, **values) -> dict:
    funder = OrganisationFactory(kind="ars", name="ARS Hauts-de-France")
    return {
        "action": str(world.action.uid),
        "funder": str(funder.uid),
        "year": 2024,
        "programme": "ars_fir",
        **values,
    }


def test_a_funding_line_states_an_amount_or_a_share(world):
    response = client_of(world["coordinator_a"]).post(
        "/api/v1/action-fundings/", funding_payload(world), format="json"
    )

    assert response.status_code == 400
    assert "Indiquez un montant ou une part." in response.content.decode()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"share": "120"}, "100"),
        ({"amount": "-5"}, "négatif"),
        ({"amount": "10", "year": 1850}, "1990"),
        ({"amount": "10", "programme": "inconnu"}, "choix"),
    ],
)
def test_funding_lines_follow_the_model_rules_in_french(world, values, message):
    response = client_of(world["coordinator_a"]).post(
        "/api/v1/action-fundings/", funding_payload(world, **values), format="json"
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActionFunding.objects.exists()


def test_funding_an_action_of_an_approved_section_makes_a_draft(world):
    approve(world)

    response = client_of(world["coordinator_a"]).post(
        "/api/v1/action-fundings/", funding_payload(world, amount="15000"), format="json"
    )

    assert response.status_code == 201, response.content
    world.section.refresh_from_db()
    assert world.section.review_status == ReviewStatus.DRAFT
    # Not in the approved version: the public does not see the line yet.
    assert client_of().get("/api/v1/action-fundings/").json()["results"] == []
    writer = client_of(world["coordinator_a"]).get("/api/v1/action-fundings/").json()
    assert len(writer["results"]) == 1
