"""Commune centroids (QPV 2024 file) and contract points (contracts file) are imported."""

import contextlib

import pytest
from django.core.cache import cache
from django.core.management.base import CommandError

from contracts.models import CityContract
from neighbourhoods.geojson import contours_geojson
from neighbourhoods.models import Commune, Neighbourhood
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

QPV_HEADER = "code_qp,lib_qp,insee_com,lib_com,siren_epci,commune_centroid_lon,commune_centroid_lat"
CONTRACTS_HEADER = "code_cv,lib_cv,codgeo_porteur,type_porteur,code_departement,lon,lat"


@pytest.fixture
def communes(tmp_path):
    run("import_communes", communes_file(tmp_path, LILLE, ROUBAIX, CHATEAU))


def qpv_file(tmp_path, *rows):
    return write(tmp_path, "qpv.csv", "\n".join([QPV_HEADER, *rows]) + "\n")


def contracts_file(tmp_path, *rows):
    return write(tmp_path, "contrats.csv", "\n".join([CONTRACTS_HEADER, *rows]) + "\n")


def test_it_stores_each_communes_centroid(tmp_path, communes):
    path = qpv_file(
        tmp_path,
        "QN05972M,Secteur Sud,59350,Lille,200093201,3.04723,50.63191",
        "QN05973M,Moulins,59350,Lille,200093201,3.04723,50.63191",
        'QN05972M,Secteur Sud,59512,Roubaix,200093201,"3,17456",50.69421',
    )

    out, _ = run("import_neighbourhoods", path)

    lille = Commune.objects.get(insee_code="59350")
    assert (lille.centroid.x, lille.centroid.y, lille.centroid.srid) == (3.04723, 50.63191, 4326)
    assert Commune.objects.get(insee_code="59512").centroid.x == 3.17456  # decimal comma
    assert Commune.objects.get(insee_code="02168").centroid is None  # not in the file
    assert "2 centre(s) de commune enregistré(s) ou modifié(s)." in out


def test_a_rerun_writes_nothing_and_a_moved_centroid_is_updated(tmp_path, communes):
    path = qpv_file(tmp_path, "QN05972M,Secteur Sud,59350,Lille,200093201,3.04723,50.63191")
    run("import_neighbourhoods", path)

    with count_writes() as writes:
        out, _ = run("import_neighbourhoods", path)

    assert writes == []
    assert "0 centre(s) de commune" in out
    run(
        "import_neighbourhoods",
        qpv_file(tmp_path, "QN05972M,Secteur Sud,59350,Lille,200093201,3.05,50.63"),
    )
    assert Commune.objects.get(insee_code="59350").centroid.x == 3.05


def test_a_moved_centroid_drops_the_cached_map_layer(tmp_path, communes):
    path = qpv_file(tmp_path, "QN05972M,Secteur Sud,59350,Lille,200093201,3.04723,50.63191")
    run("import_neighbourhoods", path)
    assert b"3.04723" in contours_geojson(2024)

    run(
        "import_neighbourhoods",
        qpv_file(tmp_path, "QN05972M,Secteur Sud,59350,Lille,200093201,3.1,50.6"),
    )

    assert b"3.04723" not in contours_geojson(2024)


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        ("abc", "50.6", "qpv.csv:2: commune_centroid_lon: nombre illisible : 'abc'."),
        ("3.0", "", "qpv.csv:2: commune_centroid_lat: vide alors que commune_centroid_lon"),
        ("3.0", "95", "qpv.csv:2: commune_centroid_lat: latitude 95 hors de −90 à 90"),
        ("200", "50", "qpv.csv:2: commune_centroid_lon: longitude 200 hors de −180 à 180"),
        ("50.6", "3.04", "qpv.csv:2: commune_centroid_lon: le point (50.6, 3.04) tombe hors"),
        ("nan", "50", "qpv.csv:2: commune_centroid_lon: nombre illisible : 'nan'."),
    ],
)
def test_a_bad_centroid_is_reported_in_french_and_nothing_is_written(
    tmp_path, communes, lon, lat, expected
):
    path = qpv_file(tmp_path, f"QN05972M,Secteur Sud,59350,Lille,200093201,{lon},{lat}")

    with pytest.raises(CommandError, match="rien n'a été écrit"):
        run("import_neighbourhoods", path)

    _, err = _errors(path)
    assert expected in err
    assert not Neighbourhood.objects.exists()
    assert Commune.objects.get(insee_code="59350").centroid is None


def test_two_centroids_for_one_commune_are_an_error(tmp_path, communes):
    path = qpv_file(
        tmp_path,
        "QN05972M,Secteur Sud,59350,Lille,200093201,3.04723,50.63191",
        "QN05973M,Moulins,59350,Lille,200093201,3.1,50.6",
    )

    _, err = _errors(path)

    assert (
        "qpv.csv:3: commune_centroid_lon: commune 59350 : centre (3.04723, 50.63191) ligne 2" in err
    )


def test_overseas_centroids_are_in_france(tmp_path, communes):
    for lon, lat in [("-61.06889", "14.6404"), ("55.45", "-20.88"), ("45.23", "-12.78")]:
        out, _ = run(
            "import_neighbourhoods",
            qpv_file(tmp_path, f"QN05972M,Secteur Sud,59350,Lille,200093201,{lon},{lat}"),
        )
        assert Commune.objects.get(insee_code="59350").centroid.y == float(lat)


def _errors(path):
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("import_neighbourhoods", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_stores_each_contracts_point_and_keeps_a_blank_one_empty(tmp_path, communes):
    path = contracts_file(
        tmp_path,
        "CN05901M,59 - Métropole Européenne de Lille,200093201,epci,59,3.06,50.63",
        "CN00201M,02 - Château-Thierry,02168,commune,02,,",
    )

    run("import_city_contracts", path)

    mel = CityContract.objects.get(code="CN05901M")
    assert (mel.location.x, mel.location.y) == (3.06, 50.63)
    assert CityContract.objects.get(code="CN00201M").location is None
    with count_writes() as writes:
        out, _ = run("import_city_contracts", path)
    assert writes == []
    assert "0 créé(s), 0 mis à jour, 2 inchangé(s)" in out


def test_a_contract_point_moved_in_the_file_is_updated(tmp_path, communes):
    run(
        "import_city_contracts",
        contracts_file(tmp_path, "CN05901M,59 - MEL,200093201,epci,59,3.06,50.63"),
    )

    out, _ = run(
        "import_city_contracts",
        contracts_file(tmp_path, "CN05901M,59 - MEL,200093201,epci,59,3.07,50.64"),
    )

    assert CityContract.objects.get(code="CN05901M").location.x == 3.07
    assert "1 mis à jour" in out


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        ("3.06x", "50.63", "contrats.csv:2: lon: nombre illisible : '3.06x'."),
        ("", "50.63", "contrats.csv:2: lon: vide alors que lat est rempli"),
        ("3.06", "-91", "contrats.csv:2: lat: latitude -91 hors de −90 à 90"),
        ("-3.06", "-50.63", "contrats.csv:2: lon: le point (-3.06, -50.63) tombe hors"),
    ],
)
def test_a_bad_contract_point_is_reported_and_nothing_is_written(
    tmp_path, communes, capsys, lon, lat, expected
):
    from django.core.management import call_command

    path = contracts_file(tmp_path, f"CN05901M,59 - MEL,200093201,epci,59,{lon},{lat}")

    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("import_city_contracts", str(path))

    assert expected in capsys.readouterr().err
    assert not CityContract.objects.exists()


def test_the_carrier_rows_point_wins_on_a_code_with_several_rows(tmp_path, communes):
    run(
        "import_city_contracts",
        contracts_file(
            tmp_path,
            "CV999,02 - Château-Thierry,02168,commune,02,3.40,49.04",
            "CV999,02 - CA de Château-Thierry,200072031,epci,02,3.41,49.05",
        ),
    )

    assert CityContract.objects.get(code="CV999").location.x == 3.41


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()
