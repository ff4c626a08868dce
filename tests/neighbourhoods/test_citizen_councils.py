"""Citizen councils: one per priority neighbourhood at most, created under the 2014 law."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from neighbourhoods.models import CitizenCouncil, CitizenCouncilCoverage, Neighbourhood
from tests.neighbourhoods.factories import CitizenCouncilFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def test_a_council_may_cover_several_neighbourhoods():
    first, second = NeighbourhoodFactory(), NeighbourhoodFactory()

    council = CitizenCouncilFactory(neighbourhoods=[first, second])

    assert set(council.neighbourhoods.all()) == {first, second}


def test_a_neighbourhood_has_at_most_one_council_in_the_database():
    neighbourhood = NeighbourhoodFactory()
    CitizenCouncilFactory(neighbourhoods=[neighbourhood])
    other = CitizenCouncilFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenCouncilCoverage.objects.create(council=other, neighbourhood=neighbourhood)


def test_a_second_council_for_a_neighbourhood_is_refused_with_a_french_message():
    neighbourhood = NeighbourhoodFactory()
    CitizenCouncilFactory(neighbourhoods=[neighbourhood])
    coverage = CitizenCouncilCoverage(council=CitizenCouncilFactory(), neighbourhood=neighbourhood)

    with pytest.raises(ValidationError, match="Ce quartier a déjà un conseil citoyen"):
        coverage.full_clean()


def test_a_council_covers_priority_neighbourhoods_not_watch_areas():
    watch = NeighbourhoodFactory(kind="watch", code="QV59999A")
    coverage = CitizenCouncilCoverage(council=CitizenCouncilFactory(), neighbourhood=watch)

    with pytest.raises(ValidationError) as error:
        coverage.full_clean()

    assert "quartiers prioritaires" in str(error.value.message_dict["neighbourhood"])


def test_a_council_cannot_predate_the_law_of_21_february_2014():
    council = CitizenCouncil(name="Conseil trop ancien", created_on=datetime.date(2014, 2, 20))

    with pytest.raises(ValidationError, match="loi du 21 février 2014"):
        council.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        council.save()
    CitizenCouncil(name="Conseil du jour de la loi", created_on=datetime.date(2014, 2, 21)).save()


def test_without_citizen_council_lists_the_qpv_no_council_covers():
    covered, uncovered = NeighbourhoodFactory(), NeighbourhoodFactory()
    watch = NeighbourhoodFactory(kind="watch", code="QV59998A")
    CitizenCouncilFactory(neighbourhoods=[covered])

    missing = Neighbourhood.objects.without_citizen_council()

    assert uncovered in missing
    assert covered not in missing
    assert watch not in missing  # the law asks for councils in priority neighbourhoods only
    assert list(Neighbourhood.objects.with_citizen_council()) == [covered]
