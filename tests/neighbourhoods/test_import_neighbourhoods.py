import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods.models import Neighbourhood
from tests.neighbourhoods.importing import (
    CHATEAU,
    LILLE,
    ROUBAIX,
    communes_file,
    count_writes,
    run,
    write,
)

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


def geojson_file(tmp_path, *features):
    return write(
        tmp_path, "qp.geojson", json.dumps({"type": "FeatureCollection", "features": features})
    )


def qp_feature(code, name, commune="02168", x=3.40):
    ring = [[x, 49.04], [x + 0.01, 49.04], [x + 0.01, 49.05], [x, 49.05], [x, 49.04]]
    return {
        "type": "Feature",
        "properties": {"code_qp": code, "nom_qp": name, "code_commune": commune},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_an_unknown_commune_is_reported_on_the_line_that_names_it(tmp_path, communes, capsys):
    path = qpv_file(
        tmp_path,
        "QN05972M,Secteur Sud,59350,Lille,200093201",
        "QN05972M,Secteur Sud,59999,Nulle part,200093201",
    )

    with pytest.raises(CommandError, match="1 problème"):
        call_command("import_neighbourhoods", str(path))

    assert "qpv.csv:3: insee_com: QN05972M : commune 59999 inconnue" in capsys.readouterr().err


def test_a_second_run_writes_nothing_to_the_database(tmp_path, communes):
    path = qpv_file(
        tmp_path,
        "QN05972M,Secteur Sud,59350,Lille,200093201",
        "QN05972M,Secteur Sud,59512,Roubaix,200093201",
    )
    run("import_neighbourhoods", path)

    with count_writes() as writes:
        run("import_neighbourhoods", path)

    assert writes == []


def test_a_commune_dropped_from_the_file_is_unlinked(tmp_path, communes):
    run(
        "import_neighbourhoods",
        qpv_file(
            tmp_path,
            "QN05972M,Secteur Sud,59350,Lille,200093201",
            "QN05972M,Secteur Sud,59512,Roubaix,200093201",
        ),
    )

    run("import_neighbourhoods", qpv_file(tmp_path, "QN05972M,Secteur Sud,59350,Lille,200093201"))

    secteur = Neighbourhood.objects.get(code="QN05972M")
    assert list(secteur.communes.values_list("insee_code", flat=True)) == ["59350"]


def test_dry_run_writes_neither_neighbourhoods_nor_their_communes(tmp_path, communes):
    path = qpv_file(tmp_path, "QN05972M,Secteur Sud,59350,Lille,200093201")

    out, _ = run("import_neighbourhoods", path, "--dry-run")

    assert "Simulation, rien n'a été écrit" in out and "1 créé(s)" in out
    assert not Neighbourhood.objects.exists()
    assert not Neighbourhood.communes.through.objects.exists()


def test_an_error_on_the_last_line_leaves_the_database_untouched(tmp_path, communes):
    run("import_neighbourhoods", qpv_file(tmp_path, "QN00216M,Blanchard,02168,C,200072031"))
    path = qpv_file(
        tmp_path,
        "QN00216M,Blanchard renommé,02168,C,200072031",
        "QN05972M,Secteur Sud,59350,Lille,200093201",
        "QN05973M,Secteur Est,59999,Nulle part,200093201",
    )

    with pytest.raises(CommandError):
        run("import_neighbourhoods", path)

    assert list(Neighbourhood.objects.values_list("code", "name")) == [("QN00216M", "Blanchard")]


def test_a_neighbourhood_on_two_epcis_keeps_its_first_rows_and_says_so(tmp_path, communes):
    path = qpv_file(
        tmp_path,
        "QN05972M,Secteur Sud,59350,Lille,200093201",
        "QN05972M,Secteur Sud,02168,Château-Thierry,200072031",
    )

    out, _ = run("import_neighbourhoods", path)

    assert Neighbourhood.objects.get(code="QN05972M").epci.siren == "200093201"
    assert "1 quartier(s) sur plusieurs EPCI" in out


def test_the_geojson_form_reports_conflicting_names_and_unknown_communes_by_feature(
    tmp_path, communes, capsys
):
    path = geojson_file(
        tmp_path,
        qp_feature("QP002001", "Vaucrises"),
        qp_feature("QP002001", "Blanchard", x=3.42),
        qp_feature("QP002002", "Ailleurs", commune="02999"),
    )

    with pytest.raises(CommandError, match="2 problème"):
        call_command("import_neighbourhoods", str(path))

    err = capsys.readouterr().err
    assert (
        "qp.geojson:objet 2: nom_qp: QP002001 s'appelle 'Vaucrises' à l'objet 1, ici 'Blanchard'"
        in err
    )
    assert "qp.geojson:objet 3: code_commune: QP002002 : commune 02999 inconnue" in err
    assert not Neighbourhood.objects.exists()


def test_a_bad_contour_in_the_geojson_form_is_reported_by_feature(tmp_path, communes, capsys):
    broken = qp_feature("QP002002", "Blanchard")
    broken["geometry"]["coordinates"][0][-1] = [3.5, 49.5]

    with pytest.raises(CommandError):
        call_command(
            "import_neighbourhoods",
            str(geojson_file(tmp_path, qp_feature("QP002001", "Vaucrises"), broken)),
        )

    assert "qp.geojson:objet 2: geometry: QP002002 : " in capsys.readouterr().err
    assert not Neighbourhood.objects.exists()


def test_a_neighbourhood_on_several_features_gets_all_its_communes_and_contours(tmp_path, communes):
    path = geojson_file(
        tmp_path,
        qp_feature("QP002001", "Vaucrises"),
        qp_feature("QP002001", "Vaucrises", commune="59350", x=3.42),
    )

    run("import_neighbourhoods", path)

    vaucrises = Neighbourhood.objects.get(code="QP002001")
    assert sorted(vaucrises.communes.values_list("insee_code", flat=True)) == ["02168", "59350"]
    assert len(vaucrises.contour) == 2
