import pytest
from django.db import transaction

from portal.demo import demo_load


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo content, loaded once per module and rolled back after it.

    Tests that use it still take ``db``: their own changes roll back to this state.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        counts = demo_load(with_accounts=True)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def empty_cache(settings, tmp_path):
    """Each test gets its own empty file cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    # pytest-django's settings fixture sends setting_changed: Django resets its cache handlers.
    yield
