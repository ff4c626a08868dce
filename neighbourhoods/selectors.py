"""Point → neighbourhood lookups, answered by the database's spatial index in one query."""

import json
from collections import defaultdict

from django.db import connection

from neighbourhoods.models import Neighbourhood

TABLE = Neighbourhood._meta.db_table

# A point on a boundary belongs to every neighbourhood whose contour touches it (ST_Intersects,
# closed sets), so a point on the shared edge of two neighbourhoods answers both, always.
POSTGIS_SQL = f"""
    SELECT p.idx - 1, n.code
    FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, idx)
    JOIN {TABLE} n ON ST_Intersects(n.contour, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))
    ORDER BY p.idx, n.code
"""

# SpatiaLite only uses its R*Tree index through the SpatialIndex virtual table.
SPATIALITE_SQL = f"""
    WITH p AS (
        SELECT CAST(key AS INTEGER) AS idx,
               MakePoint(json_extract(value, '$[0]'), json_extract(value, '$[1]'), 4326) AS geom
        FROM json_each(%s)
    )
    SELECT p.idx, n.code
    FROM p JOIN {TABLE} n
      ON n.id IN (
          SELECT ROWID FROM SpatialIndex
          WHERE f_table_name = '{TABLE}' AND f_geometry_column = 'contour' AND search_frame = p.geom
      )
     AND ST_Intersects(n.contour, p.geom) = 1
    ORDER BY p.idx, n.code
"""


def locate_points(points: list[tuple[float, float]]) -> dict[int, list[str]]:
    """For (longitude, latitude) pairs in WGS84: index → codes of the neighbourhoods that
    contain the point (empty list outside every contour). One query whatever the batch size."""
    found: dict[int, list[str]] = defaultdict(list)
    if not points:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                POSTGIS_SQL, [[float(p[0]) for p in points], [float(p[1]) for p in points]]
            )
        else:
            cursor.execute(SPATIALITE_SQL, [json.dumps([[float(x), float(y)] for x, y in points])])
        for index, code in cursor.fetchall():
            found[index].append(code)
    return {index: found.get(index, []) for index in range(len(points))}


def locate(longitude: float, latitude: float) -> list[str]:
    return locate_points([(longitude, latitude)])[0]
