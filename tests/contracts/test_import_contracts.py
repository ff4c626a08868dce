import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts.models import CityContract
from tests.neighbourhoods.importing import CHATEAU, LILLE, communes_file, count_writes, run, write

pytestmark = pytest.mark.django_db

HEADER = "code_cv,lib_cv,codgeo_porteur,type_porteur,nom_epci_cog2026,code_departement,pop,lon,lat"


@pytest.fixture
def communes(tmp_path):
    run("import_communes", communes_file(tmp_path, LILLE, CHATEAU))


def contracts_file(tmp_path, *rows):
    return write(tmp_path, "contrats.csv", "\n".join([HEADER, *rows]) + "\n")


def test_it_imports_contracts_with_their_carrier_and_drops_the_pop_column(tmp_path, communes):
    path = contracts_file(
        tmp_path,
        "CN05901M,59 - Métropole Européenne de Lille,200093201,epci,MEL,59,683713,3.06,50.63",
        "CN00201M,02 - Château-Thierry,02168,commune,,02,15097,3.4,49.04",
    )

    out, _ = run("import_city_contracts", path)

    mel = CityContract.objects.get(code="CN05901M")
    assert (mel.name, mel.generation, mel.carrier_epci.siren) == (
        "Métropole Européenne de Lille",
        "2024-2030",
        "200093201",
    )
    assert "683713" not in str(CityContract.objects.values_list().get(code="CN05901M"))
    chateau = CityContract.objects.get(code="CN00201M")
    assert chateau.carrier_commune.insee_code == "02168"
    assert list(chateau.communes.values_list("insee_code", flat=True)) == ["02168"]
    assert "2 créé(s)" in out


def test_a_code_on_several_rows_is_one_contract_with_several_carriers(tmp_path, communes):
    path = contracts_file(
        tmp_path,
        "CV999,02 - Château-Thierry,02168,commune,,02,1,,",
        "CV999,02 - CA de la Région de Château-Thierry,200072031,epci,,02,1,,",
    )

    out, _ = run("import_city_contracts", path)

    contract = CityContract.objects.get(code="CV999")
    assert contract.carrier_epci.siren == "200072031"
    assert list(contract.communes.values_list("insee_code", flat=True)) == ["02168"]
    assert "contrats.csv:3: CV999 a plusieurs porteurs" in out


def test_a_blank_department_is_read_from_the_2024_code(tmp_path, communes):
    run(
        "import_city_contracts", contracts_file(tmp_path, "CN00203M,NA - Essai,02168,commune,,,1,,")
    )

    contract = CityContract.objects.get(code="CN00203M")
    assert contract.department.code == "02" and contract.name == "Essai"


def test_an_overseas_collectivity_is_not_a_department(tmp_path, communes):
    run(
        "import_city_contracts",
        contracts_file(tmp_path, "CV415,978 - Saint-Martin,97801,ept_ou_autre,,978,1,,"),
    )

    assert CityContract.objects.get(code="CV415").department is None


def test_unknown_carriers_are_errors_and_nothing_is_written(tmp_path, communes, capsys):
    path = contracts_file(
        tmp_path,
        "CN05901M,59 - MEL,200093201,epci,,59,1,,",
        "CN05902M,59 - Inconnu,123456782,epci,,59,1,,",
        "CN05903M,59 - Personne,59999,commune,,59,1,,",
        "CN05904M,59 - Bizarre,59350,syndicat,,59,1,,",
    )

    with pytest.raises(CommandError, match="3 problème"):
        call_command("import_city_contracts", str(path))

    err = capsys.readouterr().err
    assert "contrats.csv:3: codgeo_porteur: EPCI 123456782 inconnu." in err
    assert "contrats.csv:5: type_porteur:" in err
    assert not CityContract.objects.exists()


def test_a_second_run_changes_nothing(tmp_path, communes):
    path = contracts_file(tmp_path, "CN05901M,59 - MEL,200093201,epci,,59,1,,")
    run("import_city_contracts", path)

    out, _ = run("import_city_contracts", path)

    assert "0 créé(s), 0 mis à jour, 1 inchangé(s)" in out


def test_a_second_run_writes_nothing_to_the_database(tmp_path, communes):
    path = contracts_file(
        tmp_path,
        "CN05901M,59 - MEL,200093201,epci,,59,1,,",
        "CV999,02 - Château-Thierry,02168,commune,,02,1,,",
        "CV999,02 - CA de la Région de Château-Thierry,200072031,epci,,02,1,,",
    )
    run("import_city_contracts", path)

    with count_writes() as writes:
        run("import_city_contracts", path)

    assert writes == []


def test_an_error_on_the_last_line_leaves_the_database_untouched(tmp_path, communes):
    run(
        "import_city_contracts",
        contracts_file(tmp_path, "CN05901M,59 - MEL,200093201,epci,,59,1,,"),
    )
    path = contracts_file(
        tmp_path,
        "CN05901M,59 - MEL renommée,200093201,epci,,59,1,,",
        "CN00201M,02 - Château-Thierry,02168,commune,,02,1,,",
        "CN05903M,59 - Personne,59999,commune,,59,1,,",
    )

    with pytest.raises(CommandError):
        run("import_city_contracts", path)

    assert list(CityContract.objects.values_list("code", "name")) == [("CN05901M", "MEL")]


def test_an_unknown_commune_on_a_later_row_of_a_contract_is_reported_there(
    tmp_path, communes, capsys
):
    path = contracts_file(
        tmp_path,
        "CV999,02 - Château-Thierry,02168,commune,,02,1,,",
        "CV999,02 - Nulle part,02999,commune,,02,1,,",
    )

    with pytest.raises(CommandError, match="1 problème"):
        call_command("import_city_contracts", str(path))

    assert "contrats.csv:3: codgeo_porteur: commune 02999 inconnue." in capsys.readouterr().err


def test_it_reads_a_semicolon_windows_1252_export(tmp_path, communes):
    text = "\n".join([HEADER, "CN00201M,02 - Château-Thierry,02168,commune,,02,1,,"])
    path = write(tmp_path, "contrats.csv", text.replace(",", ";") + "\n", "cp1252")

    run("import_city_contracts", path)

    assert CityContract.objects.get(code="CN00201M").name == "Château-Thierry"


def test_dry_run_writes_nothing(tmp_path, communes):
    path = contracts_file(tmp_path, "CN00201M,02 - Château-Thierry,02168,commune,,02,1,,")

    out, _ = run("import_city_contracts", path, "--dry-run")

    assert "Simulation" in out and "1 créé(s)" in out
    assert not CityContract.objects.exists()
    assert not CityContract.communes.through.objects.exists()


@pytest.mark.parametrize(
    ("carrier", "kind", "reason"),
    [
        ("ZZZZZZZZZ", "epci", "SIREN 'ZZZZZZZZZ' invalide : 9 chiffres attendus."),
        ("12345", "epci", "SIREN '12345' invalide : 9 chiffres attendus."),
        ("200093202", "epci", "SIREN 200093202 invalide : la clé de contrôle"),
        ("ZZZZZZZZZ", "ept_ou_autre", "SIREN 'ZZZZZZZZZ' invalide"),
        ("ZZZZZ", "commune", "code INSEE 'ZZZZZ' invalide"),
    ],
)
def test_a_carrier_code_that_is_not_a_siren_or_insee_code_is_refused(
    tmp_path, communes, capsys, carrier, kind, reason
):
    path = contracts_file(tmp_path, f"CN05901M,59 - Lille,{carrier},{kind},,59,1,,")

    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("import_city_contracts", str(path))

    assert f"contrats.csv:2: codgeo_porteur: {reason}" in capsys.readouterr().err
    assert not CityContract.objects.exists()
