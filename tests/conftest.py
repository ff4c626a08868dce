import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import Client, RequestFactory, override_settings

from portal.demo import demo_load


@pytest.fixture(scope="session", autouse=True)
def suite_settings():
    """The test client and the live server speak plain HTTP and nothing ran collectstatic.

    Production settings redirect to HTTPS and serve hashed files from the collectstatic
    manifest; tests that are about those behaviours turn them back on with ``settings``.
    Passwords are hashed quickly: the lockout tests sign in dozens of times. Public pages are
    rendered afresh (their query counts and contents are what tests look at); the page cache has
    its own tests (tests/portal/test_public_cache.py), which turn it back on.
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        PUBLIC_PAGE_CACHE=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


def login_with_request(self, **credentials) -> bool:
    """``Client.login()`` handing ``authenticate()`` the request that django-axes requires.

    Django's own calls ``authenticate(**credentials)`` without one, which the axes backend
    refuses. Failures still count towards the lockout of 127.0.0.1, as in the browser.
    """
    request = RequestFactory(**self.defaults).post("/admin/login/")
    user = authenticate(request, **credentials)
    if user is None:
        return False
    self._login(user)
    return True


@pytest.fixture(scope="session", autouse=True)
def client_login_with_request():
    """Every test client, the ``client`` fixture's or one built in a test, logs in this way."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "login", login_with_request)
        yield


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
