"""Gives every existing row its own public identifier (uid), then makes it unique and required."""

import uuid

from django.db import migrations, models

MODELS = "organisation scheme mediatorpost funding healthstructure".split()


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("devices", name)
        rows = list(model.objects.filter(uid__isnull=True).only("pk"))
        for row in rows:
            row.uid = uuid.uuid4()
        model.objects.bulk_update(rows, ["uid"], batch_size=500)
        try:
            history = apps.get_model(model._meta.app_label, f"historical{name}")
        except LookupError:
            continue
        # A row's past versions carry its uid; versions of deleted rows get their own.
        uids = {row.pk: row.uid for row in rows} | dict(model.objects.values_list("pk", "uid"))
        versions = list(history.objects.filter(uid__isnull=True).only("history_id", "id"))
        for version in versions:
            version.uid = uids.get(version.id) or uuid.uuid4()
        history.objects.bulk_update(versions, ["uid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("devices", "0008_public_ids_and_change_dates")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
