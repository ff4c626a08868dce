"""Official identifiers and plausible values on the territory models."""

import csv
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon

from neighbourhoods.limits import MAX_GEOMETRY_VERTICES
from neighbourhoods.models import Epci, IndicatorValue
from neighbourhoods.validators import luhn_valid, siren_error
from tests.helpers import assert_database_rejects, assert_invalid
from tests.neighbourhoods.factories import (
    IndicatorFactory,
    NeighbourhoodFactory,
)
from tests.neighbourhoods.test_import_limits import comb

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"


@pytest.mark.parametrize(
    ("siren", "message"),
    [("ABCDEFGHI", "9 chiffres"), ("12345", "9 chiffres"), ("200093202", "clé de contrôle")],
)
@pytest.mark.django_db
def test_an_epci_siren_has_nine_digits_and_a_valid_key(siren, message):
    assert_invalid(Epci(siren=siren, name="CC test", nature="CC"), message)


@pytest.mark.django_db
def test_the_database_refuses_an_epci_siren_that_is_not_nine_digits():
    assert_database_rejects(Epci(siren="ABCDEFGHI", name="CC test", nature="CC"))


def test_every_siren_of_the_reference_files_passes_the_luhn_key():
    with (REFERENCE / "communes_cog2026_epci.csv").open(encoding="utf-8") as file:
        sirens = {row["siren_epci"] for row in csv.DictReader(file) if row["siren_epci"]}

    assert len(sirens) > 1000
    assert [s for s in sirens if siren_error(s)] == []


def test_la_poste_siren_passes_the_luhn_key():
    assert luhn_valid("356000000")


@pytest.mark.django_db
@pytest.mark.parametrize("year", [99999, 1])
def test_an_indicator_year_is_plausible(year):
    value = IndicatorValue(
        neighbourhood=NeighbourhoodFactory(), indicator=IndicatorFactory(), year=year, value=1
    )

    assert_invalid(value, "L'année doit être comprise entre 1990 et 2100")


@pytest.mark.django_db
def test_the_database_refuses_an_implausible_indicator_year():
    value = IndicatorValue(
        neighbourhood=NeighbourhoodFactory(), indicator=IndicatorFactory(), year=3000, value=1
    )

    assert_database_rejects(value)


@pytest.mark.django_db
def test_a_contour_is_in_longitude_latitude():
    square = Polygon(((1000, 1000), (1001, 1000), (1001, 1001), (1000, 1001), (1000, 1000)))
    neighbourhood = NeighbourhoodFactory.build(contour=MultiPolygon(square, srid=4326))

    assert_invalid(neighbourhood, "hors des longitudes")


@pytest.mark.django_db
def test_a_contour_over_the_vertex_budget_is_refused():
    shape = MultiPolygon(Polygon(comb(MAX_GEOMETRY_VERTICES + 100)[0]), srid=4326)

    assert_invalid(NeighbourhoodFactory.build(contour=shape), "MAX_GEOMETRY_VERTICES")


@pytest.mark.parametrize(
    "constraint",
    [c for m in apps.get_models() for c in m._meta.constraints],
    ids=lambda c: c.name,
)
def test_every_constraint_message_formats_without_error(constraint):
    # Django %-formats violation_error_message: a bare % raised « incomplete format ».
    message = constraint.get_violation_error_message()

    assert "%%" not in message and "%(" not in message
