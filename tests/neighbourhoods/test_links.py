import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from neighbourhoods.models import NeighbourhoodLink
from neighbourhoods.services import neighbourhood_links_refresh, normalised_name
from tests.neighbourhoods.factories import CommuneFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def square(x0, y0, size=0.01):
    return MultiPolygon(
        Polygon(((x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0))),
        srid=4326,
    )


def test_names_compare_without_case_accents_or_punctuation():
    assert normalised_name("Cœur de Ville") == normalised_name("COEUR-DE-VILLE")


def test_it_links_same_name_in_a_shared_commune():
    foix = CommuneFactory()
    old = NeighbourhoodFactory(geography_2015=True, name="Centre Ancien", communes=[foix])
    new = NeighbourhoodFactory(name="Centre ancien", communes=[foix])
    NeighbourhoodFactory(name="Centre ancien")  # same name, another commune

    counts = neighbourhood_links_refresh()

    assert counts["created"] == 1
    link = NeighbourhoodLink.objects.get()
    assert (link.previous, link.current, link.basis) == (old, new, "name")


def test_it_links_overlapping_contours_but_not_touching_ones():
    old = NeighbourhoodFactory(geography_2015=True, name="A", contour=square(1.44, 43.60))
    overlapping = NeighbourhoodFactory(name="B", contour=square(1.445, 43.60))
    NeighbourhoodFactory(name="C", contour=square(1.45, 43.60))  # shares an edge only

    neighbourhood_links_refresh()

    assert list(NeighbourhoodLink.objects.values_list("previous", "current", "basis")) == [
        (old.pk, overlapping.pk, "contour")
    ]


def test_a_second_refresh_changes_nothing():
    commune = CommuneFactory()
    NeighbourhoodFactory(geography_2015=True, name="Blanchard", communes=[commune])
    NeighbourhoodFactory(name="Blanchard", communes=[commune])
    neighbourhood_links_refresh()

    assert neighbourhood_links_refresh() == {"created": 0, "updated": 0, "deleted": 0}


def test_a_neighbourhood_is_answered_as_of_either_geography():
    commune = CommuneFactory()
    old = NeighbourhoodFactory(geography_2015=True, name="Vaucrises", communes=[commune])
    new = NeighbourhoodFactory(name="Vaucrises", communes=[commune])
    unrelated = NeighbourhoodFactory(name="Blanchard", communes=[commune])
    neighbourhood_links_refresh()

    from neighbourhoods.models import Neighbourhood

    assert list(Neighbourhood.objects.filter(pk=old.pk).as_of(2024)) == [new]
    assert list(Neighbourhood.objects.filter(pk=new.pk).as_of(2015)) == [old]
    assert list(Neighbourhood.objects.filter(pk=unrelated.pk).as_of(2024)) == [unrelated]
    assert not Neighbourhood.objects.filter(pk=unrelated.pk).as_of(2015).exists()
