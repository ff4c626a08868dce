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
    assert "admin, coordination, ars" in out
    assert User.objects.filter(username__in=["admin", "coordination", "ars"]).count() == 3


@pytest.mark.django_db
def test_a_broken_demo_file_names_the_row_and_writes_nothing(tmp_path):
    import json
    import shutil

    from portal.demo import DEMO_DIR, DemoDataError, demo_load

    for name in ("territories.json", "devices.json", "contracts.json"):
        shutil.copy(DEMO_DIR / name, tmp_path / name)
    devices = json.loads((tmp_path / "devices.json").read_text(encoding="utf-8"))
    devices["typologies"][0]["families"][0]["colour"] = "vert"
    (tmp_path / "devices.json").write_text(json.dumps(devices), encoding="utf-8")

    with pytest.raises(DemoDataError) as error:
        demo_load(with_accounts=True, directory=tmp_path)

    assert "devices.json" in str(error.value) and "'code': 'vert'" in str(error.value)
    assert "#rrggbb" in str(error.value)
    assert not Scheme.objects.exists() and not User.objects.exists()
    assert not Region.objects.exists()  # the territories loaded before the error rolled back
