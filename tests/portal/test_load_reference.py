import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from contracts.models import CityContract
from neighbourhoods.models import Commune, IndicatorValue, Neighbourhood, NeighbourhoodLink


@pytest.mark.slow
@pytest.mark.django_db
def test_it_loads_the_real_national_reference_and_a_rerun_changes_nothing():
    out = io.StringIO()
    call_command("load_reference", stdout=out, stderr=io.StringIO())

    assert Commune.objects.count() == 34_920
    assert Neighbourhood.objects.filter(vintage=2024).count() == 1_493
    assert (
        Neighbourhood.objects.filter(vintage=2024)
        .annotate(n=Count("communes"))
        .filter(n__gt=1)
        .count()
        == 148
    )
    assert Neighbourhood.objects.filter(vintage=2015).exclude(contour=None).count() == 105
    assert IndicatorValue.objects.values("neighbourhood").distinct().count() == 105
    assert CityContract.objects.count() == 446
    assert NeighbourhoodLink.objects.exists()

    again = io.StringIO()
    call_command("load_reference", stdout=again, stderr=io.StringIO())

    summaries = [line for line in again.getvalue().splitlines() if "créé(s)" in line]
    assert len(summaries) == 5
    assert all(" 0 créé(s), 0 mis à jour" in line for line in summaries), summaries
