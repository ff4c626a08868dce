"""Point-lookup benchmark: 10,000 random points in Occitanie's bounding box.

    make bench                      # or, after scripts/bench_imports.py:
    DATABASE_URL=postgis://postgres@127.0.0.1:5432/bench_portal .venv/bin/python scripts/bench_lookup.py

Uses the database as it is; imports the Occitanie 2015 contours (and the communes they need)
when it holds none. Prints the throughput one point per query, then as one batch (target: the
batch of 10,000 points ≤ 1 s).
"""

import io
import random
import time

from benchlib import django_setup

url = django_setup(fresh=False)

from django.core.management import call_command  # noqa: E402

from neighbourhoods.models import Neighbourhood  # noqa: E402
from neighbourhoods.selectors import locate, locate_points  # noqa: E402
from portal.management.commands.load_reference import REFERENCE_DIR  # noqa: E402

call_command("migrate", verbosity=0)
if not Neighbourhood.objects.exclude(contour=None).exists():
    for command, filename in (
        ("import_communes", "communes_cog2026_epci.csv"),
        ("import_neighbourhoods", "occitanie_qpv2015_contours.geojson"),
    ):
        call_command(
            command, str(REFERENCE_DIR / filename), stdout=io.StringIO(), stderr=io.StringIO()
        )

OCCITANIE = (-0.33, 42.33, 4.85, 45.05)
generator = random.Random(2016)
points = [
    (generator.uniform(OCCITANIE[0], OCCITANIE[2]), generator.uniform(OCCITANIE[1], OCCITANIE[3]))
    for _ in range(10_000)
]
# Random points rarely fall in a QPV: add the centre of every contour so that hits are measured.
points[: Neighbourhood.objects.exclude(contour=None).count()] = [
    (c.x, c.y)
    for c in (n.contour.point_on_surface for n in Neighbourhood.objects.exclude(contour=None))
]

start = time.perf_counter()
one_by_one = [locate(x, y) for x, y in points]
single = time.perf_counter() - start

start = time.perf_counter()
batch = locate_points(points)
batched = time.perf_counter() - start

assert [batch[i] for i in range(len(points))] == one_by_one, "le lot et le point à point divergent"
hits = sum(bool(codes) for codes in one_by_one)
print(f"Base : {url} ; {len(points)} points, dont {hits} dans un quartier")
print(f"Un par un : {single:.2f} s ({len(points) / single:,.0f} points/s)")
print(f"En un lot : {batched:.3f} s ({len(points) / batched:,.0f} points/s) – cible ≤ 1 s")
