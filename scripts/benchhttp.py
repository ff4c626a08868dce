"""Shared parts of the HTTP benchmarks (bench_pages.py, bench_api.py): the PostgreSQL database
with the national reference and the demo, gunicorn with DEBUG off, and wrk as load generator.

wrk (Debian package `wrk`, `scripts/install-system-deps --bench`) is a C event loop: one of its
threads drives thousands of requests per second on keep-alive connections, far more than the
portal serves on the same two cores, so it measures the server, not itself. Its Lua `done()`
hook prints the latency percentiles and error counts as one JSON line, read back here.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from benchlib import DEFAULT_URL

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
OUT_DIR = ROOT / "var" / "bench"
# Signals the demo was loaded (its contract whose health section is published).
DEMO_CONTRACT = "CV2015-CAVM"
# Fewer communes than this: the national reference is not loaded.
NATIONAL_COMMUNES = 30_000

WRK_REPORT = r"""
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
"""


def database_url() -> str:
    """BENCH_DATABASE_URL (as `make bench` passes it), else the scratch database of benchlib."""
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL


def base_environment(database_url: str) -> dict[str, str]:
    """Production-like settings on this machine (as `make serve`): DEBUG off, plain HTTP."""
    environment = dict(os.environ)
    for name in ("DEBUG", "DJANGO_SETTINGS_MODULE"):
        environment.pop(name, None)
    environment.update(
        DATABASE_URL=database_url,
        SECRET_KEY=environment.get("SECRET_KEY", "bench-only"),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        # Production value (.env.example): each worker keeps its connection between requests.
        CONN_MAX_AGE="60",
        # Its own cache directory, emptied at each run: no page of an earlier run is served.
        CACHE_DIR=str(OUT_DIR / "cache"),
        LOG_LEVEL="WARNING",
    )
    return environment


def manage(environment: dict, *arguments: str, debug: bool = False) -> str:
    environment = dict(environment)
    if debug:
        environment["DEBUG"] = "true"
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(arguments)} a échoué :\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _query(database_url: str, sql: str, parameters=()):
    import psycopg2

    parsed = urlparse(database_url)
    connection = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname=parsed.path.lstrip("/"),
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            return cursor.fetchone() if cursor.description else None
    finally:
        connection.close()


def prepare_database(database_url: str, *, demo: bool, fresh: bool) -> None:
    """Creates the database if needed, migrates it, loads what is missing of the national
    reference and of the demo (the demo loads with DEBUG on only: a subprocess of its own)."""
    parsed = urlparse(database_url)
    if parsed.scheme != "postgis":
        sys.exit("Les mesures se font sur PostgreSQL/PostGIS : BENCH_DATABASE_URL=postgis://…")
    name = parsed.path.lstrip("/")
    import psycopg2

    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()

    environment = base_environment(database_url)
    print(f"Base : {database_url}")
    manage(environment, "migrate", "--no-input", "-v0")
    (communes,) = _query(database_url, "SELECT count(*) FROM neighbourhoods_commune")
    if communes < NATIONAL_COMMUNES:
        print("Chargement du référentiel national…", flush=True)
        start = time.perf_counter()
        manage(environment, "load_reference")
        print(f"  fait en {time.perf_counter() - start:.0f} s")
    if demo:
        found = _query(
            database_url, "SELECT 1 FROM contracts_citycontract WHERE code = %s", [DEMO_CONTRACT]
        )
        if found is None:
            print("Chargement de la démonstration (DEBUG=true, sous-processus)…", flush=True)
            manage(environment, "load_demo", debug=True)
    # Planner statistics, as autovacuum gathers them a while after a bulk load: without them
    # PostgreSQL guesses row counts and scans whole tables where an index would do.
    _query(database_url, "ANALYZE")


def collectstatic(environment: dict) -> None:
    manage(environment, "collectstatic", "--no-input", "-v0")


class Server:
    """gunicorn as in production (portal/gunicorn.conf.py), DEBUG off, on a port of its own."""

    def __init__(self, environment: dict, *, port: int, workers: int, settings: str | None = None):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.environment = dict(environment, PORT=str(port), WEB_CONCURRENCY=str(workers))
        if settings:
            # A bench-only settings module of scripts/ (bench_settings.py).
            self.environment["DJANGO_SETTINGS_MODULE"] = settings
            self.environment["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(ROOT / "scripts"), self.environment.get("PYTHONPATH")])
            )
        self.process = None
        self.log = OUT_DIR / f"gunicorn-{port}.log"

    def __enter__(self):
        shutil.rmtree(OUT_DIR / "cache", ignore_errors=True)
        log = open(self.log, "w")  # noqa: SIM115 (closed with the server)
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn s'est arrêté au démarrage : voir {self.log}")
            try:
                if fetch(self.base + "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        sys.exit(f"gunicorn ne répond pas sur /healthz après 60 s : voir {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) gunicorn used so far: the master, its live workers and the
        workers it has reaped (recycled after max_requests). Divided by the requests served,
        a figure that other processes' load changes much less than latency."""
        master = self.process.pid
        ticks = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry) == master:
                ticks += sum(int(value) for value in fields[11:15])
            elif int(fields[1]) == master:
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One GET: status, headers, body (4xx/5xx included, not raised)."""
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk est introuvable : scripts/install-system-deps --bench (paquet Debian wrk).")
    return path


def run_wrk(
    url: str, *, connections: int, seconds: float, threads: int = 2, headers: tuple = ()
) -> dict:
    """Runs wrk on one URL; returns its figures (latencies in ms, requests/s, error counts)."""
    threads = max(1, min(threads, connections))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        result = subprocess.run(
            [
                wrk_path(),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                *(argument for header in headers for argument in ("-H", header)),
                url,
            ],
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(script.name)
    line = next((line for line in result.stdout.splitlines() if line.startswith("WRK-JSON ")), None)
    if line is None:
        sys.exit(f"wrk n'a pas donné de mesures :\n{result.stdout}\n{result.stderr}")
    return summarise(json.loads(line.removeprefix("WRK-JSON ")))


def summarise(raw: dict) -> dict:
    """wrk's raw counters (microseconds) as the figures the scripts print and write."""
    seconds = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": errors,
        "errors_detail": {
            "status_not_2xx_3xx": raw["status"],
            "connect": raw["connect"],
            "read": raw["read"],
            "write": raw["write"],
            "timeout": raw["timeout"],
        },
    }


def warn_if_busy() -> None:
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores:
        print(
            f"\nAttention : charge de la machine {load:.1f} pour {cores} cœurs pendant la mesure "
            "(d'autres processus tournaient) : les chiffres sont pessimistes, relancer au calme."
        )


def write_json(name: str, document: dict) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return path
