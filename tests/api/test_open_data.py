"""The nightly open-data dump: a valid Table Schema, CSV valid against it, every published row
and nothing private, written atomically, served at a stable address."""

import csv
import io
import json
import zipfile
from unittest import mock

import pytest
from django.core.management import call_command
from frictionless import Resource, Schema, formats, system, validate

from contracts.review_selectors import published_snapshot
from devices.models import Scheme
from portal import open_data
from portal.open_data import SCHEMA_PATH, export_open_data
from tests.api.write_world import approve, write_world
from tests.devices.factories import HealthStructureFactory, PersonFactory

pytestmark = pytest.mark.django_db

PRIVATE_MARKERS = ("prive-marqueur@example.org", "0699999999", "Secretdraft")


@pytest.fixture
def out(tmp_path, settings):
    settings.OPEN_DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def world():
    world = write_world()
    # Rows that must never reach the dump.
    person = PersonFactory(
        email=PRIVATE_MARKERS[0], phone=PRIVATE_MARKERS[1], organisation=world.employer
    )
    world.post_a.mediator = person
    world.post_a.over_30 = world.post_a.lives_in_qpv = True
    world.post_a.job_seeker_or_insertion = True
    world.post_a.save()
    Scheme.objects.create(kind="ASV", name="ASV non publié", carrier=world.employer)
    HealthStructureFactory(name="MSP non publiée", is_published=False)
    HealthStructureFactory(name="MSP de Château-Thierry")
    approve(world)
    world.action.title = PRIVATE_MARKERS[2]  # a draft edited after approval
    world.action.save()
    return world


def read_zip(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_scheme_schema_is_a_valid_table_schema():
    report = validate(str(SCHEMA_PATH), type="schema")

    assert report.valid, report.flatten(["type", "note"])
    schema = Schema(str(SCHEMA_PATH))
    assert schema.primary_key == ["uid"]
    assert schema.get_field("type").constraints["enum"] == ["CLS", "CTS", "ASV", "CLSM", "ARMS"]
    assert all(field.title and field.description for field in schema.fields)


def test_the_dump_holds_every_published_row_and_its_csv_follows_the_schema(world, out):
    path, package = export_open_data()

    files = read_zip(path)
    assert {
        "datapackage.json",
        "dispositifs-sante.schema.json",
        "dispositifs-sante.csv",
        "dispositifs-sante.json",
        "structures-sante.csv",
        "structures-sante.geojson",
        "quartiers.csv",
        "quartiers.geojson",
        "quartiers-indicateurs.csv",
        "contrats-de-ville.csv",
        "contrats-de-ville.json",
    } <= set(files)
    rows = list(csv.DictReader(io.StringIO(files["dispositifs-sante.csv"].decode()), delimiter=";"))
    assert sorted(row["nom"] for row in rows) == ["ARMS Lille", "ARMS Valenciennes"]
    assert [s["nom"] for s in json.loads(files["dispositifs-sante.json"])] == [
        row["nom"] for row in rows
    ]
    structures = json.loads(files["structures-sante.geojson"])
    assert [f["properties"]["nom"] for f in structures["features"]] == ["MSP de Château-Thierry"]
    contracts = json.loads(files["contrats-de-ville.json"])
    assert contracts[0]["volet_sante"] == published_snapshot(world.section)
    assert json.loads(files["datapackage.json"]) == package

    # The schemes' CSV validates against the published Table Schema, read with its dialect.
    csv_path = out / "dispositifs-sante.csv"
    csv_path.write_bytes(files["dispositifs-sante.csv"])
    with system.use_context(trusted=True):
        resource = Resource(
            path=str(csv_path),
            encoding="utf-8",
            schema=Schema(str(SCHEMA_PATH)),
            control=formats.CsvControl(delimiter=";"),
        )
        report = validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_data_package_is_valid_and_every_csv_validates(world, out):
    path, _ = export_open_data()
    folder = out / "unzipped"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)

    report = validate(str(folder / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_nothing_private_nor_draft_leaves_in_the_dump(world, out):
    path, _ = export_open_data()

    everything = b"".join(read_zip(path).values()).decode()

    for marker in PRIVATE_MARKERS:
        assert marker not in everything
    for name in ("over_30", "lives_in_qpv", "job_seeker_or_insertion", "Camille"):
        assert name not in everything
    assert "ASV non publié" not in everything and "MSP non publiée" not in everything
    assert "Bus santé" in everything  # the approved version of the action


def test_a_failed_export_leaves_the_previous_zip(world, out):
    first, _ = export_open_data()
    before = first.read_bytes()

    def broken():
        yield from ()
        raise RuntimeError("panne")

    with mock.patch.object(open_data, "indicator_rows", broken), pytest.raises(RuntimeError):
        export_open_data()

    assert first.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["export.zip"]


def test_the_command_writes_the_zip_and_says_what(world, out, capsys):
    call_command("export_open_data")

    printed = capsys.readouterr().out
    assert "export.zip" in printed and "dispositifs-sante.csv 2" in printed


def test_the_page_and_the_stable_url_serve_the_dump(world, out, client):
    missing = client.get("/donnees/export.zip")
    page_before = client.get("/donnees/")
    export_open_data()

    page = client.get("/donnees/")
    download = client.get("/donnees/export.zip")
    schema = client.get("/donnees/dispositifs-sante.schema.json")

    assert missing.status_code == 404
    assert "introuvable" in missing.content.decode()
    assert "pas encore été généré" in page_before.content.decode()
    assert page.status_code == 200
    text = page.content.decode()
    assert "Licence Ouverte" in text and "dispositifs-sante.csv" in text and "Kio" in text
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).read("datapackage.json")
    assert json.loads(b"".join(schema.streaming_content))["primaryKey"] == "uid"


def test_the_dump_reads_rows_in_constant_queries(world, out, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        export_open_data()
