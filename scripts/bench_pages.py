"""Public pages benchmark (issue 9): latency of four pages under gunicorn, 20 clients, 30 s each.

    make bench                     # or, alone:
    scripts/install-system-deps --bench   # wrk
    BENCH_DATABASE_URL=postgis://postgres@127.0.0.1:5432/bench_portal \
    .venv/bin/python scripts/bench_pages.py [--duration 30] [--concurrency 20] [--workers N]
                                            [--no-page-cache] [--fresh] [--check]

On PostgreSQL (BENCH_DATABASE_URL, default the scratch database bench_portal): creates and
migrates the database if needed, loads the national reference and the demo if they are missing
(--fresh drops it first), collects the static files, starts gunicorn with DEBUG off
(portal/gunicorn.conf.py, CONN_MAX_AGE=60 as in production, an empty page cache), waits for
/healthz, then for each page: one probe GET, a warm-up, and wrk with CONCURRENCY keep-alive
connections for DURATION seconds. Prints p50/p95/max latency, requests/s and errors (non-2xx/3xx
answers, connection errors, timeouts) per page and PASS/FAIL against the targets (p95 ≤ 150 ms,
0 errors); writes them to var/bench/pages.json. A page that answers 404 is reported as absent
(its view is not merged yet) and not measured.

CPU/req: gunicorn's CPU time (master and workers, recycled ones included) per request served,
which other processes on the machine change much less than the latencies.

Workers: gunicorn.conf's rule, 2 × cores + 1 (5 on the reference 2-core machine): sync workers
wait on PostgreSQL part of the time, so a few more workers than cores keep both cores busy.
--no-page-cache measures the pages rendered at every request (portal/public_cache.py off).
"""

import argparse
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

# (name, path): pages of the demo (the Valenciennes contract, whose health section is published,
# and one of its neighbourhoods), present once the demo is loaded on the national reference.
PAGES = [
    ("accueil", "/"),
    ("quartier", "/quartiers/QN05930M/"),
    ("contrat", "/contrats/CV2015-CAVM/"),
    ("annuaire", "/annuaire/"),
]
P95_TARGET_MS = 150.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="secondes par page (30)")
    parser.add_argument("--concurrency", type=int, default=20, help="clients simultanés (20)")
    parser.add_argument("--warmup", type=float, default=5.0, help="secondes de chauffe (5)")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1),
        help="processus gunicorn (2 × cœurs + 1)",
    )
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--no-page-cache", action="store_true", help="sans le cache des pages")
    parser.add_argument("--fresh", action="store_true", help="recrée la base de mesure")
    parser.add_argument("--check", action="store_true", help="code de sortie 1 si un échec")
    options = parser.parse_args()

    url = database_url()
    prepare_database(url, demo=True, fresh=options.fresh)
    environment = base_environment(url)
    collectstatic(environment)

    settings = "bench_settings" if options.no_page_cache else None
    if options.no_page_cache:
        environment["BENCH_PUBLIC_PAGE_CACHE"] = "false"
    results = []
    with Server(
        environment, port=options.port, workers=options.workers, settings=settings
    ) as server:
        print(
            f"gunicorn : {options.workers} processus, DEBUG off ; {options.concurrency} clients, "
            f"{options.duration:.0f} s par page ; cache des pages "
            f"{'désactivé' if options.no_page_cache else 'actif'}",
            flush=True,
        )
        for name, path in PAGES:
            results.append(measure(server, name, path, options))

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
        "page_cache": not options.no_page_cache,
        "target": {"p95_ms": P95_TARGET_MS, "errors": 0},
        "pages": results,
    }
    name = "pages-no-cache.json" if options.no_page_cache else "pages.json"
    print(f"\nÉcrit : {write_json(name, document)}")
    failed = [row for row in results if row["verdict"] == "FAIL"]
    return 1 if options.check and failed else 0


def measure(server: Server, name: str, path: str, options) -> dict:
    url = server.base + path
    status, headers, _ = fetch(url)
    row = {"page": name, "path": path, "probe_status": status}
    if status == 404:
        print(f"  {name:<10} {path}: 404, page absente (vue pas encore fusionnée) : non mesurée")
        return {**row, "verdict": "ABSENT"}
    if status != 200:
        print(f"  {name:<10} {path}: réponse {status} : non mesurée")
        return {**row, "verdict": "FAIL"}
    # "miss" at the first visit: the view is cached (public_page); "non": it is not.
    row["page_cache"] = "oui" if headers.get("X-Public-Cache") else "non"
    print(f"  {name:<10} {path}: chauffe {options.warmup:.0f} s, mesure…", flush=True)
    run_wrk(url, connections=options.concurrency, seconds=options.warmup)
    cpu_before = server.cpu_seconds()
    figures = run_wrk(url, connections=options.concurrency, seconds=options.duration)
    cpu = server.cpu_seconds() - cpu_before
    figures["server_cpu_ms_per_request"] = (
        round(cpu * 1000 / figures["requests"], 2) if figures["requests"] else None
    )
    ok = figures["p95_ms"] <= P95_TARGET_MS and figures["errors"] == 0
    return {**row, **figures, "verdict": "PASS" if ok else "FAIL"}


def print_table(results: list[dict]) -> None:
    print(
        f"\n{'page':<10} {'adresse':<24} {'p50 (ms)':>9} {'p95 (ms)':>9} {'max (ms)':>9} "
        f"{'req/s':>8} {'CPU/req':>8} {'erreurs':>8} {'cache':>6}  résultat (cible p95 ≤ {P95_TARGET_MS:.0f} ms, "
        "0 erreur)"
    )
    for row in results:
        if "p95_ms" in row:
            print(
                f"{row['page']:<10} {row['path']:<24} {row['p50_ms']:>9.1f} {row['p95_ms']:>9.1f} "
                f"{row['max_ms']:>9.1f} {row['requests_per_s']:>8.1f} "
                f"{row['server_cpu_ms_per_request'] or 0:>6.1f}ms {row['errors']:>8} "
                f"{row['page_cache']:>6}  {row['verdict']}"
            )
        else:
            reason = (
                "page absente (404) : à mesurer après fusion"
                if row["verdict"] == "ABSENT"
                else f"réponse {row['probe_status']}"
            )
            print(
                f"{row['page']:<10} {row['path']:<24} {'—':>9} {'—':>9} {'—':>9} {'—':>8} {'—':>8} "
                f"{'—':>8} {'—':>6}  {row['verdict']} ({reason})"
            )


if __name__ == "__main__":
    sys.exit(main())
