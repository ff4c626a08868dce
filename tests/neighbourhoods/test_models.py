from decimal import Decimal

import pytest

from neighbourhoods.models import (
    Commune,
    Epci,
    FamilyMembership,
    IndicatorValue,
    Neighbourhood,
    NeighbourhoodLink,
    TypologyFamily,
)
from tests.helpers import assert_database_rejects, assert_invalid
from tests.neighbourhoods.factories import (
    CommuneFactory,
    DepartmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    NeighbourhoodFactory,
    TypologyFactory,
    TypologyFamilyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("siren", ["24590116", "24590116A", "A45901160"])
def test_it_rejects_a_siren_that_is_not_nine_digits(siren):
    epci = Epci(siren=siren, name="Valenciennes Métropole", nature="CA")

    assert_invalid(epci, "9 chiffres")
    assert_database_rejects(epci)


@pytest.mark.parametrize("code", ["5935", "2C004", "ABCDE", "59 35"])
def test_it_rejects_a_malformed_insee_code(code):
    commune = Commune(insee_code=code, name="Lille", department=DepartmentFactory())

    assert_invalid(commune, "5 caractères")
    assert_database_rejects(commune)


@pytest.mark.parametrize("code", ["59350", "2A004", "2B033", "97411"])
def test_it_accepts_real_insee_codes(code):
    Commune(insee_code=code, name="Commune", department=DepartmentFactory()).full_clean()


def test_only_an_arrondissement_has_a_parent_commune():
    lyon = CommuneFactory(insee_code="69123")
    commune_with_parent = Commune(
        insee_code="69381", name="Lyon 1er", department=lyon.department, parent=lyon
    )
    orphan_arrondissement = Commune(
        insee_code="69382", name="Lyon 2e", department=lyon.department, kind="ARM"
    )

    assert_invalid(commune_with_parent, "arrondissement")
    assert_database_rejects(commune_with_parent)
    assert_database_rejects(orphan_arrondissement)
    commune_with_parent.kind = "ARM"
    commune_with_parent.full_clean()


@pytest.mark.parametrize(("vintage", "code"), [(2015, "QN00216M"), (2024, "QP059001")])
def test_a_qpv_code_matches_its_geography(vintage, code):
    neighbourhood = Neighbourhood(code=code, name="Blanchard", vintage=vintage)

    assert_invalid(neighbourhood, "QP (géographie 2015) ou QN (géographie 2024)")
    assert_database_rejects(neighbourhood)


def test_a_watch_area_may_carry_a_local_code():
    Neighbourhood(code="QV59286A", name="Haubourdin", vintage=2024, kind="watch").full_clean()


def test_a_neighbourhood_does_not_succeed_itself():
    neighbourhood = NeighbourhoodFactory()
    link = NeighbourhoodLink(previous=neighbourhood, current=neighbourhood, basis="name")

    assert_database_rejects(link)


def test_a_link_goes_from_an_older_geography_to_a_newer_one():
    old = NeighbourhoodFactory(geography_2015=True)
    new = NeighbourhoodFactory()

    assert_invalid(NeighbourhoodLink(previous=new, current=old, basis="name"), "plus ancienne")
    NeighbourhoodLink(previous=old, current=new, basis="name").full_clean()


def test_a_link_is_recorded_once():
    link = NeighbourhoodLink.objects.create(
        previous=NeighbourhoodFactory(geography_2015=True),
        current=NeighbourhoodFactory(),
        basis="contour",
    )

    assert_database_rejects(
        NeighbourhoodLink(previous=link.previous, current=link.current, basis="name")
    )


@pytest.mark.parametrize(
    ("status", "value"), [("secret", Decimal("0")), ("missing", Decimal("3")), ("available", None)]
)
def test_a_value_exists_exactly_when_it_is_available(status, value):
    row = IndicatorValueFactory.build(
        neighbourhood=NeighbourhoodFactory(),
        indicator=IndicatorFactory(),
        status=status,
        value=value,
    )

    assert_invalid(row, "secrète ou non disponible")
    assert_database_rejects(row)


def test_a_secret_value_is_stored_without_a_number():
    row = IndicatorValueFactory(status="secret", value=None)

    assert IndicatorValue.objects.get(pk=row.pk).value is None


@pytest.mark.parametrize("value", [Decimal("-0.1"), Decimal("100.5")])
def test_a_percentage_lies_between_0_and_100(value):
    row = IndicatorValueFactory.build(
        neighbourhood=NeighbourhoodFactory(), indicator=IndicatorFactory(), value=value
    )

    assert_invalid(row, "entre 0 et 100")


def test_a_count_may_exceed_100():
    count = IndicatorFactory(code="pop_mun", label="Population", unit="count")

    IndicatorValueFactory.build(
        neighbourhood=NeighbourhoodFactory(), indicator=count, value=Decimal("14794")
    ).full_clean()


def test_one_value_per_neighbourhood_indicator_and_year():
    first = IndicatorValueFactory()
    again = IndicatorValue(
        neighbourhood=first.neighbourhood, indicator=first.indicator, year=first.year, value=1
    )

    assert_invalid(again, "déjà une valeur")
    assert_database_rejects(again)


@pytest.mark.parametrize("colour", ["green", "#2e8b5", "2e8b57a", "#2e8b5g"])
def test_a_family_colour_is_hexadecimal(colour):
    family = TypologyFamilyFactory.build(typology=TypologyFactory(), colour=colour)

    assert_invalid(family, "#rrggbb")
    assert_database_rejects(family)


def test_a_family_code_is_unique_within_its_typology():
    family = TypologyFamilyFactory(code="vert")

    assert_database_rejects(
        TypologyFamily(typology=family.typology, code="vert", label="Autre", colour="#000000")
    )


def test_a_neighbourhood_belongs_to_one_family_per_typology():
    green = TypologyFamilyFactory(code="vert")
    red = TypologyFamilyFactory(code="rouge", typology=green.typology)
    other_typology = TypologyFamilyFactory(typology=TypologyFactory(code="autre"))
    neighbourhood = NeighbourhoodFactory()
    FamilyMembership.objects.create(neighbourhood=neighbourhood, family=green)

    assert_invalid(FamilyMembership(neighbourhood=neighbourhood, family=red), "déjà à une famille")
    assert_database_rejects(FamilyMembership(neighbourhood=neighbourhood, family=green))
    FamilyMembership(neighbourhood=neighbourhood, family=other_typology).full_clean()
