from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods.models import IndicatorValue
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.neighbourhoods.importing import count_writes, run, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhoods():
    return [
        NeighbourhoodFactory(geography_2015=True, code="QP031001"),
        NeighbourhoodFactory(geography_2015=True, code="QP031002"),
    ]


def values(code):
    return {
        v.indicator.code: (v.status, v.value)
        for v in IndicatorValue.objects.filter(neighbourhood__code=code).select_related("indicator")
    }


def test_it_stores_values_with_decimal_comma_and_keeps_secret_apart_from_zero(
    tmp_path, neighbourhoods
):
    text = "code_qp;nom_qp;tp60;pop_mun;part_chomprinc;pmimp\nQP031001;Empalot;45,2;1 177;s;0\nQP031002;Bagatelle;31,7;994;;nd\n"

    out, _ = run("import_indicators", write(tmp_path, "indicateurs.csv", text))

    first, second = values("QP031001"), values("QP031002")
    assert first["tp60"] == ("available", Decimal("45.2"))
    assert first["pop_mun"] == ("available", Decimal("1177"))
    assert first["part_chomprinc"] == ("secret", None)
    assert first["pmimp"] == ("available", Decimal("0"))
    assert second["part_chomprinc"] == ("missing", None)
    assert second["pmimp"] == ("missing", None)
    assert "8 créé(s)" in out


def test_the_project_knows_label_unit_and_source(tmp_path, neighbourhoods):
    run("import_indicators", write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,40.2\n"))

    indicator = IndicatorValue.objects.get().indicator
    assert indicator.label == "Taux de pauvreté au seuil de 60 %"
    assert indicator.unit == "percent" and "INSEE" in indicator.source


def test_a_percentage_outside_0_100_is_rejected(tmp_path, neighbourhoods, capsys):
    path = write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,40.2\nQP031002,140\n")

    with pytest.raises(CommandError):
        call_command("import_indicators", str(path))

    assert "i.csv:3: tp60: pourcentage hors de 0–100 : 140." in capsys.readouterr().err
    assert not IndicatorValue.objects.exists()


def test_an_unknown_column_is_refused_rather_than_stored_without_a_label(tmp_path, neighbourhoods):
    with pytest.raises(CommandError):
        run("import_indicators", write(tmp_path, "i.csv", "code_qp,mystere\nQP031001,4\n"))


def test_an_unknown_neighbourhood_is_an_error(tmp_path, neighbourhoods):
    with pytest.raises(CommandError):
        run("import_indicators", write(tmp_path, "i.csv", "code_qp,tp60\nQP099999,4\n"))


def test_a_second_run_changes_nothing(tmp_path, neighbourhoods):
    path = write(tmp_path, "i.csv", "code_qp,tp60,ind_jeune\nQP031001,40.2,1.7000000000000002\n")
    run("import_indicators", path)

    out, _ = run("import_indicators", path)

    assert "0 créé(s), 0 mis à jour, 2 inchangé(s)" in out


@pytest.mark.parametrize(
    ("cell", "status"),
    [("s", "secret"), ("S", "secret"), ("c", "secret"), ("nd", "missing"), ("", "missing")],
)
def test_each_marker_is_stored_as_secret_or_missing_never_as_zero(
    tmp_path, neighbourhoods, cell, status
):
    run("import_indicators", write(tmp_path, "i.csv", f"code_qp,tp60\nQP031001,{cell}\n"))

    assert values("QP031001")["tp60"] == (status, None)


def test_an_unknown_column_is_named_in_the_problem(tmp_path, neighbourhoods, capsys):
    path = write(tmp_path, "i.csv", "code_qp,nom_qp,nom_commune,mystere\nQP031001,E,T,4\n")

    with pytest.raises(CommandError, match="1 problème"):
        call_command("import_indicators", str(path))

    assert "i.csv:1: mystere: indicateur inconnu" in capsys.readouterr().err


def test_a_text_that_is_not_a_number_nor_a_marker_is_rejected(tmp_path, neighbourhoods, capsys):
    path = write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,environ 40\n")

    with pytest.raises(CommandError):
        call_command("import_indicators", str(path))

    assert "i.csv:2: tp60: nombre illisible : 'environ 40'." in capsys.readouterr().err


def test_an_error_on_the_last_line_leaves_the_database_untouched(tmp_path, neighbourhoods):
    run("import_indicators", write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,40.2\n"))
    path = write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,41\nQP031002,101\n")

    with pytest.raises(CommandError):
        run("import_indicators", path)

    assert values("QP031001")["tp60"] == ("available", Decimal("40.2"))
    assert values("QP031002") == {}


def test_a_second_run_writes_nothing_to_the_database(tmp_path, neighbourhoods):
    path = write(tmp_path, "i.csv", "code_qp;tp60;pop_mun\nQP031001;40,2;s\nQP031002;;1177\n")
    run("import_indicators", path)

    with count_writes() as writes:
        run("import_indicators", path)

    assert writes == []


def test_a_changed_value_is_updated_and_a_value_that_became_secret_loses_its_number(
    tmp_path, neighbourhoods
):
    run("import_indicators", write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,40.2\n"))

    out, _ = run("import_indicators", write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,s\n"))

    assert values("QP031001")["tp60"] == ("secret", None)
    assert "1 mis à jour" in out


def test_the_same_neighbourhood_twice_is_an_error(tmp_path, neighbourhoods, capsys):
    path = write(tmp_path, "i.csv", "code_qp,tp60\nQP031001,40\nQP031001,41\n")

    with pytest.raises(CommandError):
        call_command("import_indicators", str(path))

    assert "i.csv:3: code_qp: QP031001 déjà présent ligne 2." in capsys.readouterr().err


def test_it_reads_an_xlsx_table_with_numeric_cells(tmp_path, neighbourhoods):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["code_qp", "nom_qp", "tp60", "pop_mun", "part_chomprinc"])
    workbook.active.append(["QP031001", "Empalot", 45.2, 1177, "s"])
    path = tmp_path / "indicateurs.xlsx"
    workbook.save(path)

    run("import_indicators", path)

    assert values("QP031001") == {
        "tp60": ("available", Decimal("45.2")),
        "pop_mun": ("available", Decimal("1177")),
        "part_chomprinc": ("secret", None),
    }
