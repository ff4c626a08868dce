"""What one upload or import may cost: every input limit of the portal, in one place.

Each limit is named in the error message that enforces it, so that a person who hits one can
find it here. The values leave a wide margin above the national reference files
(`fixtures/reference/`): 35,000 communes in 3.5 MB, 44 indicator columns, contours of at most
a few thousand vertices.
"""

# Importers (neighbourhoods/importing/readers.py)
MAX_FILE_BYTES = 50 * 1024 * 1024  # an imported file, CSV, XLSX or GeoJSON, as stored
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # the sum of an XLSX's unzipped parts
MAX_COLUMNS = 500  # columns of a table (header or row)
MAX_LINE_CHARS = 64 * 1024  # characters of one CSV line (csv's own cell limit is 128 KiB)
MAX_FIELD_CHARS = 10_000  # characters of one cell

# Geometries, imported or typed in a form (neighbourhoods/geo.py, neighbourhoods/forms.py)
MAX_GEOMETRY_VERTICES = 20_000  # vertices of one contour; GEOS recursion beyond is unsafe
MAX_GEOMETRY_INPUT_CHARS = 2 * 1024 * 1024  # text of a geometry posted to a form
# Nesting of brackets in a geometry typed in a form (a MultiPolygon needs 4); imported files
# stop at the JSON parser's own limit (about 1,000 levels) with a French error.
MAX_JSON_DEPTH = 32

# Plausible years (every year field, with a database check)
MIN_YEAR = 1990
MAX_YEAR = 2100
