import pytest

from neighbourhoods.geo import (
    GeoInputError,
    declared_srid,
    multipolygon_from_geojson,
    simplify_for_web,
)

SQUARE = [[[1.44, 43.60], [1.45, 43.60], [1.45, 43.61], [1.44, 43.61], [1.44, 43.60]]]


def polygon(rings):
    return {"type": "Polygon", "coordinates": rings}


def named(name):
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": name}}}


def test_a_file_without_crs_is_longitude_latitude():
    assert declared_srid({"type": "FeatureCollection"}) == 4326


@pytest.mark.parametrize(
    ("name", "srid"),
    [
        ("urn:ogc:def:crs:OGC:1.3:CRS84", 4326),
        ("EPSG:4326", 4326),
        ("urn:ogc:def:crs:EPSG::2154", 2154),
        ("EPSG:2975", 2975),
        ("urn:ogc:def:crs:EPSG::5490", 5490),
    ],
)
def test_known_crs_are_recognised(name, srid):
    assert declared_srid(named(name)) == srid


@pytest.mark.parametrize("name", ["EPSG:3857", "+proj=longlat +datum=WGS84", "/etc/passwd", None])
def test_any_other_crs_is_rejected_without_reaching_gdal(name):
    with pytest.raises(GeoInputError, match="non pris en charge"):
        declared_srid(named(name))


def test_a_valid_polygon_becomes_a_wgs84_multipolygon():
    shape = multipolygon_from_geojson(polygon(SQUARE), 4326)

    assert shape.geom_type == "MultiPolygon" and shape.srid == 4326 and shape.valid


def test_an_unclosed_ring_is_rejected():
    ring = [[[1.44, 43.60], [1.45, 43.60], [1.45, 43.61], [1.44, 43.61]]]
    ring[0].append([1.44, 43.62])

    with pytest.raises(GeoInputError, match="anneau non fermé"):
        multipolygon_from_geojson(polygon(ring), 4326)


def test_a_ring_of_three_points_is_rejected():
    with pytest.raises(GeoInputError, match="moins de 4 points"):
        multipolygon_from_geojson(polygon([[[1.44, 43.60], [1.45, 43.60], [1.44, 43.60]]]), 4326)


def test_a_bow_tie_is_repaired_into_a_valid_multipolygon():
    bow_tie = [[[1.44, 43.60], [1.45, 43.61], [1.45, 43.60], [1.44, 43.61], [1.44, 43.60]]]

    shape = multipolygon_from_geojson(polygon(bow_tie), 4326)

    assert shape.valid and len(shape) == 2
    assert shape.area == pytest.approx(0.00005, rel=1e-6)


def test_undeclared_lambert_93_is_rejected_with_a_hint():
    lambert = [[[574000, 6279000], [575000, 6279000], [575000, 6280000], [574000, 6279000]]]

    with pytest.raises(GeoInputError, match="Lambert-93 sans CRS déclaré"):
        multipolygon_from_geojson(polygon(lambert), 4326)


def test_declared_lambert_93_is_reprojected_to_longitude_latitude():
    # Toulouse's Capitole is near (574 420, 6 279 430) in Lambert-93, (1.4442, 43.6045) in WGS84.
    x, y = 574420, 6279430
    square = [[[x, y], [x + 100, y], [x + 100, y + 100], [x, y + 100], [x, y]]]

    shape = multipolygon_from_geojson(polygon(square), 2154)

    assert shape.srid == 4326
    assert shape.extent[0] == pytest.approx(1.4442, abs=0.002)
    assert shape.extent[1] == pytest.approx(43.6045, abs=0.002)


def test_an_overseas_projection_lands_overseas():
    # A small square in Saint-Denis de La Réunion, RGR92 / UTM 40S.
    x, y = 338000, 7689000
    square = [[[x, y], [x + 100, y], [x + 100, y + 100], [x, y + 100], [x, y]]]

    shape = multipolygon_from_geojson(polygon(square), 2975)

    assert 55 < shape.extent[0] < 56 and -21.5 < shape.extent[1] < -20.5


def square_at(lon, lat, side=0.005):
    return [
        [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    ]


@pytest.mark.parametrize(
    ("place", "lon", "lat"),
    [
        ("Fort-de-France, Martinique", -61.07, 14.61),
        ("Pointe-à-Pitre, Guadeloupe", -61.53, 16.24),
        ("Cayenne, Guyane", -52.33, 4.93),
        ("Mamoudzou, Mayotte", 45.22, -12.78),
        ("Ouessant, Finistère", -5.09, 48.45),
    ],
)
def test_a_contour_anywhere_in_france_is_accepted(place, lon, lat):
    shape = multipolygon_from_geojson(polygon(square_at(lon, lat)), 4326)

    assert shape.extent[0] == pytest.approx(lon), place


def test_a_contour_outside_france_is_rejected():
    with pytest.raises(GeoInputError, match="hors de la France"):
        multipolygon_from_geojson(
            polygon([[[13.4, 52.5], [13.5, 52.5], [13.5, 52.6], [13.4, 52.5]]]), 4326
        )


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [1.44, 43.6]}, "Polygon ou un MultiPolygon"),
        ({"type": "Polygon", "coordinates": []}, "vide"),
        (None, "absente"),
    ],
)
def test_other_geometries_are_rejected(geometry, message):
    with pytest.raises(GeoInputError, match=message):
        multipolygon_from_geojson(geometry, 4326)


def test_simplification_keeps_a_valid_non_empty_multipolygon():
    # A ring with a hundred tiny zigzags, well under the web tolerance.
    bottom = [[1.44 + i * 0.0001, 43.60 + (i % 2) * 0.00001] for i in range(101)]
    ring = [*bottom, [1.45, 43.61], [1.44, 43.61], bottom[0]]
    shape = multipolygon_from_geojson(polygon([ring]), 4326)

    simplified = simplify_for_web(shape)

    assert simplified.geom_type == "MultiPolygon" and simplified.valid and not simplified.empty
    assert simplified.num_coords < shape.num_coords / 5
