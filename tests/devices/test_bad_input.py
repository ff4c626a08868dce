"""Values that used to be accepted or to crash: a French field error, nothing stored."""

from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point

from devices.models import Funding
from tests.devices.factories import (
    HealthStructureFactory,
    MediatorPostFactory,
    OrganisationFactory,
    SchemeFactory,
)
from tests.helpers import assert_database_rejects, assert_invalid

pytestmark = pytest.mark.django_db


def test_mediator_post_shares_not_totalling_100_give_a_message_not_a_format_error():
    post = MediatorPostFactory.build(
        scheme=SchemeFactory(arms=True),
        employer=OrganisationFactory(),
        state_share=Decimal("60"),
        ars_share=Decimal("30"),
    )

    assert_invalid(post, "Les parts État et ARS totalisent 100 %.")
    assert_database_rejects(post)


@pytest.mark.parametrize(
    ("siren", "message"),
    [
        ("ABCDEFGHI", "9 chiffres attendus"),
        ("12345", "9 chiffres attendus"),
        ("１２３４５６７８２", "9 chiffres attendus"),  # full-width digits
        ("123456789", "clé de contrôle"),
    ],
)
def test_an_organisation_siren_has_nine_digits_and_a_valid_key(siren, message):
    organisation = OrganisationFactory.build(siren=siren)

    assert_invalid(organisation, message)


def test_the_database_refuses_a_siren_that_is_not_nine_digits():
    assert_database_rejects(OrganisationFactory.build(siren="ABCDEFGHI"))


@pytest.mark.parametrize("siren", ["356000000", "200093201", ""])
def test_real_sirens_la_poste_included_and_a_blank_one_are_accepted(siren):
    OrganisationFactory.build(siren=siren).full_clean()


@pytest.mark.parametrize("year", [99999, 1, 1989, 2101])
def test_a_scheme_creation_year_is_plausible(year):
    scheme = SchemeFactory.build(carrier=OrganisationFactory(), start_year=year)

    assert_invalid(scheme, "L'année doit être comprise entre 1990 et 2100")


@pytest.mark.parametrize("year", [1, 3000])
def test_the_database_refuses_an_implausible_scheme_year(year):
    assert_database_rejects(SchemeFactory.build(carrier=OrganisationFactory(), start_year=year))


@pytest.mark.parametrize("year", [99999, 1])
def test_a_funding_year_gets_a_field_error(year):
    line = Funding(
        scheme=SchemeFactory(), funder=OrganisationFactory(), year=year, programme="p147", share=50
    )

    assert_invalid(line, "L'année doit être comprise entre 1990 et 2100")


@pytest.mark.parametrize("point", [Point(1000, 1000, srid=4326), Point(3.06, 95, srid=4326)])
def test_a_health_structure_location_is_a_longitude_latitude(point):
    structure = HealthStructureFactory.build(location=point)

    assert_invalid(structure, "hors des longitudes (−180 à 180) et latitudes (−90 à 90)")


def test_a_health_structure_in_lille_is_accepted():
    structure = HealthStructureFactory(location=Point(3.06, 50.63, srid=4326))

    structure.full_clean()
