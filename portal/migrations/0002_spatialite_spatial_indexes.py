"""Re-enables SpatiaLite's spatial indexes after SQLite table rebuilds.

On SQLite, adding a check constraint rebuilds the table, and the rebuild leaves the geometry
columns registered with ``spatial_index_enabled = 0`` and no index triggers: lookups would scan
every contour. This migration recreates the R*Tree index of every geometry column that lost it.
A test (tests/neighbourhoods/test_lookup.py) fails if a later migration breaks them again.
"""

from django.db import migrations


def spatial_indexes_restore(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f_table_name, f_geometry_column FROM geometry_columns "
            "WHERE spatial_index_enabled = 0 AND f_table_name NOT LIKE 'iso_%'"
        )
        for table, column in cursor.fetchall():
            cursor.execute(f'DROP TABLE IF EXISTS "idx_{table}_{column}"')
            cursor.execute("SELECT CreateSpatialIndex(%s, %s)", [table, column])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("neighbourhoods", "0001_initial"),
        ("devices", "0001_initial"),
        ("contracts", "0002_initial"),
    ]

    operations = [migrations.RunPython(spatial_indexes_restore, migrations.RunPython.noop)]
