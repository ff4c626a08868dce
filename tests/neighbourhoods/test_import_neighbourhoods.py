import json

import pytest
from django.core.management.base import CommandError

from neighbourhoods.models import Neighbourhood
from tests.neighbourhoods.importing import CHATEAU, LILLE, ROUBAIX, communes_file, run, write

pytestmark = pytest.mark.django_db

HEADER = "code_qp,lib_qp,insee_com,lib_com,siren_epci"


@pytest.fixture
def communes(tmp_path):
    run("import_communes", communes_file(tmp_path, LILLE, ROUBAIX, CHATEAU))


def qpv_file(tmp_path, *rows, name="qpv.csv"):
    return write(tmp_path, name, "\n".join([HEADER, *rows]) + "\n")


def test_it_imports_2024_neighbourhoods_on_one_or_several_communes(tmp_path, communes):
    path = qpv_file(
        tmp_path,
        "QN00216M,Blanchard,02168,Château-Thierry,200072031",
        "QN05972M,Secteur Sud,59350,Lille,200093201",
        "QN05972M,Secteur Sud,59512,Roubaix,200093201",
    )

    out, _ = run("import_neighbourhoods", path)

    secteur = Neighbourhood.objects.get(code="QN05972M")
    assert secteur.vintage == 2024 and secteur.epci.siren == "200093201"
    assert sorted(secteur.communes.values_list("insee_code", flat=True)) == ["59350", "59512"]
    assert "1 quartier(s) sur plusieurs communes." in out
    assert "2 créé(s)" in out


def test_a_second_run_changes_nothing(tmp_path, communes):
    path = qpv_file(tmp_path, "QN00216M,Blanchard,02168,Château-Thierry,200072031")
    run("import_neighbourhoods", path)

    out, _ = run("import_neighbourhoods", path)

    assert "0 créé(s), 0 mis à jour, 1 inchangé(s)" in out


def test_the_same_code_with_another_name_is_an_error(tmp_path, communes, capsys):
    path = qpv_file(
        tmp_path,
        "QN05972M,Secteur Sud,59350,Lille,200093201",
        "QN05972M,Secteur Nord,59512,Roubaix,200093201",
    )
    from django.core.management import call_command

    with pytest.raises(CommandError):
        call_command("import_neighbourhoods", str(path))

    assert "qpv.csv:3: lib_qp: QN05972M s'appelle 'Secteur Sud' ligne 2" in capsys.readouterr().err
    assert not Neighbourhood.objects.exists()


def test_an_unknown_commune_is_an_error(tmp_path, communes):
    path = qpv_file(tmp_path, "QN00217M,Vaucrises,02999,Nulle part,200072031")

    with pytest.raises(CommandError):
        run("import_neighbourhoods", path)

    assert not Neighbourhood.objects.exists()


@pytest.mark.parametrize("code", ["QX00216M", "QN216M", "QP0590"])
def test_a_code_outside_both_geographies_is_an_error(tmp_path, communes, code):
    with pytest.raises(CommandError):
        run("import_neighbourhoods", qpv_file(tmp_path, f"{code},Blanchard,02168,C,200072031"))


def test_the_geojson_form_brings_2015_neighbourhoods_with_their_contour(tmp_path, communes):
    feature = {
        "type": "Feature",
        "properties": {"code_qp": "QP002001", "nom_qp": "Vaucrises", "code_commune": "02168"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[3.40, 49.04], [3.41, 49.04], [3.41, 49.05], [3.40, 49.05], [3.40, 49.04]]
            ],
        },
    }
    path = write(
        tmp_path, "qp.geojson", json.dumps({"type": "FeatureCollection", "features": [feature]})
    )

    run("import_neighbourhoods", path)

    vaucrises = Neighbourhood.objects.get(code="QP002001")
    assert vaucrises.vintage == 2015
    assert vaucrises.contour.contains(vaucrises.contour.centroid)
    assert vaucrises.contour_simplified.valid
