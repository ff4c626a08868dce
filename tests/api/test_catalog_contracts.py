"""The contracts resource of the API: every city contract, with its health section as the ARS
approved it (never a draft), and the published calls for projects."""

import json

import pytest

from contracts.models import CityContract, HealthSection, Signatory
from tests.api.catalog_world import (  # noqa: F401 (fixtures)
    DRAFT_MARKER,
    approve,
    assert_no_secret,
    body_of,
    no_throttling,
    ogr_summary,
    world_fixture,
)
from tests.api.problems import problem_fields
from tests.contracts.factories import (
    ActionFactory,
    CallForProjectsFactory,
    CityContractFactory,
    HealthSectionFactory,
    ObjectiveFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/contracts/"
CALLS = "/api/v1/calls-for-projects/"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_contracts_are_named_by_code_with_links_never_ids(client, world):
    body = client.get(f"{URL}CN059001/").json()

    assert body["code"] == "CN059001"
    assert body["url"] == "http://testserver/api/v1/contracts/CN059001/"
    assert "id" not in body
    assert body["carrier"] == {
        "kind": "epci",
        "code": world.mel.siren,
        "name": "Métropole Européenne de Lille",
        "url": f"http://testserver/api/v1/epci/{world.mel.siren}/",
    }
    assert body["department"] == "59"
    assert [n["code"] for n in body["neighbourhoods"]] == ["QN05971M", "QN05972M", "QN05980M"]
    assert body["neighbourhoods"][0]["url"] == "http://testserver/api/v1/neighbourhoods/QN05971M/"
    assert [c["code"] for c in body["communes"]] == ["59350", "59512"]
    assert body["location"] == {"lon": 3.06, "lat": 50.63}


def test_the_health_section_is_the_approved_version_not_the_draft_edited_since(client, world):
    section = client.get(f"{URL}CN059001/").json()["health_section"]

    assert section["title"] == "Volet santé de la MEL"
    [orientation] = section["orientations"]  # the orientation drafted since is not there
    assert (orientation["number"], orientation["level"], orientation["title"]) == (
        "2",
        1,
        "Promouvoir la santé",
    )
    [objective] = orientation["objectives"]
    assert (objective["number"], objective["level"], objective["description"]) == ("2.1", 2, "")
    [action] = objective["actions"]
    assert action["title"] == "Bus santé"
    assert action["carrier"] == "Ville de Lille"
    assert action["neighbourhoods"] == [
        {"code": "QN05971M", "url": "http://testserver/api/v1/neighbourhoods/QN05971M/"}
    ]
    assert "key" not in json.dumps(section)  # the snapshot's internal keys stay inside


def test_a_section_never_approved_is_null(client, world):
    assert client.get(f"{URL}CN059002/").json()["health_section"] is None
    assert client.get(f"{URL}CN033001/").json()["health_section"] is None


def test_no_draft_text_in_any_contract_response(client, world):
    for url in (
        URL,
        f"{URL}CN059001/",
        f"{URL}CN059002/",
        f"{URL}?format=csv",
        f"{URL}?format=xlsx",
        f"{URL}?format=geojson",
        f"{URL}CN059001/?format=geojson",
        CALLS,
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_secret(body_of(response))


def test_a_new_approval_publishes_the_new_version(client, world):
    approve(world.extras["section"], number=2)

    section = client.get(f"{URL}CN059001/").json()["health_section"]

    assert [o["number"] for o in section["orientations"]] == ["2", "3"]
    assert DRAFT_MARKER in json.dumps(section)  # approved now: public


def test_an_unknown_contract_is_a_french_404(client, world):
    response = client.get(f"{URL}CN999999/")

    assert response.status_code == 404
    assert response.json()["detail"] == "Aucun contrat de ville n'a le code « CN999999 »."
    # A NUL byte is an error for PostgreSQL, not a missing row: still a 404.
    assert client.get(f"{URL}CN%00/").status_code == 404


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=32", ["CN059001", "CN059002"]),
        ("region=75", ["CN033001"]),
        ("department=33,59", ["CN033001", "CN059001", "CN059002"]),
        ("commune=33063", ["CN033001"]),
        ("commune=59512", ["CN059001", "CN059002"]),
        ("neighbourhood=QN05980M", ["CN059001"]),
        ("has_health_section=true", ["CN059001"]),
        ("has_health_section=false", ["CN033001", "CN059002"]),
        ("generation=2024-2030", ["CN033001", "CN059001", "CN059002"]),
        ("generation=2015-2023", []),
        ("q=roubaix", ["CN059002"]),
        ("q=CN0330", ["CN033001"]),
    ],
)
def test_each_filter_narrows_the_list(client, world, query, expected):
    assert codes(client.get(f"{URL}?{query}")) == expected


def test_the_epci_filter_takes_a_siren(client, world):
    assert codes(client.get(f"{URL}?epci={world.mel.siren}")) == ["CN059001", "CN059002"]


def test_ordering_by_name_descending(client, world):
    # « Contrat de ville de la MEL », « Contrat de Roubaix », « Contrat de Bordeaux Métropole »
    assert codes(client.get(f"{URL}?ordering=-name")) == ["CN059001", "CN059002", "CN033001"]
    assert codes(client.get(f"{URL}?ordering=name&page_size=1")) == ["CN033001"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("generation=2030", "generation"),
        ("has_health_section=peut-être", "has_health_section"),
        ("commune=59%2035", "commune"),
        ("ordering=health_section", "ordering"),
        ("updated_since=2026-02-30", "updated_since"),
    ],
)
def test_bad_parameters_are_french_400s(client, world, query, field):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400, response.content
    assert field in problem_fields(response)


def test_approval_and_signatories_move_the_contract_in_the_change_feed(client, world, time_machine):
    time_machine.move_to("2031-01-01T10:00:00Z")
    since = "?updated_since=2031-01-01T09:00:00Z"
    assert codes(client.get(URL + since)) == []

    # A draft edit is not a public change.
    HealthSection.objects.filter(contract=world.contract).get().objectives.first().save()
    assert codes(client.get(URL + since)) == []

    approve(HealthSection.objects.get(contract=world.draft_contract))
    Signatory.objects.create(
        contract=world.other_contract, organisation=world.extras["ars"], role="ars"
    )
    assert codes(client.get(URL + since)) == ["CN033001", "CN059002"]


def test_a_deleted_contract_leaves_a_tombstone(client, world, time_machine):
    time_machine.move_to("2031-01-01T10:00:00Z")
    CityContract.objects.filter(code="CN033001").delete()

    feed = client.get(f"{URL}deleted/?since=2031-01-01").json()

    assert [row["code"] for row in feed["results"]] == ["CN033001"]


def test_csv_export_follows_the_filters_with_the_approved_section(client, world):
    text = body_of(client.get(f"{URL}?format=csv&department=59")).decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()

    assert lines[0].startswith("Code;Nom;Génération")
    assert len(lines) == 1 + 2
    assert "CN059001;Contrat de ville de la MEL;" in text
    assert "Promouvoir la santé" in text


def test_geojson_points_read_back_with_ogr(client, world):
    response = client.get(f"{URL}?format=geojson")
    document = body_of(response)

    assert response["Content-Type"].startswith("application/geo+json")
    summary = ogr_summary(document)
    assert "Feature Count: 3" in summary
    assert "Geometry: Point" in summary
    features = {f["id"]: f for f in json.loads(document)["features"]}
    assert features["CN059001"]["geometry"] == {"type": "Point", "coordinates": [3.06, 50.63]}
    assert features["CN059002"]["geometry"] is None  # no point imported yet

    assert "Feature Count: 1" in ogr_summary(body_of(client.get(f"{URL}?format=geojson&region=75")))


def many_contracts(world, count: int) -> None:
    for _ in range(count - 1):
        contract = CityContractFactory(carrier_epci=world.mel, department=world.nord)
        contract.communes.add(world.lille)
        contract.neighbourhoods.add(world.moulins)
        Signatory.objects.create(contract=contract, organisation=world.extras["ars"], role="ars")
        section = HealthSectionFactory(contract=contract)
        ActionFactory(objective=ObjectiveFactory(section=section))
        approve(section)
        CallForProjectsFactory(contract=contract, is_published=True)


@pytest.mark.parametrize("rows", [1, 100])
def test_query_counts_do_not_depend_on_the_number_of_contracts(
    client, world, django_assert_num_queries, rows
):
    CityContract.objects.exclude(pk=world.contract.pk).delete()
    Signatory.objects.create(contract=world.contract, organisation=world.extras["ars"], role="ars")
    CallForProjectsFactory(contract=world.contract, is_published=True)
    many_contracts(world, rows)
    assert CityContract.objects.count() == rows

    # Contracts, communes, neighbourhoods, signatories, published calls, approved sections.
    with django_assert_num_queries(6):
        response = client.get(f"{URL}?page_size=1000")
        assert len(response.json()["results"]) == rows
    with django_assert_num_queries(6):
        assert client.get(f"{URL}?page_size=1000&region=32&q=contrat").status_code == 200
    with django_assert_num_queries(6):
        assert client.get(f"{URL}CN059001/").status_code == 200
    with django_assert_num_queries(6):
        body_of(client.get(f"{URL}?format=csv"))
    with django_assert_num_queries(6):
        body_of(client.get(f"{URL}?format=geojson"))


# Calls for projects --------------------------------------------------------------------------


@pytest.fixture
def calls(world):
    published = CallForProjectsFactory(
        contract=world.contract, year=2016, title="Appel 2016", is_published=True
    )
    ProposalFactory(
        call=published,
        title="Ateliers cuisine",
        decision="retained",
        amount_granted="4000.00",
    )
    ProposalFactory(
        call=published,
        title="Forum santé",
        decision="not_retained",
        decision_reason="Hors du champ de l'appel.",
    )
    ProposalFactory(call=published, title=f"En attente {DRAFT_MARKER}")
    hidden = CallForProjectsFactory(
        contract=world.other_contract, year=2017, title=f"Appel {DRAFT_MARKER}"
    )
    return published, hidden


def test_a_published_call_shows_its_decided_proposals_with_their_reasons(client, calls):
    published, _ = calls

    body = client.get(f"{CALLS}{published.uid}/").json()

    assert body["contract"]["code"] == "CN059001"
    assert body["contract"]["url"] == "http://testserver/api/v1/contracts/CN059001/"
    assert body["summary"] == {
        "proposals": 3,
        "retained": 1,
        "not_retained": 1,
        "pending": 1,
        "amount_granted": "4000.00",
    }
    assert [(p["title"], p["decision"], p["decision_reason"]) for p in body["proposals"]] == [
        ("Ateliers cuisine", "retained", ""),
        ("Forum santé", "not_retained", "Hors du champ de l'appel."),
    ]
    assert "opinions" not in json.dumps(body)
    assert_no_secret(client.get(f"{CALLS}{published.uid}/").content)


def test_an_unpublished_call_is_not_listed_and_a_french_404(client, calls):
    published, hidden = calls

    assert [row["title"] for row in client.get(CALLS).json()["results"]] == ["Appel 2016"]
    response = client.get(f"{CALLS}{hidden.uid}/")
    assert response.status_code == 404
    assert "Aucun appel à projets publié" in response.json()["detail"]
    contract = client.get(f"{URL}CN059001/").json()
    assert [c["title"] for c in contract["calls_for_projects"]] == ["Appel 2016"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("contract=CN059001", ["Appel 2016"]),
        ("contract=CN033001", []),
        ("year=2016", ["Appel 2016"]),
        ("year=2015", []),
        ("department=33", []),
        ("region=32", ["Appel 2016"]),
        ("q=appel", ["Appel 2016"]),
    ],
)
def test_call_filters(client, calls, query, expected):
    assert [row["title"] for row in client.get(f"{CALLS}?{query}").json()["results"]] == expected


def test_a_decision_moves_the_call_and_withdrawal_leaves_a_tombstone(client, calls, time_machine):
    published, _ = calls
    time_machine.move_to("2031-01-01T10:00:00Z")
    proposal = published.proposals.get(title__startswith="En attente")
    proposal.decision = "not_retained"
    proposal.decision_reason = "Budget épuisé."
    proposal.save()

    listing = client.get(f"{CALLS}?updated_since=2031-01-01").json()
    assert [row["title"] for row in listing["results"]] == ["Appel 2016"]

    published.is_published = False
    published.save()
    feed = client.get(listing["deleted"]).json()
    assert [row["code"] for row in feed["results"]] == [str(published.uid)]


@pytest.mark.parametrize("rows", [1, 100])
def test_call_query_counts_are_constant(client, world, django_assert_num_queries, rows):
    for _ in range(rows):
        call = CallForProjectsFactory(contract=world.contract, is_published=True)
        ProposalFactory(call=call, decision="retained", amount_granted="10.00")
    # Calls (with contract and funder), orientations, proposals.
    with django_assert_num_queries(3):
        assert len(client.get(f"{CALLS}?page_size=1000").json()["results"]) == rows
    with django_assert_num_queries(3):
        body_of(client.get(f"{CALLS}?format=csv"))
    with django_assert_num_queries(3):
        assert client.get(f"{CALLS}{call.uid}/").status_code == 200
