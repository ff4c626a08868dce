"""Values that used to be accepted or to crash: a French field error, nothing stored."""

import pytest

from contracts.models import ActionFunding, CityContract
from tests.contracts.factories import ActionFactory, HealthSectionFactory, ObjectiveFactory
from tests.devices.factories import OrganisationFactory
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["2.²", "2.١", "2.02", "2.1a", "٢.1"])
def test_an_objective_number_is_written_in_ascii_digits(number):
    orientation = ObjectiveFactory(number="2")
    objective = ObjectiveFactory.build(
        section=orientation.section, parent=orientation, level=2, number=number
    )

    assert_invalid(objective, "entiers séparés par des points")
    assert_database_rejects(objective)


def test_the_sort_key_of_a_number_with_a_superscript_does_not_crash():
    objective = ObjectiveFactory.build(number="2.²")

    assert objective.number_key == (2,)


@pytest.mark.parametrize(
    ("kind", "code", "message"),
    [
        ("epci", "ZZZZZZZZZ", "9 chiffres attendus"),
        ("epci", "12345", "9 chiffres attendus"),
        ("epci", "123456789", "clé de contrôle"),
        ("commune", "ZZZZZ", "Code INSEE"),
        ("commune", "200093201", "Code INSEE"),
        ("other", "ZZZZZZZZZ", "9 chiffres attendus"),
        ("other", "ZZZ", "SIREN (9 chiffres) ou code INSEE"),
    ],
)
def test_a_carrier_code_matches_its_carrier_kind(kind, code, message):
    contract = CityContract(
        code="CN05901M",
        name="Contrat",
        generation="2024-2030",
        carrier_kind=kind,
        carrier_code=code,
    )

    assert_invalid(contract, message)


@pytest.mark.parametrize(
    ("kind", "code"),
    [("epci", "200093201"), ("commune", "59350"), ("other", "98735"), ("other", "200057867")],
)
def test_published_carrier_codes_are_accepted(kind, code):
    CityContract(
        code="CN05901M",
        name="Contrat",
        generation="2024-2030",
        carrier_kind=kind,
        carrier_code=code,
    ).full_clean()


def test_the_database_refuses_a_carrier_code_that_is_neither_siren_nor_insee():
    contract = CityContract(
        code="CN05901M", name="Contrat", generation="2024-2030", carrier_code="ZZZZZZZZZ"
    )

    assert_database_rejects(contract)


@pytest.mark.parametrize("field", ["start_year", "end_year"])
@pytest.mark.parametrize("year", [99999, 1])
def test_action_years_are_plausible(field, year):
    action = ActionFactory.build(
        objective=ObjectiveFactory(), carrier=OrganisationFactory(), **{field: year}
    )

    assert_invalid(action, "L'année doit être comprise entre 1990 et 2100")


@pytest.mark.parametrize("field", ["start_year", "end_year"])
def test_the_database_refuses_an_implausible_action_year(field):
    action = ActionFactory.build(
        objective=ObjectiveFactory(), carrier=OrganisationFactory(), **{field: 3000}
    )

    assert_database_rejects(action)


def test_an_action_funding_year_gets_a_field_error():
    line = ActionFunding(
        action=ActionFactory(objective=ObjectiveFactory(section=HealthSectionFactory())),
        funder=OrganisationFactory(),
        year=99999,
        programme="p147",
        share=50,
    )

    assert_invalid(line, "L'année doit être comprise entre 1990 et 2100")
