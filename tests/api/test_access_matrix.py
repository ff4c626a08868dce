"""Who may call what, for every endpoint of the API: generated from the router
(``portal.api.urls.router``), so that every resource registered later is covered as soon as it
is merged, plus a test-only resource (tests/api/probe.py) that keeps the machinery tested while
the router is still empty.

Credentials: anonymous, a read token, a read-write token of territory A (Valenciennes), an
expired, a revoked and a garbage token. Reads of list and detail endpoints: 200 for the first
three, 401 problem details for the others. Writes (POST on lists, PUT/PATCH/DELETE on details)
without a token: 401; with a read token: 403; with a bad token: 401 — on every endpoint, whatever
methods it implements (permissions are checked before the method).

A detail endpoint is called with the first row its own queryset gives an anonymous visitor: the
world must hold one published row of every resource, or the test fails and says which.
An action that reads through POST (a batch of points) lists itself in its viewset's
``read_only_post_actions`` and is then expected to answer anonymous POSTs.
"""

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, reverse
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from portal.api.urls import router
from portal.api_tokens import TokenScope
from tests.api.conftest import bearer
from tests.api.probe import PROBE_URLCONF, probe_router

pytestmark = pytest.mark.urls(PROBE_URLCONF)

CREDENTIALS = ("anonymous", "read", "read_write_a", "expired", "revoked", "garbage")
REFUSED = {"expired", "revoked", "garbage"}
GARBAGE = "vsc_zzzzzzzz_" + "A" * 43
UNSAFE = {"list": ("post",), "detail": ("put", "patch", "delete")}


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name
    viewset: type
    actions: dict  # HTTP method → viewset action
    detail: bool

    def __str__(self):
        return self.name


def endpoints(urlpatterns) -> list[Endpoint]:
    found = []
    for pattern in urlpatterns:
        if isinstance(pattern, URLResolver):
            found.extend(endpoints(pattern.url_patterns))
            continue
        assert isinstance(pattern, URLPattern)
        viewset = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None)
        if not actions or "format" in pattern.pattern.regex.groupindex:
            continue  # the API root view, and the ``.json`` suffix variants of each route
        found.append(
            Endpoint(pattern.name, viewset, dict(actions), bool(pattern.pattern.regex.groupindex))
        )
    return found


REAL = endpoints(router.urls)
ENDPOINTS = REAL + endpoints(probe_router.urls)


def reads(endpoint: Endpoint) -> bool:
    """Every endpoint that answers GET: lists, details, and actions (``deleted/``, ``locate/``)."""
    return endpoint.actions.get("get") is not None


# The query an action needs to answer 200 (an action without one is called bare).
READ_QUERIES = {"locate": "?lon=3.5234&lat=50.3579"}


def detail_row_url(endpoint: Endpoint) -> str:
    """The endpoint's address for the first row an anonymous visitor sees."""
    if not endpoint.detail:
        return reverse(endpoint.name)
    django_request = APIRequestFactory().get("/")
    django_request.user = AnonymousUser()
    request = Request(django_request)
    request.user = AnonymousUser()
    view = endpoint.viewset(
        request=request, args=(), kwargs={}, format_kwarg=None, action="retrieve"
    )
    row = view.filter_queryset(view.get_queryset()).first()
    if row is None:
        pytest.fail(
            f"{endpoint}: the test world has no published row of this resource; add one in "
            "tests/api/test_access_matrix.py (world fixture) so that its detail is checked."
        )
    value = row
    for part in view.lookup_field.split("__"):
        value = getattr(value, part)
    return reverse(endpoint.name, kwargs={view.lookup_url_kwarg or view.lookup_field: value})


@pytest.fixture
def world(demo_data, db):
    """The demo content (published sections, schemes, structures…), plus the probe's row."""
    from tests.devices.factories import SchemeFactory

    SchemeFactory(is_published=True)


@pytest.fixture
def credentials(world, make_token):
    from portal.accounts import account_create
    from portal.enums import UserRole
    from portal.models import User

    partner = account_create(username="partenaire-api", password="x-1234-y!", role=UserRole.PARTNER)
    coordinator = User.objects.get(username="coordination")  # Valenciennes Métropole
    headers = {
        "anonymous": {},
        "read": bearer(make_token(partner)),
        "read_write_a": bearer(make_token(coordinator, TokenScope.READ_WRITE)),
        "expired": bearer(make_token(partner, expired=True)),
        "revoked": bearer(make_token(partner, revoked=True)),
        "garbage": bearer(GARBAGE),
    }
    return headers


def assert_problem(response, status: int):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == status


READ_CELLS = [
    pytest.param(endpoint, who, id=f"{endpoint}-GET-{who}")
    for endpoint in ENDPOINTS
    if reads(endpoint)
    for who in CREDENTIALS
]
WRITE_CELLS = [
    pytest.param(endpoint, method, who, id=f"{endpoint}-{method.upper()}-{who}")
    for endpoint in ENDPOINTS
    for method in UNSAFE["detail" if endpoint.detail else "list"]
    for who in ("anonymous", "read", "expired", "revoked", "garbage")
]


def test_every_endpoint_name_reverses_to_the_api():
    """An API route named like a public page (``neighbourhood-list`` was both) would send the
    API root, its links and this matrix to the page."""
    for endpoint in REAL:
        if not endpoint.detail:
            assert reverse(endpoint.name).startswith("/api/v1/"), endpoint


def test_read_only_post_actions_answer_anonymous_posts():
    names = {
        (endpoint.viewset, endpoint.actions.get("post"))
        for endpoint in REAL
        if endpoint.actions.get("post") in getattr(endpoint.viewset, "read_only_post_actions", ())
    }
    assert any(action == "locate" for _, action in names)


def test_the_matrix_covers_every_endpoint_of_the_router():
    names = {str(endpoint) for endpoint in ENDPOINTS}

    assert {"probe-list", "probe-detail"} <= names
    for endpoint in REAL:
        assert reads(endpoint) or endpoint.actions, endpoint
    # Every resource's change feed of deletions is read too.
    deleted = {str(endpoint) for endpoint in REAL if endpoint.actions.get("get") == "deleted"}
    for endpoint in REAL:
        if endpoint.actions.get("get") == "list" and hasattr(endpoint.viewset, "deleted"):
            assert str(endpoint).replace("-list", "-deleted") in deleted, endpoint


@pytest.mark.parametrize(("endpoint", "who"), READ_CELLS)
def test_reads(api, credentials, endpoint, who):
    url = detail_row_url(endpoint) + READ_QUERIES.get(endpoint.actions["get"], "")

    response = api.get(url, **credentials[who])

    if who in REFUSED:
        assert_problem(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
    else:
        assert response.status_code == 200, (url, response.content[:300])


@pytest.mark.parametrize(("endpoint", "method", "who"), WRITE_CELLS)
def test_writes_without_a_write_token(api, credentials, endpoint, method, who):
    url = detail_row_url(endpoint)
    action = endpoint.actions.get(method)

    response = getattr(api, method)(url, {}, format="json", **credentials[who])

    if who in REFUSED:
        # A bad token is refused whatever the action, a read included (see test_reads).
        assert_problem(response, 401)
    elif action in getattr(endpoint.viewset, "read_only_post_actions", ()):
        assert response.status_code not in (401, 403) and response.status_code < 500
    elif who == "read":
        assert_problem(response, 403)
    else:
        assert_problem(response, 401)
