import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods.models import Neighbourhood
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.neighbourhoods.importing import count_writes, run, write

pytestmark = pytest.mark.django_db

SQUARE = [[[1.44, 43.60], [1.45, 43.60], [1.45, 43.61], [1.44, 43.61], [1.44, 43.60]]]


def contours_file(tmp_path, features, crs=None):
    document = {"type": "FeatureCollection", "features": features}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return write(tmp_path, "contours.geojson", json.dumps(document))


def feature(code, rings=SQUARE):
    return {
        "type": "Feature",
        "properties": {"code_qp": code},
        "geometry": {"type": "Polygon", "coordinates": rings},
    }


def test_it_attaches_contours_and_a_simplified_copy(tmp_path):
    NeighbourhoodFactory(code="QN03101M")

    out, _ = run("import_contours", contours_file(tmp_path, [feature("QN03101M")]))

    neighbourhood = Neighbourhood.objects.get(code="QN03101M")
    assert neighbourhood.contour.area == pytest.approx(0.0001)
    assert neighbourhood.contour_simplified.valid
    assert "1 mis à jour" in out

    again, _ = run("import_contours", contours_file(tmp_path, [feature("QN03101M")]))
    assert "0 mis à jour, 1 inchangé(s)" in again


def test_an_unknown_code_is_an_error(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_contours", str(contours_file(tmp_path, [feature("QN99999Z")])))

    assert "contours.geojson:objet 1: code_qp: quartier QN99999Z inconnu" in capsys.readouterr().err


def test_a_bad_ring_anywhere_leaves_every_contour_untouched(tmp_path, capsys):
    NeighbourhoodFactory(code="QN03101M")
    NeighbourhoodFactory(code="QN03102M")
    unclosed = [[[1.44, 43.60], [1.45, 43.60], [1.45, 43.61], [1.44, 43.61], [1.44, 43.62]]]
    path = contours_file(tmp_path, [feature("QN03101M"), feature("QN03102M", unclosed)])

    with pytest.raises(CommandError, match="1 problème"):
        call_command("import_contours", str(path))

    assert "objet 2: geometry: QN03102M : anneau non fermé" in capsys.readouterr().err
    assert not Neighbourhood.objects.exclude(contour=None).exists()


def test_an_unknown_crs_is_rejected(tmp_path):
    NeighbourhoodFactory(code="QN03101M")

    with pytest.raises(CommandError):
        run("import_contours", contours_file(tmp_path, [feature("QN03101M")], crs="EPSG:3857"))


def test_a_declared_lambert_93_file_is_reprojected(tmp_path):
    NeighbourhoodFactory(code="QN03101M")
    x, y = 574420, 6279430
    square = [[[x, y], [x + 100, y], [x + 100, y + 100], [x, y + 100], [x, y]]]

    run("import_contours", contours_file(tmp_path, [feature("QN03101M", square)], crs="EPSG:2154"))

    assert Neighbourhood.objects.get(code="QN03101M").contour.extent[0] == pytest.approx(
        1.4442, abs=0.002
    )


def test_a_self_intersecting_contour_is_repaired_and_said(tmp_path):
    NeighbourhoodFactory(code="QN03101M")
    bow_tie = [[[1.44, 43.60], [1.45, 43.61], [1.45, 43.60], [1.44, 43.61], [1.44, 43.60]]]

    out, _ = run("import_contours", contours_file(tmp_path, [feature("QN03101M", bow_tie)]))

    assert "contours.geojson:objet 1: QN03101M : contour réparé (Self-intersection" in out
    assert Neighbourhood.objects.get(code="QN03101M").contour.valid


def test_a_second_run_writes_nothing_to_the_database(tmp_path):
    NeighbourhoodFactory(code="QN03101M")
    path = contours_file(tmp_path, [feature("QN03101M")])
    run("import_contours", path)

    with count_writes() as writes:
        out, _ = run("import_contours", path)

    assert writes == []
    assert "0 créé(s), 0 mis à jour, 1 inchangé(s)" in out


def test_every_bad_feature_is_reported_not_only_the_first(tmp_path, capsys):
    NeighbourhoodFactory(code="QN03101M")
    in_lambert = [[[574420, 6279430], [574520, 6279430], [574520, 6279530], [574420, 6279430]]]
    path = contours_file(
        tmp_path,
        [feature("QN03101M", in_lambert), feature("QN99999Z"), {"type": "Feature"}],
    )

    with pytest.raises(CommandError, match="3 problème"):
        call_command("import_contours", str(path))

    err = capsys.readouterr().err
    assert "contours.geojson:objet 1: geometry: QN03101M : " in err
    assert "contours.geojson:objet 2: code_qp: quartier QN99999Z inconnu" in err
    assert "contours.geojson:objet 3: code_qp: code du quartier manquant." in err


def test_dry_run_leaves_contours_as_they_were(tmp_path):
    NeighbourhoodFactory(code="QN03101M")

    out, _ = run("import_contours", contours_file(tmp_path, [feature("QN03101M")]), "--dry-run")

    assert "Simulation" in out and "1 mis à jour" in out
    assert Neighbourhood.objects.get(code="QN03101M").contour is None
