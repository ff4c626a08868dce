"""Import benchmark: the national reference from empty, then re-run with no change.

    make bench                      # or:
    SECRET_KEY=x ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/bench_portal \
    .venv/bin/python scripts/bench_imports.py

The database named in DATABASE_URL is DROPPED, recreated and migrated: point it at a scratch
database. It then runs the steps of ``load_reference`` (fixtures/reference) twice and prints, for
each step, its wall time, the process's peak resident memory after it (ru_maxrss, which only
grows) and how much the step raised that peak; then the totals. Targets on a 2-core machine:
whole national reference ≤ 20 s, re-run ≤ a third of that.
"""

import io
import time

from benchlib import django_setup, peak_rss_mib

url = django_setup(fresh=True)

from django.core.management import call_command  # noqa: E402

from portal.management.commands.load_reference import REFERENCE_DIR, STEPS  # noqa: E402

call_command("migrate", verbosity=0)
print(f"Base : {url}")


def run_all() -> list[tuple[str, float, float, float]]:
    results = []
    for command, filename in STEPS:
        arguments = [str(REFERENCE_DIR / filename)] if filename else []
        before = peak_rss_mib()
        start = time.perf_counter()
        call_command(command, *arguments, stdout=io.StringIO(), stderr=io.StringIO())
        seconds = time.perf_counter() - start
        after = peak_rss_mib()
        results.append((f"{command} {filename or ''}".strip(), seconds, after, after - before))
    return results


def print_table(title: str, results: list) -> float:
    print(f"\n{title}")
    print(f"{'étape':<58} {'durée (s)':>9} {'pic RSS (Mio)':>14} {'hausse (Mio)':>13}")
    for label, seconds, rss, rise in results:
        print(f"{label:<58} {seconds:>9.2f} {rss:>14.0f} {rise:>13.0f}")
    total = sum(seconds for _, seconds, _, _ in results)
    print(f"{'total':<58} {total:>9.2f} {peak_rss_mib():>14.0f}")
    return total


print(f"Mémoire du processus avant les imports (Django chargé) : {peak_rss_mib():.0f} Mio")
total_first = print_table("Import depuis une base vide", run_all())
total_second = print_table("Nouvel import sans changement", run_all())
print(
    f"\nRésultat : {total_first:.2f} s depuis vide (cible ≤ 20 s), "
    f"{total_second:.2f} s en ré-import (cible ≤ 6.67 s, un tiers de 20 s ; "
    f"{total_second / total_first:.0%} de l'import depuis vide)."
)
