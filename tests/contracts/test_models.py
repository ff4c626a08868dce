from decimal import Decimal

import pytest

from contracts.models import ActionFunding, CityContract, HealthSection, Objective, Signatory
from tests.contracts.factories import (
    ActionFactory,
    CityContractFactory,
    HealthSectionFactory,
    ObjectiveFactory,
)
from tests.devices.factories import OrganisationFactory, SchemeFactory
from tests.helpers import assert_database_rejects, assert_invalid
from tests.neighbourhoods.factories import CommuneFactory, EpciFactory

pytestmark = pytest.mark.django_db


def test_a_contract_has_a_single_carrier():
    contract = CityContract(
        code="CV2015-X",
        name="Contrat",
        generation="2015-2023",
        carrier_kind="other",
        carrier_epci=EpciFactory(),
        carrier_commune=CommuneFactory(),
    )

    assert_invalid(contract, "pas les deux")
    assert_database_rejects(contract)


def test_the_declared_carrier_kind_matches_the_carrier():
    contract = CityContractFactory.build(
        carrier_kind="commune", carrier_epci=EpciFactory(), carrier_commune=None
    )

    assert_invalid(contract, "porteur déclaré est une commune")


def test_contract_codes_are_unique():
    CityContractFactory(code="CN05901")

    assert_database_rejects(CityContractFactory.build(code="CN05901", carrier_epci=EpciFactory()))


def test_an_organisation_signs_a_contract_once():
    contract = CityContractFactory()
    prefecture = OrganisationFactory(kind="prefecture")
    Signatory.objects.create(contract=contract, organisation=prefecture, role="state")

    again = Signatory(contract=contract, organisation=prefecture, role="other")
    assert_invalid(again, "signe déjà ce contrat")
    assert_database_rejects(again)


def test_a_contract_has_one_health_section():
    section = HealthSectionFactory()

    assert_database_rejects(HealthSection(contract=section.contract))


@pytest.mark.parametrize("kind", ["CTS", "CLSM", "ARMS"])
def test_only_a_cls_or_an_asv_constitutes_a_health_section(kind):
    section = HealthSectionFactory.build(
        contract=CityContractFactory(), constituted_by=SchemeFactory(kind=kind)
    )

    assert_invalid(section, "Seul un CLS ou un ASV")


@pytest.mark.parametrize("kind", ["CLS", "ASV"])
def test_a_cls_or_an_asv_constitutes_a_health_section(kind):
    # Seed 000: « L'ASV doit contribuer au volet santé du contrat de ville (voir le représente
    # dans sa totalité) ».
    section = HealthSectionFactory.build(
        contract=CityContractFactory(), constituted_by=SchemeFactory(kind=kind)
    )

    section.full_clean()


def child(parent, number, level, **kwargs):
    return Objective(
        section=parent.section,
        parent=parent,
        number=number,
        level=level,
        title="Objectif",
        **kwargs,
    )


def test_a_well_numbered_tree_is_valid():
    orientation = ObjectiveFactory(number="2")
    strategic = child(orientation, "2.1", 2)
    strategic.full_clean()
    strategic.save()
    operational = child(strategic, "2.1.1", 3)
    operational.full_clean()
    operational.save()
    child(operational, "2.1.1.3", 4).full_clean()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("3.1", "prolonger celui du niveau supérieur (2)"),
        ("2.1.1", "se numérote sur 2 niveau"),
        ("2.a", "entiers séparés par des points"),
        ("2.0", "entiers séparés par des points"),
    ],
)
def test_a_number_is_consistent_with_level_and_parent(number, message):
    orientation = ObjectiveFactory(number="2")

    assert_invalid(child(orientation, number, 2), message)


def test_a_level_follows_its_parent_level():
    orientation = ObjectiveFactory(number="2")

    assert_invalid(child(orientation, "2.1.1", 3), "suivre immédiatement")


def test_only_an_orientation_has_no_parent():
    section = HealthSectionFactory()
    orphan = Objective(section=section, number="2.1", level=2, title="Objectif")
    orientation_with_parent = child(ObjectiveFactory(section=section, number="3"), "3.1", 1)

    assert_invalid(orphan, "rattaché à un niveau supérieur")
    assert_database_rejects(orphan)
    assert_database_rejects(orientation_with_parent)


def test_a_parent_belongs_to_the_same_section():
    orientation = ObjectiveFactory(number="2")
    foreign = Objective(
        section=HealthSectionFactory(), parent=orientation, number="2.1", level=2, title="Objectif"
    )

    assert_invalid(foreign, "autre volet santé")


def test_a_number_is_unique_within_a_section():
    orientation = ObjectiveFactory(number="2")
    twin = Objective(section=orientation.section, number="2", level=1, title="Doublon")

    assert_invalid(twin, "déjà utilisé dans ce volet santé")
    assert_database_rejects(twin)
    Objective(section=HealthSectionFactory(), number="2", level=1, title="Ailleurs").full_clean()


def test_levels_run_from_1_to_4():
    orientation = ObjectiveFactory(number="2")

    assert_database_rejects(child(orientation, "2.1.1.1.1", 5))


def test_numbers_sort_numerically():
    orientation = ObjectiveFactory(number="2")

    assert child(orientation, "2.10", 2).number_key > child(orientation, "2.9", 2).number_key


def test_an_action_ends_after_it_starts():
    action = ActionFactory.build(
        objective=ObjectiveFactory(), carrier=OrganisationFactory(), start_year=2016, end_year=2015
    )

    assert_invalid(action, "l'année de début")
    assert_database_rejects(action)


def test_action_funding_states_an_amount_or_a_share():
    line = ActionFunding(
        action=ActionFactory(), funder=OrganisationFactory(), year=2016, programme="ars_fir"
    )

    assert_invalid(line, "un montant ou une part")
    assert_database_rejects(line)
    line.share = Decimal("25")
    line.full_clean()


def test_the_tree_comes_in_numeric_order_in_two_queries(django_assert_num_queries):
    from contracts.selectors import objective_lines

    orientation = ObjectiveFactory(number="2")
    for number in ("2.10", "2.9", "2.1"):
        child(orientation, number, 2).save()

    with django_assert_num_queries(2):
        lines = objective_lines(orientation.section)

    assert [(depth, o.number) for depth, o in lines] == [
        (0, "2"),
        (1, "2.1"),
        (1, "2.9"),
        (1, "2.10"),
    ]


def test_an_asv_contributes_to_a_section_a_cls_constitutes():
    cls, asv = SchemeFactory(cls_contract=True), SchemeFactory(kind="ASV")
    section = HealthSectionFactory(constituted_by=cls)

    section.contributing_schemes.add(asv)

    assert list(asv.contributed_sections.all()) == [section]
    assert list(cls.constituted_sections.all()) == [section]
