"""API benchmark (issue 10): throughput of the neighbourhoods and communes lists against two
baselines (bench_api_baselines.py): the floor (.values() + JsonResponse) and a naive DRF viewset.

    make bench                     # or, alone:
    BENCH_DATABASE_URL=postgis://postgres@127.0.0.1:5432/bench_portal \
    .venv/bin/python scripts/bench_api.py [--duration 15] [--concurrency 8] [--workers N] [--check]

Same set-up as bench_pages.py (PostgreSQL with the national reference, gunicorn with DEBUG off),
with bench_settings.py: the portal's settings plus the baselines' addresses under /bench/ and no
throttling (anonymous clients are limited to a few requests a minute). For each resource, the
first page of the API at its default page size, then the floor and the naive viewset at the same
page size, each with wrk at a fixed CONCURRENCY for DURATION seconds after a warm-up. Prints
requests/s, p50/p95 and the ratios against the targets (API ≥ 0.7 × floor, ≥ 3 × naive); writes
var/bench/api.json. An endpoint that answers 404 is reported as absent and not measured.
"""

import argparse
import json
import os
import sys
from datetime import UTC, datetime

from benchhttp import (
    Server,
    base_environment,
    collectstatic,
    database_url,
    fetch,
    prepare_database,
    run_wrk,
    warn_if_busy,
    write_json,
)

RESOURCES = ("neighbourhoods", "communes")
FLOOR_RATIO = 0.7
NAIVE_RATIO = 3.0
ACCEPT = "application/json"


def page_length(body: bytes) -> int | None:
    """How many rows a list's first page holds (DRF page, GeoJSON collection or bare list)."""
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if isinstance(document, list):
        return len(document)
    for key in ("results", "features"):
        value = document.get(key) if isinstance(document, dict) else None
        if isinstance(value, list):
            return len(value)
        if isinstance(value, dict) and isinstance(value.get("features"), list):
            return len(value["features"])
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=15.0, help="secondes par mesure (15)")
    parser.add_argument("--concurrency", type=int, default=8, help="clients simultanés (8)")
    parser.add_argument("--warmup", type=float, default=3.0, help="secondes de chauffe (3)")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1),
        help="processus gunicorn (2 × cœurs + 1)",
    )
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--fresh", action="store_true", help="recrée la base de mesure")
    parser.add_argument("--check", action="store_true", help="code de sortie 1 si un échec")
    options = parser.parse_args()

    url = database_url()
    prepare_database(url, demo=False, fresh=options.fresh)
    environment = base_environment(url)
    collectstatic(environment)

    results = []
    with Server(
        environment, port=options.port, workers=options.workers, settings="bench_settings"
    ) as server:
        print(
            f"gunicorn : {options.workers} processus, DEBUG off ; {options.concurrency} clients, "
            f"{options.duration:.0f} s par mesure",
            flush=True,
        )
        for resource in RESOURCES:
            results.append(measure_resource(server, resource, options))

    print_table(results)
    warn_if_busy()
    document = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": url,
        "workers": options.workers,
        "cpu_count": os.cpu_count(),
        # Other processes' load skews every figure: at more than one per core, re-run later.
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "concurrency": options.concurrency,
        "duration_s": options.duration,
        "targets": {"api_over_floor": FLOOR_RATIO, "api_over_naive": NAIVE_RATIO},
        "resources": results,
    }
    print(f"\nÉcrit : {write_json('api.json', document)}")
    failed = [row for row in results if row["verdict"] == "FAIL"]
    return 1 if options.check and failed else 0


def measure_resource(server: Server, resource: str, options) -> dict:
    api = f"{server.base}/api/v1/{resource}/"
    status, _, body = fetch(api, {"Accept": ACCEPT})
    row: dict = {"resource": resource, "api_status": status}
    size = page_length(body) if status == 200 else None
    if status == 404:
        print(
            f"  {resource}: /api/v1/{resource}/ répond 404 : endpoint absent (pas encore fusionné)"
        )
    elif status != 200 or size is None:
        print(f"  {resource}: /api/v1/{resource}/ répond {status} sans liste lisible")
    query = f"?limit={size}" if size else ""
    row["page_size"] = size
    candidates = [
        ("floor", f"{server.base}/bench/floor/{resource}/{query}"),
        ("naive", f"{server.base}/bench/naive/{resource}/{query}"),
    ]
    if size:
        candidates.insert(0, ("api", api))
    for name, address in candidates:
        probe_status, _, probe_body = fetch(address, {"Accept": ACCEPT})
        if probe_status != 200:
            sys.exit(f"{address} répond {probe_status} : la référence « {name} » est cassée.")
        print(
            f"  {resource} {name}: {page_length(probe_body)} lignes ; chauffe, mesure…", flush=True
        )
        run_wrk(
            address,
            connections=options.concurrency,
            seconds=options.warmup,
            headers=(f"Accept: {ACCEPT}",),
        )
        cpu_before = server.cpu_seconds()
        row[name] = run_wrk(
            address,
            connections=options.concurrency,
            seconds=options.duration,
            headers=(f"Accept: {ACCEPT}",),
        )
        cpu = server.cpu_seconds() - cpu_before
        requests = row[name]["requests"]
        row[name]["server_cpu_ms_per_request"] = (
            round(cpu * 1000 / requests, 2) if requests else None
        )
    if "api" not in row:
        row["verdict"] = "ABSENT"
        return row
    api_rate = row["api"]["requests_per_s"]
    row["api_over_floor"] = round(api_rate / row["floor"]["requests_per_s"], 2)
    row["api_over_naive"] = round(api_rate / row["naive"]["requests_per_s"], 2)
    errors = sum(row[name]["errors"] for name in ("api", "floor", "naive"))
    ok = (
        row["api_over_floor"] >= FLOOR_RATIO
        and row["api_over_naive"] >= NAIVE_RATIO
        and errors == 0
    )
    row["verdict"] = "PASS" if ok else "FAIL"
    return row


def print_table(results: list[dict]) -> None:
    print(
        f"\n{'ressource':<15} {'mesure':<7} {'req/s':>8} {'p50 (ms)':>9} {'p95 (ms)':>9} "
        f"{'CPU/req (ms)':>13} {'erreurs':>8}"
    )
    for row in results:
        for name in ("api", "floor", "naive"):
            if name in row:
                figures = row[name]
                print(
                    f"{row['resource']:<15} {name:<7} {figures['requests_per_s']:>8.1f} "
                    f"{figures['p50_ms']:>9.1f} {figures['p95_ms']:>9.1f} "
                    f"{figures['server_cpu_ms_per_request'] or 0:>13.1f} {figures['errors']:>8}"
                )
            else:
                print(f"{row['resource']:<15} {name:<7} {'endpoint absent (404)':>36}")
    print(f"\nCibles : API ≥ {FLOOR_RATIO} × plancher et ≥ {NAIVE_RATIO:.0f} × naïf")
    for row in results:
        if row["verdict"] == "ABSENT":
            print(
                f"{row['resource']:<15} ABSENT : /api/v1/{row['resource']}/ n'existe pas encore "
                "(références mesurées seules)"
            )
        else:
            print(
                f"{row['resource']:<15} {row['verdict']} : {row['api_over_floor']} × plancher, "
                f"{row['api_over_naive']} × naïf (page de {row['page_size']})"
            )


if __name__ == "__main__":
    sys.exit(main())
