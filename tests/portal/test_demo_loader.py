"""The declarative demo loader: strict references, named errors, nothing written on error."""

import json
import shutil

import pytest

from neighbourhoods.models import Commune, Neighbourhood, Region
from portal.demo import DEMO_DIR, ENTRIES, DemoDataError, Entry, demo_load

TERRITORIES = ENTRIES[:5]  # regions, departments, EPCI, communes, neighbourhoods


@pytest.fixture
def demo_dir(tmp_path):
    shutil.copytree(DEMO_DIR, tmp_path, dirs_exist_ok=True)
    return tmp_path


def edit(directory, name, change):
    path = directory / name
    rows = json.loads(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def row_of(rows, **match):
    return next(row for row in rows if all(row.get(k) == v for k, v in match.items()))


@pytest.mark.django_db
def test_an_unknown_commune_code_stops_the_load_instead_of_being_skipped(demo_dir):
    edit(
        demo_dir,
        "neighbourhoods.json",
        lambda rows: row_of(rows, code="QN00216M")["communes"].append("02999"),
    )

    with pytest.raises(DemoDataError) as error:
        demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)

    message = str(error.value)
    assert message.startswith("neighbourhoods.json, ligne 3 {'code': 'QN00216M'}")
    assert "champ « communes »" in message and "'02999'" in message
    assert not Region.objects.exists() and not Commune.objects.exists()


@pytest.mark.django_db
def test_an_unknown_foreign_key_stops_the_load(demo_dir):
    edit(demo_dir, "communes.json", lambda rows: rows[0].update(epci="200000000"))

    with pytest.raises(DemoDataError, match=r"communes\.json, ligne 1 .*champ « epci ».*200000000"):
        demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)


@pytest.mark.django_db
def test_a_field_the_entry_does_not_declare_is_refused(demo_dir):
    edit(demo_dir, "regions.json", lambda rows: rows[0].update(nom="Hauts-de-France"))

    with pytest.raises(
        DemoDataError, match=r"regions\.json, ligne 1 .*champ « nom » : champ inconnu"
    ):
        demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)


@pytest.mark.django_db
def test_a_missing_file_is_named(demo_dir):
    (demo_dir / "epcis.json").unlink()

    with pytest.raises(DemoDataError, match=r"epcis\.json : fichier introuvable"):
        demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)


@pytest.mark.django_db
def test_a_new_model_is_one_entry_and_one_file(tmp_path):
    (tmp_path / "regions.json").write_text(
        json.dumps({"_source": "test", "rows": [{"code": "32", "name": "Hauts-de-France"}]}),
        encoding="utf-8",
    )
    entries = (Entry(Region, "regions.json", ("code",), ("name",)),)

    first = demo_load(with_accounts=False, directory=tmp_path, entries=entries)
    second = demo_load(with_accounts=False, directory=tmp_path, entries=entries)

    assert first == {"created": 1} and second == {"unchanged": 1}
    assert Region.objects.get(code="32").name == "Hauts-de-France"


@pytest.mark.django_db
def test_a_changed_file_updates_only_what_changed(demo_dir):
    demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)
    edit(
        demo_dir,
        "neighbourhoods.json",
        lambda rows: row_of(rows, code="QN00216M").update(name="Blanchard (renommé)"),
    )

    counts = demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)

    assert counts["updated"] == 1 and counts.get("created", 0) == 0
    assert Neighbourhood.objects.get(code="QN00216M").name == "Blanchard (renommé)"


@pytest.mark.django_db
def test_a_field_left_out_of_a_row_goes_back_to_its_default(demo_dir):
    demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)
    edit(
        demo_dir,
        "neighbourhoods.json",
        lambda rows: row_of(rows, code="QN00217M").pop("in_renewal_programme"),
    )

    demo_load(with_accounts=False, directory=demo_dir, entries=TERRITORIES)

    assert Neighbourhood.objects.get(code="QN00217M").in_renewal_programme is False


@pytest.mark.django_db
def test_a_failing_workflow_step_writes_nothing(monkeypatch):
    from contracts.models import HealthSection, Review

    def broken(counts, users):
        raise RuntimeError("étape en échec")

    monkeypatch.setattr("portal.demo_workflows.demo_call_decisions", broken)

    with pytest.raises(RuntimeError):
        demo_load(with_accounts=True)

    assert not Review.objects.exists()
    assert not HealthSection.objects.exists()
    assert not Region.objects.filter(code="32").exists()
