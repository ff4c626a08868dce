import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods.importing.report import ImportReport
from neighbourhoods.models import Commune, Department, Epci, Region
from tests.neighbourhoods.importing import (
    CHATEAU,
    COMMUNES_HEADER,
    LILLE,
    ROUBAIX,
    communes_file,
    count_writes,
    run,
    write,
)

pytestmark = pytest.mark.django_db


def test_it_imports_communes_with_their_department_region_and_epci(tmp_path):
    out, _ = run("import_communes", communes_file(tmp_path, LILLE, ROUBAIX, CHATEAU))

    lille = Commune.objects.select_related("department__region", "epci").get(insee_code="59350")
    assert (lille.name, lille.population) == ("Lille", 238246)
    assert lille.department.region.name == "Hauts-de-France"
    assert (lille.epci.siren, lille.epci.nature) == ("200093201", "METRO")
    assert Epci.objects.count() == 2 and Department.objects.count() == 2
    assert "communes.csv : 8 créé(s), 0 mis à jour, 0 inchangé(s), 0 rejeté(s)." in out


def test_a_second_run_changes_nothing(tmp_path):
    path = communes_file(tmp_path, LILLE, ROUBAIX)
    run("import_communes", path)

    out, _ = run("import_communes", path)

    assert "0 créé(s), 0 mis à jour, 5 inchangé(s)" in out


def test_a_changed_row_is_updated(tmp_path):
    run("import_communes", communes_file(tmp_path, LILLE))

    out, _ = run("import_communes", communes_file(tmp_path, LILLE.replace("238246", "240000")))

    assert Commune.objects.get(insee_code="59350").population == 240000
    assert "1 mis à jour" in out


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", ""), ("utf-8", "\ufeff"), ("cp1252", "")])
@pytest.mark.parametrize("separator", [",", ";"])
def test_it_reads_separators_encodings_and_bom(tmp_path, encoding, bom, separator):
    text = bom + "\n".join([COMMUNES_HEADER, CHATEAU]).replace(",", separator) + "\n"

    run("import_communes", write(tmp_path, "communes.csv", text, encoding))

    assert Commune.objects.get(insee_code="02168").name == "Château-Thierry"
    assert Region.objects.get(code="32").name == "Hauts-de-France"


def test_an_arrondissement_points_to_its_parent(tmp_path):
    paris = "COM,75056,Paris,,75,Paris,11,Île-de-France,200054781,Métropole du Grand Paris,METRO,2113705"
    first = "ARM,75101,Paris 1er Arrondissement,75056,75,Paris,11,Île-de-France,200054781,Métropole du Grand Paris,METRO,15919"

    run("import_communes", communes_file(tmp_path, first, paris))

    assert Commune.objects.get(insee_code="75101").parent.insee_code == "75056"


def test_an_island_commune_has_no_epci(tmp_path):
    brehat = "COM,22016,Île-de-Bréhat,,22,Côtes-d'Armor,53,Bretagne,,,,383"

    run("import_communes", communes_file(tmp_path, brehat))

    assert Commune.objects.get(insee_code="22016").epci is None


def test_it_reports_every_problem_with_file_line_and_column_and_writes_nothing(tmp_path):
    bad_code = LILLE.replace("59350", "5935")
    bad_population = ROUBAIX.replace("98286", "beaucoup")
    conflicting = CHATEAU.replace("Hauts-de-France", "Picardie")
    path = communes_file(tmp_path, bad_code, bad_population, LILLE, conflicting)

    with pytest.raises(CommandError, match="3 problème"):
        run("import_communes", path)

    assert not Commune.objects.exists() and not Region.objects.exists()


def test_problem_lines_name_the_file_line_column_and_reason(tmp_path, capsys):
    path = communes_file(tmp_path, LILLE, LILLE.replace("59350", "5935"))

    with pytest.raises(CommandError):
        call_command("import_communes", str(path))

    assert (
        "communes.csv:3: code_insee: code INSEE '5935' invalide : 5 caractères attendus (ex. 59350, 2A004)."
        in capsys.readouterr().err
    )


def test_an_error_on_the_last_line_leaves_the_database_untouched(tmp_path):
    run("import_communes", communes_file(tmp_path, LILLE))
    rows = [LILLE.replace("238246", "1"), ROUBAIX, CHATEAU.replace("CA,15097", "XX,15097")]

    with pytest.raises(CommandError):
        run("import_communes", communes_file(tmp_path, *rows))

    assert Commune.objects.get(insee_code="59350").population == 238246
    assert not Commune.objects.filter(insee_code="59512").exists()


def test_a_duplicate_code_is_an_error(tmp_path):
    with pytest.raises(CommandError):
        run("import_communes", communes_file(tmp_path, LILLE, LILLE.replace("Lille", "Lile")))

    assert not Commune.objects.exists()


def test_a_missing_column_is_named(tmp_path, capsys):
    header = COMMUNES_HEADER.replace(",population_municipale", "")
    path = write(tmp_path, "communes.csv", header + "\n" + LILLE.rsplit(",", 1)[0] + "\n")

    with pytest.raises(CommandError):
        call_command("import_communes", str(path))

    assert "communes.csv:1: population_municipale: colonne manquante." in capsys.readouterr().err


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="vide"):
        run("import_communes", write(tmp_path, "communes.csv", ""))


def test_dry_run_writes_nothing_but_reports(tmp_path):
    out, _ = run("import_communes", communes_file(tmp_path, LILLE), "--dry-run")

    assert "Simulation" in out and "4 créé(s)" in out
    assert not Commune.objects.exists()


def test_it_reads_an_xlsx_spreadsheet(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COMMUNES_HEADER.split(","))
    sheet.append([int(v) if v.isdigit() and len(v) > 5 else v for v in CHATEAU.split(",")])
    path = tmp_path / "communes.xlsx"
    workbook.save(path)

    run("import_communes", path)

    assert Commune.objects.get(insee_code="02168").population == 15097


def test_a_second_run_writes_nothing_to_the_database(tmp_path):
    paris = "COM,75056,Paris,,75,Paris,11,Île-de-France,200054781,Métropole du Grand Paris,METRO,2113705"
    first = "ARM,75101,Paris 1er Arrondissement,75056,75,Paris,11,Île-de-France,200054781,Métropole du Grand Paris,METRO,15919"
    path = communes_file(tmp_path, LILLE, ROUBAIX, paris, first)
    run("import_communes", path)

    with count_writes() as writes:
        run("import_communes", path)

    assert writes == []


def test_a_row_with_too_many_or_too_few_fields_is_an_error(tmp_path, capsys):
    path = communes_file(tmp_path, LILLE, ROUBAIX + ",en trop", CHATEAU.rsplit(",", 1)[0])

    with pytest.raises(CommandError, match="2 problème"):
        call_command("import_communes", str(path))

    err = capsys.readouterr().err
    assert "communes.csv:3: -: 13 champ(s) au lieu de 12 (en-tête)." in err
    assert "communes.csv:4: -: 11 champ(s) au lieu de 12 (en-tête)." in err
    assert not Commune.objects.exists()


def test_a_header_without_rows_is_refused(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_communes", str(communes_file(tmp_path)))

    assert "communes.csv:2: -: aucune ligne de données" in capsys.readouterr().err


def test_a_file_in_an_unknown_encoding_is_refused_with_a_reason(tmp_path):
    # 0x81 is neither UTF-8 on its own nor a Windows-1252 character.
    path = tmp_path / "communes.csv"
    path.write_bytes(
        COMMUNES_HEADER.encode() + b"\n" + LILLE.encode().replace(b"Lille", b"L\x81lle")
    )

    with pytest.raises(CommandError, match="communes.csv:2: fichier: encodage inconnu"):
        run("import_communes", path)


def test_an_unreadable_spreadsheet_is_refused(tmp_path):
    path = write(tmp_path, "communes.xlsx", "ceci n'est pas un classeur")

    with pytest.raises(CommandError, match="XLSX illisible"):
        run("import_communes", path)


def test_an_arrondissement_of_an_unknown_commune_is_an_error(tmp_path, capsys):
    orphan = "ARM,75101,Paris 1er Arrondissement,75056,75,Paris,11,Île-de-France,200054781,Métropole du Grand Paris,METRO,15919"

    with pytest.raises(CommandError):
        call_command("import_communes", str(communes_file(tmp_path, LILLE, orphan)))

    assert "communes.csv:3: code_commune_parent: commune parente 75056 inconnue." in (
        capsys.readouterr().err
    )


def test_an_arrondissement_may_join_a_commune_imported_earlier(tmp_path):
    paris = "COM,75056,Paris,,75,Paris,11,Île-de-France,200054781,Métropole du Grand Paris,METRO,2113705"
    first = "ARM,75101,Paris 1er Arrondissement,75056,75,Paris,11,Île-de-France,200054781,Métropole du Grand Paris,METRO,15919"
    run("import_communes", communes_file(tmp_path, paris))

    run("import_communes", communes_file(tmp_path, first, name="arrondissements.csv"))

    assert Commune.objects.get(insee_code="75101").parent.insee_code == "75056"


def test_progress_is_written_every_n_rows_on_long_files():
    stream = io.StringIO()
    report = ImportReport("communes.csv", stream=stream)
    progress = report.progress(every=2)

    for _ in range(5):
        progress.step()

    assert stream.getvalue().splitlines() == [
        "communes.csv : 2 lignes lues…",
        "communes.csv : 4 lignes lues…",
    ]


@pytest.mark.parametrize(
    ("siren", "reason"),
    [
        ("ABCDEFGHI", "SIREN 'ABCDEFGHI' invalide : 9 chiffres attendus."),
        ("12345", "SIREN '12345' invalide : 9 chiffres attendus."),
        ("200093202", "SIREN 200093202 invalide : la clé de contrôle (formule de Luhn)"),
    ],
)
def test_an_epci_siren_is_nine_digits_with_a_valid_key(tmp_path, capsys, siren, reason):
    path = communes_file(tmp_path, LILLE.replace("200093201", siren))

    with pytest.raises(CommandError):
        call_command("import_communes", str(path))

    assert f"communes.csv:2: siren_epci: {reason}" in capsys.readouterr().err
    assert not Commune.objects.exists()
