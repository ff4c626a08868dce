"""The demo command, on an empty database (no module-wide demo data here)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from devices.models import Scheme
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
