"""Bad input and oversized input: a French FILE:LINE: column: reason, nothing written."""

import io
import json
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods import geo
from neighbourhoods.importing import readers
from neighbourhoods.limits import (
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    MAX_GEOMETRY_VERTICES,
    MAX_LINE_CHARS,
)
from neighbourhoods.models import Commune, Neighbourhood
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.neighbourhoods.importing import COMMUNES_HEADER, LILLE, ROUBAIX, communes_file, run
from tests.neighbourhoods.importing import write as write_text

pytestmark = pytest.mark.django_db

SQUARE = [[[1.44, 43.60], [1.45, 43.60], [1.45, 43.61], [1.44, 43.61], [1.44, 43.60]]]


def refused(command: str, path, capsys) -> str:
    """Runs an import that must fail; returns everything it printed, without a traceback."""
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(command, str(path), stdout=io.StringIO(), stderr=err)
    output = str(error.value) + "\n" + err.getvalue() + capsys.readouterr().err
    assert "Traceback" not in output
    return output


def write_bytes(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def geojson(tmp_path, document) -> object:
    return write_text(tmp_path, "contours.geojson", json.dumps(document))


def collection(*features, crs=None) -> dict:
    document = {"type": "FeatureCollection", "features": list(features)}
    if crs is not None:
        document["crs"] = crs
    return document


def feature(code="QN03101M", coordinates=SQUARE, kind="Polygon") -> dict:
    return {
        "type": "Feature",
        "properties": {"code_qp": code},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def comb(vertices: int, x0: float = 1.40, y0: float = 43.55) -> list:
    """A valid comb-shaped ring of about ``vertices`` points: the kind of contour that made
    GEOS's simplifier exhaust the stack."""
    teeth = max(1, (vertices - 3) // 4)
    width = 0.1 / teeth
    ring = [[x0, y0]]
    for i in range(teeth):
        x = x0 + i * width
        ring += [
            [x, y0 + 0.05],
            [x + width / 2, y0 + 0.05],
            [x + width / 2, y0 + 0.01],
            [x + width, y0 + 0.01],
        ]
    ring += [[x0 + 0.1, y0], [x0, y0]]
    return [ring]


# CSV and XLSX


def test_binary_garbage_is_refused_at_its_line(tmp_path, capsys):
    path = write_bytes(tmp_path, "communes.csv", COMMUNES_HEADER.encode() + b"\n\x81\x8d\x00\xff")

    assert "communes.csv:2: fichier: encodage inconnu" in refused("import_communes", path, capsys)
    assert not Commune.objects.exists()


def test_a_nul_byte_is_refused_at_its_line_and_column_on_every_database(tmp_path, capsys):
    nul = LILLE.replace("Lille", "Li\x00lle")
    path = communes_file(tmp_path, ROUBAIX, nul)

    output = refused("import_communes", path, capsys)

    assert "communes.csv:3: nom: caractère NUL (octet 0) interdit." in output
    assert not Commune.objects.exists()


def test_a_nul_byte_in_the_header_is_refused(tmp_path, capsys):
    path = write_text(tmp_path, "communes.csv", COMMUNES_HEADER + "\x00x\n" + LILLE + "\n")

    assert "communes.csv:1: population_municipale\x00x: caractère NUL" in refused(
        "import_communes", path, capsys
    )


def test_a_cell_over_the_limit_is_refused_with_the_limit_named(tmp_path, capsys):
    path = communes_file(tmp_path, LILLE.replace("Lille", "L" * (MAX_FIELD_CHARS + 1)))

    output = refused("import_communes", path, capsys)

    assert "communes.csv:2: nom: cellule de 10001 caractères" in output
    assert "MAX_FIELD_CHARS" in output


def test_a_field_over_128_kib_is_refused_at_its_line(tmp_path, capsys):
    path = communes_file(tmp_path, LILLE.replace("Lille", "L" * 140_000))

    output = refused("import_communes", path, capsys)

    assert "communes.csv:2: -: ligne de" in output and "MAX_LINE_CHARS" in output


def test_a_quoted_cell_over_many_short_lines_is_refused(tmp_path, capsys):
    long_name = '"' + "L\n" * (MAX_FIELD_CHARS // 2 + 1) + '"'
    path = communes_file(tmp_path, LILLE.replace("Lille", long_name))

    output = refused("import_communes", path, capsys)

    assert "communes.csv:" in output and ": nom: cellule de" in output
    assert "MAX_FIELD_CHARS" in output


def test_a_header_with_too_many_columns_is_refused_before_it_is_split(tmp_path, capsys):
    # The report said 10 million columns in 20 MB took 500 MB: this is the same shape, smaller.
    path = write_text(tmp_path, "communes.csv", "a," * 2_000_000 + "b\n1\n")

    output = refused("import_communes", path, capsys)

    assert f"communes.csv:1: -: plus de {MAX_COLUMNS} colonnes (limite MAX_COLUMNS)." in output


def test_a_row_with_too_many_columns_is_refused(tmp_path, capsys):
    path = communes_file(tmp_path, LILLE, LILLE + "," * MAX_COLUMNS)

    assert "communes.csv:3: -: plus de" in refused("import_communes", path, capsys)


def test_a_line_over_the_limit_is_refused(tmp_path, capsys):
    path = communes_file(tmp_path, LILLE + " " * MAX_LINE_CHARS)

    assert "communes.csv:2: -: ligne de" in refused("import_communes", path, capsys)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    path = communes_file(tmp_path, LILLE)

    output = refused("import_communes", path, capsys)

    assert "communes.csv:1: fichier: fichier de" in output and "MAX_FILE_BYTES" in output


def test_an_xlsx_that_is_not_a_zip_is_refused(tmp_path, capsys):
    path = write_bytes(tmp_path, "communes.xlsx", b"PK\x03\x04 not really a zip")

    assert "communes.xlsx:1: fichier: classeur XLSX illisible" in refused(
        "import_communes", path, capsys
    )


def xlsx(tmp_path, rows, name="communes.xlsx"):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_an_xlsx_row_shorter_than_its_header_is_reported_not_a_traceback(tmp_path, capsys):
    short = LILLE.split(",")[:3]
    path = xlsx(tmp_path, [COMMUNES_HEADER.split(","), short])

    output = refused("import_communes", path, capsys)

    assert "communes.xlsx:2: code_departement: code manquant." in output


def test_an_xlsx_that_unzips_beyond_the_limit_is_refused(tmp_path, capsys, monkeypatch):
    path = xlsx(tmp_path, [COMMUNES_HEADER.split(","), LILLE.split(",")])
    with zipfile.ZipFile(path) as archive:
        unzipped = sum(member.file_size for member in archive.infolist())
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED_BYTES", unzipped - 1)

    assert "MAX_XLSX_UNCOMPRESSED_BYTES" in refused("import_communes", path, capsys)


def test_an_xlsx_with_too_many_columns_is_refused(tmp_path, capsys):
    path = xlsx(tmp_path, [[f"c{i}" for i in range(MAX_COLUMNS + 1)], ["x"]])

    assert "communes.xlsx:1: -: plus de" in refused("import_communes", path, capsys)


# GeoJSON


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            collection(feature(), crs={"type": "name", "properties": "EPSG:2154"}),
            "contours.geojson:1: crs: système de coordonnées non pris en charge",
        ),
        (
            collection(feature(), crs="EPSG:4326"),
            "contours.geojson:1: crs: système de coordonnées non pris en charge",
        ),
        (
            {"type": "FeatureCollection", "features": {"0": feature()}},
            "contours.geojson:1: features: « features » doit être une liste",
        ),
        (collection("QN03101M"), "contours.geojson:objet 1: -: un objet Feature est attendu."),
        (
            collection({"type": "Feature", "properties": "QN03101M", "geometry": None}),
            "contours.geojson:objet 1: properties: « properties » doit être un objet.",
        ),
        (
            collection(feature(coordinates=[[[str(x), str(y)] for x, y in SQUARE[0]]])),
            "contours.geojson:objet 1: geometry: QN03101M : position ['1.44', '43.6'] : "
            "deux ou trois nombres [x, y] attendus.",
        ),
        (
            collection(feature(coordinates="1.44 43.60, 1.45 43.60")),
            "contours.geojson:objet 1: geometry: QN03101M : polygone vide ou mal formé",
        ),
        (
            collection(feature(coordinates=[[[[[1.44, 43.6]]]] * 5])),
            "contours.geojson:objet 1: geometry: QN03101M : position",
        ),
    ],
    ids=[
        "crs-properties-string",
        "crs-string",
        "features-object",
        "feature-string",
        "properties-string",
        "coordinates-strings",
        "coordinates-text",
        "coordinates-too-deep",
    ],
)
def test_a_malformed_geojson_is_reported_with_its_place(tmp_path, capsys, document, expected):
    NeighbourhoodFactory(code="QN03101M")

    output = refused("import_contours", geojson(tmp_path, document), capsys)

    assert expected in output
    assert Neighbourhood.objects.get(code="QN03101M").contour is None


def test_a_geojson_nested_100000_levels_deep_is_refused(tmp_path, capsys):
    path = write_text(tmp_path, "contours.geojson", "[" * 100_000 + "]" * 100_000)

    assert "contours.geojson:1: fichier: GeoJSON imbriqué trop profondément." in refused(
        "import_contours", path, capsys
    )


def test_a_nul_escape_in_a_geojson_is_refused_at_its_line(tmp_path, capsys):
    document = collection(feature())
    document["features"][0]["properties"]["nom_qp"] = "Les Iris\x00"
    text = json.dumps(document, indent=1)
    line = text[: text.index("\\u0000")].count("\n") + 1

    output = refused("import_contours", write_text(tmp_path, "contours.geojson", text), capsys)

    assert f"contours.geojson:{line}: -: caractère NUL (\\u0000) interdit." in output


def test_a_comb_beyond_the_vertex_budget_is_refused_before_geos_sees_it(
    tmp_path, capsys, monkeypatch
):
    NeighbourhoodFactory(code="QN03101M")
    rings = comb(50_000)
    assert len(rings[0]) > MAX_GEOMETRY_VERTICES

    def no_geos(*args, **kwargs):
        raise AssertionError("GEOS was handed a geometry over the vertex budget")

    monkeypatch.setattr(geo, "Polygon", no_geos)
    monkeypatch.setattr(geo.GEOSGeometry, "simplify", no_geos)

    output = refused(
        "import_contours", geojson(tmp_path, collection(feature(coordinates=rings))), capsys
    )

    assert (
        f"contours.geojson:objet 1: geometry: QN03101M : {len(rings[0])} sommets : "
        f"au plus {MAX_GEOMETRY_VERTICES} par géométrie (limite MAX_GEOMETRY_VERTICES)"
    ) in output
    assert Neighbourhood.objects.get(code="QN03101M").contour is None


def test_a_comb_within_the_vertex_budget_is_imported_and_simplified(tmp_path):
    NeighbourhoodFactory(code="QN03101M")
    rings = comb(2_000)

    run("import_contours", geojson(tmp_path, collection(feature(coordinates=rings))))

    neighbourhood = Neighbourhood.objects.get(code="QN03101M")
    assert neighbourhood.contour.num_coords == len(rings[0])
    assert neighbourhood.contour_simplified.valid


def test_simplification_refuses_a_geometry_over_the_budget():
    from django.contrib.gis.geos import MultiPolygon, Polygon

    shape = MultiPolygon(Polygon(comb(MAX_GEOMETRY_VERTICES + 100)[0]), srid=4326)

    with pytest.raises(geo.GeoInputError, match="MAX_GEOMETRY_VERTICES"):
        geo.simplify_for_web(shape)
