import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from neighbourhoods.models import Neighbourhood
from neighbourhoods.selectors import locate, locate_points
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def square(x0, y0, x1, y1):
    return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))), srid=4326)


@pytest.fixture
def two_neighbours():
    """West and east squares sharing the edge lon = 1.45."""
    NeighbourhoodFactory(code="QN03101M", contour=square(1.44, 43.60, 1.45, 43.61))
    NeighbourhoodFactory(code="QN03102M", contour=square(1.45, 43.60, 1.46, 43.61))


def test_a_point_inside_answers_its_neighbourhood(two_neighbours):
    assert locate(1.443, 43.605) == ["QN03101M"]
    assert locate(1.455, 43.605) == ["QN03102M"]


def test_a_point_outside_every_contour_answers_nothing(two_neighbours):
    assert locate(2.35, 48.85) == []


def test_a_point_on_a_shared_edge_belongs_to_both(two_neighbours):
    assert locate(1.45, 43.605) == ["QN03101M", "QN03102M"]


def test_a_point_on_an_outer_edge_or_vertex_belongs_to_its_neighbourhood(two_neighbours):
    assert locate(1.44, 43.605) == ["QN03101M"]
    assert locate(1.46, 43.61) == ["QN03102M"]


def test_a_batch_is_answered_point_by_point_in_one_query(two_neighbours, django_assert_num_queries):
    points = [(1.443, 43.605), (2.35, 48.85), (1.45, 43.605), (1.455, 43.601)] * 50

    with django_assert_num_queries(1):
        found = locate_points(points)

    assert found[0] == ["QN03101M"] and found[1] == [] and found[2] == ["QN03101M", "QN03102M"]
    assert found[199] == ["QN03102M"]
    assert len(found) == 200


def test_the_queryset_agrees_with_the_batch_lookup(two_neighbours):
    on_edge = Point(1.45, 43.605, srid=4326)

    codes = sorted(Neighbourhood.objects.containing(on_edge).values_list("code", flat=True))

    assert codes == locate(1.45, 43.605)


def test_contours_have_a_working_spatial_index():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'neighbourhoods_neighbourhood' "
                "AND indexdef ILIKE '%%USING gist (contour)%%'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM geometry_columns WHERE f_table_name = "
                "'neighbourhoods_neighbourhood' AND f_geometry_column = 'contour' "
                "AND spatial_index_enabled = 1"
            )
        assert cursor.fetchone()[0] == 1


def test_locate_prints_one_code_per_line(two_neighbours, capsys):
    call_command("locate", "1.45", "43.605")

    assert capsys.readouterr().out.splitlines() == ["QN03101M", "QN03102M"]


def test_locate_prints_nothing_outside(two_neighbours, capsys):
    call_command("locate", "2.35", "48.85")

    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("lon", "lat"), [("est", "43.6"), ("200", "43.6")])
def test_locate_rejects_what_is_not_a_wgs84_point(lon, lat):
    with pytest.raises(CommandError):
        call_command("locate", lon, lat)
