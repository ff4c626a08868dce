from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods.models import IndicatorValue
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.neighbourhoods.importing import run, write

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
