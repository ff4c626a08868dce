import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import envbool, envlist

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    """Imports the settings module in a fresh interpreter with exactly this environment."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, "ALLOWED_HOSTS": "sante-quartiers.example.fr", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_secret_key_when_debug_is_off():
    result = load_settings()

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = load_settings(SECRET_KEY="s3cret", ALLOWED_HOSTS="")

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_it_starts_with_a_secret_key_on_spatialite_by_default():
    result = load_settings(SECRET_KEY="s3cret")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.gis.db.backends.spatialite"


def test_it_reads_a_postgis_database_url():
    result = load_settings(SECRET_KEY="s3cret", DATABASE_URL="postgis://u@db.example:5432/portal")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.contrib.gis.db.backends.postgis"


def test_it_rejects_a_database_without_geometry():
    result = load_settings(SECRET_KEY="s3cret", DATABASE_URL="sqlite:///tmp/plain.sqlite3")

    assert result.returncode != 0
    assert "DATABASE_URL must use spatialite:/// or postgis://" in result.stderr


def test_it_rejects_a_malformed_boolean(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        envbool("DEBUG")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("", False)]
)
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert envbool("FLAG") is expected


def test_it_splits_lists_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.fr, ,b.fr ")

    assert envlist("HOSTS") == ["a.fr", "b.fr"]


def test_the_interface_is_french_and_in_paris_time(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_I18N is True
