"""Import benchmark: the national reference from empty, then re-run with no change.

    make bench                      # or:
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/bench_portal .venv/bin/python scripts/bench_imports.py

The database named in DATABASE_URL is DROPPED and recreated. Prints the wall time and the
process's peak resident memory after each import. Targets on a 2-core machine: whole national
reference ≤ 20 s, re-run ≤ a third of that.
"""

import io

from benchlib import django_setup, print_table, timed

url = django_setup(fresh=True)

from django.core.management import call_command  # noqa: E402

from portal.management.commands.load_reference import REFERENCE_DIR, STEPS  # noqa: E402

call_command("migrate", verbosity=0)
print(f"Base : {url}")


def run_all(results: list) -> None:
    for command, filename in STEPS:
        arguments = [str(REFERENCE_DIR / filename)] if filename else []
        with timed(results, f"{command} {filename or ''}".strip()):
            call_command(command, *arguments, stdout=io.StringIO(), stderr=io.StringIO())


first, second = [], []
run_all(first)
run_all(second)
total_first = print_table("Import depuis une base vide", first)
total_second = print_table("Nouvel import sans changement", second)
print(
    f"\nRésultat : {total_first:.2f} s depuis vide (cible ≤ 20 s), "
    f"{total_second:.2f} s en ré-import (cible ≤ 6.67 s, un tiers de 20 s ; "
    f"{total_second / total_first:.0%} de l'import depuis vide)."
)
