"""Points read from a pair of longitude/latitude columns (WGS84), checked against France.

The QPV 2024 file carries each commune's centroid (``commune_centroid_lon``,
``commune_centroid_lat``) and the contracts file a point per contract (``lon``, ``lat``).
"""

from django.contrib.gis.geos import Point

from neighbourhoods.geo import in_france
from neighbourhoods.importing.readers import parse_decimal
from neighbourhoods.importing.report import ImportReport


def map_point(
    line: int | str,
    row: dict[str, str],
    lon_column: str,
    lat_column: str,
    report: ImportReport,
) -> Point | None:
    """Pure mapper: the point of a row, None when both cells are blank; problems in the report
    (and None) when a cell is not a number, out of range or outside France."""
    raw_lon, raw_lat = row.get(lon_column, ""), row.get(lat_column, "")
    if not raw_lon and not raw_lat:
        return None
    if not raw_lon or not raw_lat:
        blank, given = (lon_column, lat_column) if not raw_lon else (lat_column, lon_column)
        report.problem(line, blank, f"vide alors que {given} est rempli : les deux ou aucune.")
        return None
    values = {}
    for column, raw, limit in ((lon_column, raw_lon, 180), (lat_column, raw_lat, 90)):
        try:
            value = float(parse_decimal(raw))
        except ValueError as exc:
            report.problem(line, column, f"{exc}.")
            continue
        if not -limit <= value <= limit:
            kind = "longitude" if limit == 180 else "latitude"
            report.problem(
                line, column, f"{kind} {raw} hors de −{limit} à {limit} (degrés WGS84 attendus)."
            )
            continue
        values[column] = value
    if len(values) < 2:
        return None
    longitude, latitude = values[lon_column], values[lat_column]
    if not in_france(longitude, latitude, longitude, latitude):
        report.problem(
            line,
            lon_column,
            f"le point ({longitude}, {latitude}) tombe hors de la France et de ses outre-mer "
            "(longitude et latitude inversées ?).",
        )
        return None
    return Point(longitude, latitude, srid=4326)
