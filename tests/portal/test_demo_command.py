"""The demo command, on an empty database (no module-wide demo data here)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devices.models import Scheme
from neighbourhoods.models import Region
from portal.models import User


@pytest.mark.django_db
def test_the_command_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")

    assert not User.objects.exists()
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_the_command_loads_and_lists_the_accounts(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo")

    out = capsys.readouterr().out
    assert "admin, coordination, ars, coordination-mel" in out
    usernames = ["admin", "coordination", "ars", "coordination-mel"]
    assert User.objects.filter(username__in=usernames).count() == 4


@pytest.mark.django_db
def test_a_broken_demo_file_names_the_file_row_and_field_and_writes_nothing(tmp_path):
    import json
    import shutil

    from portal.demo import DEMO_DIR, DemoDataError, demo_load

    shutil.copytree(DEMO_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "typology_families.json"
    families = json.loads(path.read_text(encoding="utf-8"))
    families[0]["colour"] = "vert"
    path.write_text(json.dumps(families), encoding="utf-8")

    with pytest.raises(DemoDataError) as error:
        demo_load(with_accounts=True, directory=tmp_path)

    message = str(error.value)
    assert message.startswith("typology_families.json, ligne 1 ")
    assert "'code': 'vert'" in message and "champ « colour »" in message
    assert "#rrggbb" in message
    assert not Scheme.objects.exists() and not User.objects.exists()
    assert not Region.objects.exists()  # the territories loaded before the error rolled back
