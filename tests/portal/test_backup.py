"""scripts/backup and scripts/restore, round trip on the PostgreSQL/PostGIS test server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.neighbourhoods.factories import NeighbourhoodFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are PostgreSQL dumps (run on PostGIS in CI)"
)


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgis://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def run(script: str, *args: str, database: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(database), "PYTHON": sys.executable}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def empty_database(transactional_db):
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_with_its_contours(empty_database, tmp_path):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    square = Polygon(((3.50, 50.35), (3.52, 50.35), (3.52, 50.37), (3.50, 50.37), (3.50, 50.35)))
    NeighbourhoodFactory(code="QN05999M", contour=MultiPolygon(square, srid=4326))
    archive = tmp_path / "portal.dump"

    backup = run("backup", str(archive), database=connection.settings_dict["NAME"])
    restore = run("restore", str(archive), database=empty_database)

    assert backup.returncode == 0, backup.stderr
    assert restore.returncode == 0, restore.stderr
    assert "quartiers 1" in restore.stdout
    check = subprocess.run(
        [
            "psql",
            database_url(empty_database).replace("postgis://", "postgresql://"),
            "-tAc",
            "SELECT code, ST_Area(contour) > 0 FROM neighbourhoods_neighbourhood",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == "QN05999M|t"


def test_restore_refuses_a_database_that_holds_tables(transactional_db, tmp_path):
    archive = tmp_path / "portal.dump"
    run("backup", str(archive), database=connection.settings_dict["NAME"])

    result = run("restore", str(archive), database=connection.settings_dict["NAME"])

    assert result.returncode != 0
    assert "restore into a new, empty one" in result.stderr
