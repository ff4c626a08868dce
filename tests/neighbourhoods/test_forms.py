"""The geometry form field answers a French field error to any input, never a 500."""

import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError

from neighbourhoods.forms import SafeGeometryField
from neighbourhoods.limits import MAX_GEOMETRY_INPUT_CHARS, MAX_GEOMETRY_VERTICES
from tests.neighbourhoods.test_import_limits import comb

# Lille's town hall in Lambert-93.
LILLE_L93 = "SRID=2154;POINT(704000 7059000)"


def point_field() -> SafeGeometryField:
    return SafeGeometryField(srid=4326, geom_type="POINT")


def contour_field() -> SafeGeometryField:
    return SafeGeometryField(srid=4326, geom_type="MULTIPOLYGON")


def error_of(field: SafeGeometryField, value: str) -> str:
    with pytest.raises(ValidationError) as error:
        field.clean(value)
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SRID=999999;POINT(1 2)", "EPSG:999999 non pris en charge"),
        ("srid=3857;POINT(1 2)", "EPSG:3857 non pris en charge"),
        (
            '{"type": "Point", "coordinates": [1, 2], '
            '"crs": {"type": "name", "properties": {"name": "EPSG:999999"}}}',
            "non pris en charge",
        ),
        (
            '{"type": "Point", "coordinates": [1, 2], "crs": {"type": "name", "properties": "x"}}',
            "non pris en charge",
        ),
        ("[" * 100_000 + "]" * 100_000, "limite MAX_JSON_DEPTH"),
        ("POINT" + "(" * 100_000 + ")" * 100_000, "limite MAX_JSON_DEPTH"),
        ("POINT(1000 1000)", "hors des longitudes"),
        ("POINT(2 -91)", "hors des longitudes"),
        ("POINT(nan nan)", "Géométrie vide."),
        (Point(float("inf"), 1, srid=4326).hexewkb.decode(), "non finies"),
        ("POINT EMPTY", "Géométrie vide."),
        ('{"type": "Point", "coordinates": ["1", "2"]}', "Géométrie illisible"),
        ("not a geometry", "Géométrie illisible"),
        ("LINESTRING(1 2, 3 4)", "Type de géométrie incorrect"),
    ],
    ids=[
        "unknown-ewkt-srid",
        "web-mercator-srid",
        "unknown-geojson-crs",
        "crs-properties-string",
        "json-nested-100000",
        "wkt-nested-100000",
        "out-of-range",
        "latitude-out-of-range",
        "nan",
        "infinity",
        "empty",
        "coordinates-as-strings",
        "garbage",
        "wrong-type",
    ],
)
def test_bad_geometries_get_a_french_field_error(value, expected):
    assert expected in error_of(point_field(), value)


def test_input_over_the_size_limit_is_refused_before_parsing():
    value = "POINT(1 2)" + " " * MAX_GEOMETRY_INPUT_CHARS

    assert "limite MAX_GEOMETRY_INPUT_CHARS" in error_of(point_field(), value)


def test_a_contour_over_the_vertex_budget_is_refused():
    shape = MultiPolygon(Polygon(comb(MAX_GEOMETRY_VERTICES + 100)[0]), srid=4326)

    assert "limite MAX_GEOMETRY_VERTICES" in error_of(contour_field(), shape.ewkt)


def test_a_known_projection_is_turned_into_longitude_latitude():
    point = point_field().clean(LILLE_L93)

    assert point.srid == 4326
    assert point.x == pytest.approx(3.06, abs=0.05) and point.y == pytest.approx(50.63, abs=0.05)


@pytest.mark.parametrize(
    "value",
    [
        "POINT(3.06 50.63)",
        json.dumps({"type": "Point", "coordinates": [3.06, 50.63]}),
        json.dumps(
            {
                "type": "Point",
                "coordinates": [704000, 7059000],
                "crs": {"type": "name", "properties": {"name": "EPSG:2154"}},
            }
        ),
        Point(3.06, 50.63, srid=4326).hexewkb.decode(),
    ],
    ids=["wkt", "geojson", "geojson-lambert-93", "hexewkb"],
)
def test_good_geometries_are_accepted(value):
    point = point_field().clean(value)

    assert point.srid == 4326 and -180 <= point.x <= 180
