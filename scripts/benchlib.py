"""Shared set-up of the benchmark scripts: a scratch PostgreSQL/PostGIS database and Django."""

import os
import resource
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgis://postgres@127.0.0.1:5432/bench_portal"


def django_setup(*, fresh: bool) -> str:
    """Points Django at BENCH database (DATABASE_URL), recreated empty when ``fresh``."""
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    parsed = urlparse(url)
    if parsed.scheme != "postgis":
        sys.exit("Les mesures se font sur PostgreSQL/PostGIS : DATABASE_URL=postgis://…")
    if fresh:
        import psycopg2

        name = parsed.path.lstrip("/")
        connection = psycopg2.connect(
            host=parsed.hostname,
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
            password=parsed.password or None,
            dbname="postgres",
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    return url


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
