"""Bad values posted to the admin by a superuser: a French field error, never a 500."""

import json

import pytest
from django.urls import reverse

from contracts.models import Objective
from devices.models import HealthStructure, MediatorPost, Organisation, Scheme
from neighbourhoods.models import Commune, Epci, Neighbourhood


@pytest.fixture
def admin_client(demo_data, db, client):
    client.login(username="admin", password="demo")
    return client


def post(client, model, data, obj=None):
    meta = model._meta
    if obj is None:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    else:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    response = client.post(url, data)
    assert response.status_code == 200, "the form was accepted or crashed"
    return response.content.decode()


DEEP_GEOJSON = '{"type": "Point", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("SRID=999999;POINT(1 2)", "EPSG:999999 non pris en charge"),
        (DEEP_GEOJSON, "limite MAX_JSON_DEPTH"),
        ("POINT(1000 1000)", "hors des longitudes"),
        (
            json.dumps(
                {
                    "type": "Point",
                    "coordinates": [1, 2],
                    "crs": {"type": "name", "properties": {"name": "EPSG:999999"}},
                }
            ),
            "non pris en charge",
        ),
    ],
    ids=["unknown-srid", "nested-100000", "out-of-range", "unknown-geojson-crs"],
)
def test_a_bad_health_structure_location_is_a_field_error(admin_client, location, message):
    before = HealthStructure.objects.count()
    data = {
        "kind": "msp",
        "name": "Maison de santé de test",
        "commune": Commune.objects.get(insee_code="59350").pk,
        "location": location,
        "doctors": 2,
        "paramedics": 1,
        "is_published": "on",
    }

    html = post(admin_client, HealthStructure, data)

    assert message in html
    assert HealthStructure.objects.count() == before


def test_a_contour_nested_100000_levels_deep_is_a_field_error(admin_client):
    neighbourhood = Neighbourhood.objects.get(code="QN00216M")
    contour = neighbourhood.contour
    data = {
        "code": neighbourhood.code,
        "name": neighbourhood.name,
        "kind": neighbourhood.kind,
        "vintage": neighbourhood.vintage,
        "communes": [c.pk for c in neighbourhood.communes.all()],
        "contour": '{"type": "MultiPolygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "indicator_values-TOTAL_FORMS": 0,
        "indicator_values-INITIAL_FORMS": 0,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }

    html = post(admin_client, Neighbourhood, data, neighbourhood)

    assert "limite MAX_JSON_DEPTH" in html
    neighbourhood.refresh_from_db()
    assert neighbourhood.contour == contour


def test_mediator_post_shares_of_60_and_30_are_a_form_error(admin_client):
    scheme = Scheme.objects.filter(kind="ARMS").first() or Scheme.objects.first()
    before = MediatorPost.objects.count()
    data = {
        "scheme": scheme.pk,
        "employer": Organisation.objects.first().pk,
        "neighbourhoods": [Neighbourhood.objects.first().pk],
        "start_date": "01/01/2024",
        "end_date": "31/12/2026",
        "renewals": 0,
        "state_share": "60",
        "ars_share": "30",
    }

    html = post(admin_client, MediatorPost, data)

    assert "Les parts État et ARS totalisent 100 %." in html
    assert MediatorPost.objects.count() == before


def test_an_objective_numbered_with_a_superscript_is_a_form_error(admin_client):
    orientation = Objective.objects.filter(level=1).first()
    before = Objective.objects.count()
    data = {
        "section": orientation.section_id,
        "parent": orientation.pk,
        "level": 2,
        "number": f"{orientation.number}.²",
        "title": "Objectif",
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }

    html = post(admin_client, Objective, data)

    assert "entiers séparés par des points" in html
    assert Objective.objects.count() == before


def test_an_epci_siren_that_fails_its_key_is_a_form_error(admin_client):
    before = Epci.objects.count()

    html = post(admin_client, Epci, {"siren": "ABCDEFGHI", "name": "CC test", "nature": "CC"})

    assert "9 chiffres attendus" in html
    assert Epci.objects.count() == before


def test_a_nul_character_is_a_form_error_on_every_database(admin_client):
    before = Epci.objects.count()

    html = post(admin_client, Epci, {"siren": "200093201", "name": "CC\x00 test", "nature": "CC"})

    assert "Le caractère nul n’est pas autorisé." in html
    assert Epci.objects.count() == before
