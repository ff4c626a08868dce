"""Exports of the territories: CSV and XLSX of every filtered row, GeoJSON read back by GDAL."""

import io
import json
import subprocess

import pytest
from django.contrib.gis.gdal import DataSource
from openpyxl import load_workbook

from tests.api.geo_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def body(response) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_neighbourhoods_csv_flattens_references_and_indicators(client, world):
    response = client.get("/api/v1/neighbourhoods/?format=csv&department=59")
    assert 'attachment; filename="neighbourhoods-' in response["Content-Disposition"]
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    header = lines[0].split(";")
    assert header[:3] == ["Code du quartier", "Nom", "Type"]
    assert "Taux de pauvreté au seuil de 60 % (tp60)" in header
    assert "Demandeurs d'emploi (catégories A à E) (abcde)" in header
    assert len(lines) == 1 + 3  # every neighbourhood of the Nord, none of the Pas-de-Calais
    moulins = dict(zip(header, lines[1].split(";"), strict=True))
    assert moulins["Code du quartier"] == "QN05901M"
    assert moulins["EPCI (SIREN)"] == "200093201"
    assert moulins["Communes"] == "Lille"
    assert moulins["Conseil citoyen"] == "Conseil citoyen de Moulins"
    assert moulins["Taux de pauvreté au seuil de 60 % (tp60)"] == "45,5"  # French decimals
    assert moulins["Demandeurs d'emploi (catégories A à E) (abcde)"] == "secret"  # never 0
    assert moulins["Part des femmes dans la population (tx_f)"] == ""  # missing
    assert moulins["Renouvellement urbain (NPNRU)"] == "non"


def test_the_csv_covers_every_row_beyond_one_page(client, world):
    from tests.neighbourhoods.factories import NeighbourhoodFactory

    for n in range(105):
        NeighbourhoodFactory(code=f"QN0599{n:03d}", communes=[world.lille])
    text = body(client.get("/api/v1/neighbourhoods/?format=csv&page_size=1")).decode()
    assert len(text.splitlines()) == 1 + 4 + 105


def test_neighbourhoods_xlsx_reads_back(client, world):
    response = client.get("/api/v1/neighbourhoods/?format=xlsx&geography=2024")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="neighbourhoods-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Code du quartier"
    assert [row[0] for row in rows[1:]] == ["QN05901M", "QN05902R", "QN06201A"]
    header = list(rows[0])
    moulins = dict(zip(header, rows[1], strict=True))
    assert moulins["Taux de pauvreté au seuil de 60 % (tp60)"] == 45.5
    assert moulins["Demandeurs d'emploi (catégories A à E) (abcde)"] == "secret"
    assert moulins["Géographie"] == 2024


def test_communes_csv(client, world):
    text = body(client.get("/api/v1/communes/?format=csv")).decode()
    lines = text[1:].splitlines()
    assert lines[0].startswith("Code INSEE;Nom;Type;Population municipale")
    assert lines[1].startswith("59350;Lille;Commune;12000;")
    assert "3,0573;50,6292" in lines[1]


def ogrinfo(tmp_path, content: bytes) -> str:
    path = tmp_path / "layer.geojson"
    path.write_bytes(content)
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout, path


def test_neighbourhoods_geojson_reads_back_with_ogr(client, world, tmp_path):
    response = client.get("/api/v1/neighbourhoods/?format=geojson")
    assert response["Content-Type"] == "application/geo+json"
    content = body(response)
    document = json.loads(content)
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document  # RFC 7946: WGS84 longitude/latitude, always
    features = {feature["id"]: feature for feature in document["features"]}
    assert features["QN05901M"]["geometry"]["type"] == "MultiPolygon"
    assert features["QN05901M"]["geometry"]["coordinates"][0][0][0] == [3.06, 50.61]  # lon, lat
    assert features["QN05901M"]["properties"]["approximate"] is False
    # A 2024 neighbourhood without contour: a point at its commune's centre, flagged.
    assert features["QN05902R"]["geometry"] == {"type": "Point", "coordinates": [3.1746, 50.6942]}
    assert features["QN05902R"]["properties"]["approximate"] is True
    # No contour, no commune centre: no geometry rather than a made-up one.
    assert features["QN06201A"]["geometry"] is None

    summary, path = ogrinfo(tmp_path, content)
    assert "Feature Count: 4" in summary
    for field in ("code: String", "epci_code: String", "communes_code: String", "approximate:"):
        assert field in summary, summary
    assert "Geometry: Unknown (any)" in summary or "Multi Polygon" in summary

    layer = DataSource(str(path))[0]
    assert len(layer) == 4
    assert {"code", "name", "geography", "epci_code", "approximate"} <= set(layer.fields)
    assert layer.srs is not None and layer.srs.srid in (4326, None)
    moulins = next(f for f in layer if f.get("code") == "QN05901M")
    assert moulins.geom.geom_type == "MultiPolygon"
    assert round(moulins.geom.extent[0], 4) == 3.06


def test_geojson_follows_the_filters_and_accept(client, world, tmp_path):
    content = body(
        client.get("/api/v1/neighbourhoods/?geography=2015", HTTP_ACCEPT="application/geo+json")
    )
    summary, _ = ogrinfo(tmp_path, content)
    assert "Feature Count: 1" in summary


def test_one_neighbourhood_as_a_geojson_feature(client, world):
    feature = client.get("/api/v1/neighbourhoods/QN05901M/?format=geojson").json()
    assert feature["type"] == "Feature"
    assert feature["id"] == "QN05901M"
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_communes_geojson_are_centre_points(client, world, tmp_path):
    content = body(client.get("/api/v1/communes/?format=geojson&department=59"))
    features = json.loads(content)["features"]
    assert [f["geometry"] for f in features] == [
        {"type": "Point", "coordinates": [3.0573, 50.6292]},
        {"type": "Point", "coordinates": [3.1746, 50.6942]},
    ]
    summary, path = ogrinfo(tmp_path, content)
    assert "Feature Count: 2" in summary
    assert "Geometry: Point" in summary
    assert "department_code: String" in summary
    layer = DataSource(str(path))[0]
    assert [f.get("code") for f in layer] == ["59350", "59512"]


def test_resources_without_geometry_have_no_geojson(client, world):
    assert client.get("/api/v1/departments/?format=geojson").status_code == 404
    response = client.get("/api/v1/departments/", HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 406
