import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal.api_tokens import TokenScope, token_create


@pytest.fixture(autouse=True)
def api_cache(settings):
    """A fresh in-memory cache for each API test: throttling counters never leak from one test
    (or one run, with the file cache) to the next."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"api-test-{id(settings)}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_token():
    """make_token(user, scope="read", expired=False, revoked=False, **territory) → raw token."""

    def make(user, scope=TokenScope.READ, *, expired=False, revoked=False, name="Test", **kw):
        token, raw = token_create(owner=user, name=name, scope=scope, **kw)
        if expired:
            token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
        if revoked:
            token.revoked_at = timezone.now()
        token.save()
        return raw

    return make


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class AccessWorld:
    """Two territories (A and B), a published scheme in each, and the personas."""

    def __init__(self):
        from portal.accounts import account_create
        from portal.enums import UserRole
        from tests.devices.factories import OrganisationFactory, SchemeFactory
        from tests.neighbourhoods.factories import CommuneFactory

        self.commune_a, self.commune_b = CommuneFactory(), CommuneFactory()
        self.epci_a, self.epci_b = self.commune_a.epci, self.commune_b.epci
        self.scheme_a = SchemeFactory(is_published=True, carrier=OrganisationFactory())
        self.scheme_a.epcis.set([self.epci_a])
        self.scheme_b = SchemeFactory(is_published=True, carrier=OrganisationFactory())
        self.scheme_b.epcis.set([self.epci_b])
        self.draft = SchemeFactory(is_published=False)
        self.draft.epcis.set([self.epci_a])
        self.coordinator_a = account_create(
            username="coord-a", password="pw-a-1234!", role=UserRole.COORDINATOR,
            epcis=[self.epci_a],
        )  # fmt: skip
        self.coordinator_b = account_create(
            username="coord-b", password="pw-b-1234!", role=UserRole.COORDINATOR,
            epcis=[self.epci_b],
        )  # fmt: skip
        self.partner = account_create(
            username="partner", password="pw-p-1234!", role=UserRole.PARTNER
        )
        self.admin = account_create(username="boss", password="pw-x-1234!", role=UserRole.ADMIN)


@pytest.fixture
def access_world(db):
    return AccessWorld()
