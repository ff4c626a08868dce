import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"
IGN_PLAN = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)


def example_environment() -> dict[str, str]:
    """The variables of .env.example, as a shell's `set -a; . .env.example` reads them."""
    script = 'set -a; . "$0"; exec env -0'
    result = subprocess.run(
        ["sh", "-c", script, str(ENV_EXAMPLE)], env={}, capture_output=True, check=True
    )
    names = set(re.findall(r"^([A-Z_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))
    pairs = (item.partition("=") for item in result.stdout.decode().split("\0") if item)
    return {name: value for name, _, value in pairs if name in names}


def run_with(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Runs a fresh interpreter with only PATH, HOME and this environment."""
    base = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def settings_value(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    return run_with(env, "-c", f"import portal.settings as s; print({expression})")


def production(**overrides: str) -> dict[str, str]:
    return {**example_environment(), "SECRET_KEY": secrets.token_urlsafe(50), **overrides}


def test_check_deploy_reports_nothing_under_the_production_example():
    result = run_with(production(), "manage.py", "check", "--deploy", "--fail-level", "DEBUG")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_example_drops_https():
    env = production(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")

    result = run_with(env, "manage.py", "check", "--deploy")

    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def test_the_example_holds_no_secret():
    assert example_environment()["SECRET_KEY"] == ""


def test_the_example_sets_ign_tiles_read_whole_by_a_shell():
    env = example_environment()

    assert env["MAP_TILES_URL"].startswith("https://data.geopf.fr/wmts?SERVICE=WMTS&")
    assert env["MAP_TILES_URL"].endswith("&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}")
    assert env["MAP_TILES_ATTRIBUTION"] == '© <a href="https://www.ign.fr/">IGN</a> – Plan IGN'


def test_the_example_lists_every_variable_the_portal_reads():
    sources = [ROOT / "portal" / "settings.py", ROOT / "portal" / "gunicorn.conf.py"]
    read = set()
    for source in sources:
        read |= set(re.findall(r"env\w*\(\s*\"([A-Z_]+)\"", source.read_text()))
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", ENV_EXAMPLE.read_text(), re.MULTILINE))

    assert read, "no variable found: the pattern no longer matches the settings"
    assert read - documented == set()


def test_maps_have_no_background_tiles_by_default():
    env = {"SECRET_KEY": "s3cret", "ALLOWED_HOSTS": "localhost"}

    result = settings_value(
        env, "s.LEAFLET_CONFIG['TILES'], s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] [\"'self'\", 'data:']"


def test_the_tile_server_is_a_setting_allowed_by_the_content_security_policy():
    env = {
        "SECRET_KEY": "s3cret",
        "ALLOWED_HOSTS": "localhost",
        "MAP_TILES_URL": IGN_PLAN,
        "MAP_TILES_ATTRIBUTION": "© IGN",
    }

    result = settings_value(
        env,
        "s.LEAFLET_CONFIG['TILES'][0][1] == s.MAP_TILES_URL, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1]",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True https://data.geopf.fr"


@pytest.mark.parametrize(
    ("url", "attribution", "message"),
    [
        ("http://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OSM", "expected an https:// URL"),
        ("https://tile.openstreetmap.org/tiles.png", "© OSM", "placeholders"),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "", "MAP_TILES_ATTRIBUTION is required"),
    ],
)
def test_it_refuses_a_tile_server_it_cannot_use(url, attribution, message):
    env = {
        "SECRET_KEY": "s3cret",
        "ALLOWED_HOSTS": "localhost",
        "MAP_TILES_URL": url,
        "MAP_TILES_ATTRIBUTION": attribution,
    }

    result = settings_value(env, "s.MAP_TILES_URL")

    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CONN_MAX_AGE", "-1", "CONN_MAX_AGE='-1': expected an integer ≥ 0"),
        ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT='0': expected an integer ≥ 1"),
        ("CLIENT_IP_HEADER", "X Real IP", "expected an HTTP header name"),
        ("CONN_HEALTH_CHECKS", "sometimes", "CONN_HEALTH_CHECKS='sometimes'"),
    ],
)
def test_it_refuses_a_malformed_deployment_setting(name, value, message):
    result = settings_value(production(**{name: value}), "s.DEBUG")

    assert result.returncode != 0
    assert message in result.stderr


def test_database_connections_are_kept_and_checked_in_production():
    result = settings_value(
        production(),
        "s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS']",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "60 True"


@pytest.fixture
def collected_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_the_application_serves_collected_static_files_for_a_year(collected_static, client):
    from django.templatetags.static import static

    url = static("leaflet/leaflet.js")
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert re.fullmatch(r"/static/leaflet/leaflet\.[0-9a-f]{12}\.js", url)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]


def test_several_application_servers_share_a_redis_cache():
    env = {
        "SECRET_KEY": "s3cret",
        "ALLOWED_HOSTS": "localhost",
        "CACHE_URL": "redis://cache:6379/0",
    }

    result = settings_value(env, "s.CACHES['default']['BACKEND']")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_it_refuses_a_cache_it_does_not_know():
    env = {"SECRET_KEY": "s3cret", "ALLOWED_HOSTS": "localhost", "CACHE_URL": "memcached://c:11211"}

    result = settings_value(env, "s.CACHES")

    assert result.returncode != 0
    assert "CACHE_URL='memcached://c:11211'" in result.stderr


def test_browsers_report_blocked_content_where_configured():
    env = {
        "SECRET_KEY": "s3cret",
        "ALLOWED_HOSTS": "localhost",
        "CSP_REPORT_URI": "https://csp.example.gouv.fr/report",
    }

    result = settings_value(env, "s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('report-uri')")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['https://csp.example.gouv.fr/report']"
