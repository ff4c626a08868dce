"""Garbage in autocomplete fields and in the autocomplete view: a French error, never a 500."""

import pytest
from django.urls import reverse

from contracts.models import Action
from devices.models import HealthStructure
from tests.admin_forms import add_url, change_url
from tests.admin_forms import change_form_data as form_data

INVALID_CHOICE = "Sélectionnez un choix valide"


@pytest.fixture(params=["admin", "coordinator_a"])
def writer(request, client, persona):
    client.force_login(persona(request.param))
    return client


@pytest.mark.parametrize("garbage", ["abc", "1.5", "", "99999999999999999999999"])
def test_a_garbage_foreign_key_gives_a_field_error(writer, world, garbage):
    data = form_data(writer.get(add_url(HealthStructure)))
    commune = world.valenciennes.communes.order_by("pk").first()
    data.update(kind="msp", name="MSP fantôme", commune=commune.pk, carrier=garbage or " ")

    response = writer.post(add_url(HealthStructure), data)

    assert response.status_code == 200
    assert INVALID_CHOICE in response.content.decode()
    assert not HealthStructure.objects.filter(name="MSP fantôme").exists()


@pytest.mark.parametrize("garbage", [["abc"], ["1", "abc"], ["-"]])
def test_a_garbage_many_to_many_gives_a_field_error(writer, world, garbage):
    action = world.row_of_a(Action)
    before = list(action.neighbourhoods.values_list("pk", flat=True))
    data = form_data(writer.get(change_url(action)))
    data["neighbourhoods"] = garbage

    response = writer.post(change_url(action), data)

    assert response.status_code == 200
    assert "n’est pas une valeur correcte" in response.content.decode() or (
        INVALID_CHOICE in response.content.decode()
    )
    assert list(action.neighbourhoods.values_list("pk", flat=True)) == before


def test_a_garbage_id_in_an_inline_autocomplete_gives_a_field_error(writer, world):
    action = world.row_of_a(Action)
    data = form_data(writer.get(change_url(action)))
    data.update({"fundings-TOTAL_FORMS": "1", "fundings-INITIAL_FORMS": "0"})
    data.update({"fundings-0-funder": "abc", "fundings-0-year": "2020", "fundings-0-amount": "5"})
    data["fundings-0-programme"] = "p147"
    count = action.fundings.count()

    response = writer.post(change_url(action), data)

    assert response.status_code == 200 and INVALID_CHOICE in response.content.decode()
    assert action.fundings.count() == count


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"app_label": "nope", "model_name": "scheme", "field_name": "carrier"},
        {"app_label": "devices", "model_name": "nope", "field_name": "carrier"},
        {"app_label": "devices", "model_name": "scheme", "field_name": "nope"},
        {"app_label": "devices", "model_name": "scheme", "field_name": "name"},
        {"app_label": "devices", "model_name": "scheme", "field_name": "roles"},
        {"app_label": "devices", "model_name": "scheme", "field_name": "carrier", "page": "abc"},
        {"app_label": "devices", "model_name": "scheme", "field_name": "carrier", "page": "-1"},
        {"app_label": "devices", "model_name": "scheme", "field_name": "carrier", "term": "\x00"},
        {"app_label": "devices", "model_name": "scheme", "field_name": "carrier", "term": "%_'\\"},
        {
            "app_label": "devices",
            "model_name": "scheme",
            "field_name": "carrier",
            "term": "x" * 5000,
        },
        {"app_label": "contracts", "model_name": "action", "field_name": "schemes", "term": "\x00"},
    ],
)
def test_the_autocomplete_view_never_fails_on_garbage(writer, params):
    response = writer.get(reverse("admin:autocomplete"), params)

    assert response.status_code in (200, 403, 404)
