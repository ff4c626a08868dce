"""The territories' change feed: rows changed since a date, a neighbourhood changed by its
children, deletions as tombstones."""

import pytest

from neighbourhoods.enums import ValueStatus
from neighbourhoods.models import (
    CitizenCouncil,
    Commune,
    IndicatorValue,
    Neighbourhood,
)
from tests.api.geo_world import build_world
from tests.api.problems import problem_fields
from tests.contracts.factories import CityContractFactory
from tests.neighbourhoods.factories import CitizenCouncilFactory, TypologyFamilyFactory

pytestmark = pytest.mark.django_db

SINCE = "2030-01-01T09:00:00Z"


@pytest.fixture
def world(time_machine):
    time_machine.move_to("2029-06-01T00:00:00Z", tick=False)
    built = build_world()
    time_machine.move_to("2030-01-01T10:00:00Z", tick=False)
    return built


def changed(client, resource="neighbourhoods"):
    response = client.get(f"/api/v1/{resource}/?updated_since={SINCE}")
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_nothing_changed_since(client, world):
    assert changed(client) == []
    assert changed(client, "communes") == []


def test_a_changed_indicator_value_moves_its_neighbourhood(client, world):
    value = IndicatorValue.objects.get(neighbourhood=world.moulins, indicator__code="tp60")
    value.status, value.value = ValueStatus.SECRET, None
    value.save()
    assert changed(client) == ["QN05901M"]
    body = client.get(f"/api/v1/neighbourhoods/?updated_since={SINCE}").json()
    assert body["results"][0]["updated_at"].startswith("2030-01-01T1")  # Paris time, 11:00


def test_a_deleted_indicator_value_moves_its_neighbourhood(client, world):
    IndicatorValue.objects.filter(neighbourhood=world.moulins).first().delete()
    assert changed(client) == ["QN05901M"]


def test_a_citizen_council_change_moves_the_neighbourhoods_it_covers(client, world):
    council = CitizenCouncil.objects.get(name="Conseil citoyen de Moulins")
    council.residents_members = 15
    council.save()
    assert changed(client) == ["QN05901M"]


def test_a_new_council_coverage_moves_its_neighbourhood(client, world):
    CitizenCouncilFactory(neighbourhoods=[world.roubaix_qn])
    assert changed(client) == ["QN05902R"]


def test_a_family_membership_moves_its_neighbourhood(client, world):
    TypologyFamilyFactory().memberships.create(neighbourhood=world.arras_qn)
    assert changed(client) == ["QN06201A"]


def test_communes_of_a_neighbourhood_changing_move_it(client, world):
    world.roubaix_qn.communes.add(world.lille)
    assert changed(client) == ["QN05902R"]


def test_clearing_a_communes_neighbourhoods_moves_them(client, world):
    world.lille.neighbourhoods.clear()
    assert changed(client) == ["QN05901M", "QP059001"]


def test_a_contract_covering_a_neighbourhood_moves_it(client, world):
    CityContractFactory(code="CN00062").neighbourhoods.add(world.arras_qn)
    assert changed(client) == ["QN06201A"]
    world.arras_qn.city_contracts.clear()
    assert changed(client) == ["QN06201A"]


def test_a_renamed_commune_is_in_the_communes_feed(client, world):
    Commune.objects.filter(insee_code="59512").get().save()
    assert changed(client, "communes") == ["59512"]


def test_deleting_a_neighbourhood_leaves_a_tombstone(client, world):
    Neighbourhood.objects.get(code="QN05902R").delete()
    body = client.get(f"/api/v1/neighbourhoods/?updated_since={SINCE}").json()
    assert body["results"] == []
    deleted = client.get(body["deleted"]).json()
    assert deleted["results"] == [{"code": "QN05902R", "deleted_at": "2030-01-01T11:00:00+01:00"}]
    assert client.get("/api/v1/neighbourhoods/QN05902R/").status_code == 404


def test_deleting_a_commune_leaves_a_tombstone_in_its_own_feed(client, world):
    commune = Commune.objects.get(insee_code="62041")
    Neighbourhood.objects.get(code="QN06201A").delete()
    commune.delete()
    assert [
        t["code"] for t in client.get(f"/api/v1/communes/deleted/?since={SINCE}").json()["results"]
    ] == ["62041"]
    assert [
        t["code"]
        for t in client.get(f"/api/v1/neighbourhoods/deleted/?since={SINCE}").json()["results"]
    ] == ["QN06201A"]
    # Older deletions are not repeated.
    assert client.get("/api/v1/communes/deleted/?since=2030-01-02").json()["results"] == []


def test_deletions_since_a_date_page_by_cursor(client, world):
    for code in ("QN05901M", "QN05902R", "QN06201A"):
        Neighbourhood.objects.get(code=code).delete()
    seen, url = [], f"/api/v1/neighbourhoods/deleted/?since={SINCE}&page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["code"] for row in body["results"]]
        url = body["next"]
    assert seen == ["QN05901M", "QN05902R", "QN06201A"]


def test_invalid_dates_are_french_field_errors(client, world):
    response = client.get("/api/v1/neighbourhoods/?updated_since=la-semaine-derniere")
    assert response.status_code == 400
    assert "Date invalide" in problem_fields(response)["updated_since"][0]
    response = client.get("/api/v1/communes/deleted/?since=31/12/2029")
    assert response.status_code == 400
    assert "Date invalide" in problem_fields(response)["since"][0]


@pytest.mark.parametrize("offset", ["%2B23:44", "-15:00", "%2B14:01"])
def test_offsets_no_place_has_are_french_field_errors_not_server_errors(client, world, offset):
    # Found by schemathesis: PostgreSQL refuses offsets beyond ±15:59 and aborted the request.
    for url in (
        f"/api/v1/neighbourhoods/?updated_since=2026-01-01T00:00:00{offset}",
        f"/api/v1/regions/deleted/?since=5640-06-21T10:19:12.000126{offset}",
    ):
        response = client.get(url)
        assert response.status_code == 400, response.content
        assert "Fuseau horaire invalide" in next(iter(problem_fields(response).values()))[0]


def test_a_date_with_an_offset_is_compared_in_utc(client, world):
    response = client.get("/api/v1/regions/?updated_since=2000-01-01T09:00:00%2B14:00")

    assert response.status_code == 200


def test_an_indicators_import_moves_the_neighbourhoods_it_changes(client, world, tmp_path):
    from tests.neighbourhoods.importing import run, write

    text = "code_qp;tp60\nQN05901M;45,5\nQN05902R;38,1\n"  # Moulins unchanged, Roubaix new
    run("import_indicators", write(tmp_path, "indicateurs.csv", text))
    assert changed(client) == ["QN05902R"]


def test_a_bulk_update_by_an_importer_moves_the_rows_updated_at(client, world):
    from neighbourhoods.importing.sync import sync_links, upsert

    upsert(Commune, "insee_code", {"59512": {"name": "Roubaix (nouveau nom)"}})
    assert changed(client, "communes") == ["59512"]
    sync_links(
        Neighbourhood.communes.through,
        "neighbourhood",
        "commune",
        {world.arras_qn.pk: [world.lille.pk]},
    )
    assert changed(client) == ["QN06201A"]
