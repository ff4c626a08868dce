"""Robustness: schemathesis generates requests for every operation of the API's own OpenAPI
schema and sends them to the WSGI application in-process, anonymously and with tokens.

No answer may be a server error, nor a status code, content type or body the schema does not
document. Generation is derandomized: the same requests every run. Every failure is collected
(no shrinking) and reported at once, with the operation and the request that caused it.
"""

import json
import math
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationConfig
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from portal.api_tokens import TokenScope, token_create
from tests.api import hypothesis_compat
from tests.api.write_world import approve, write_world

pytestmark = pytest.mark.django_db

hypothesis_compat.install()

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)
MIN_REQUESTS = 1000
# Each operation gets its share of the requests, and a few more: hypothesis stops early on an
# operation whose inputs it has exhausted (an operation without parameters).
MAX_EXAMPLES_CAP = 120


@dataclass
class Run:
    requests: int = 0
    by_status: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)


def openapi_schema() -> dict:
    """The schema the API serves (/api/schema/), as partners read it."""
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


def fuzz(schema, headers: dict, run: Run, per_operation: int) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=per_operation,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            response = case.call_wsgi(headers=headers)
            run.requests += 1
            run.by_status[response.status_code] = run.by_status.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=CHECKS)
            except AssertionError as failure:  # schemathesis' CheckFailed is an AssertionError
                lines = [line for line in str(failure).strip().splitlines() if line.strip()]
                run.failures.append(
                    f"{case.operation.verbose_name} → {response.status_code}: "
                    + " / ".join(lines[:6])[:600]
                    + f"\n    {case.as_curl_command()}"
                )

        exercise()


@pytest.fixture
def world(settings):
    # Throttling has its own tests: here every generated request must reach its view.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": "1000000/hour",
            "token": "1000000/hour",
            "write": "1000000/hour",
        },
    }
    world = write_world()
    approve(world)
    return world


def bearer(user, scope) -> dict:
    _, raw = token_create(owner=user, name="Schemathesis", scope=scope)
    return {"Authorization": f"Bearer {raw}"}


def test_every_operation_answers_as_its_schema_says(world):
    raw = openapi_schema()
    # A handler built now, under the test settings (the module's was built at import time).
    # Credentials are the passes' own: no generated Authorization header or session cookie.
    schema = schemathesis.from_dict(
        raw,
        app=get_wsgi_application(),
        base_url="http://localhost",
        generation_config=GenerationConfig(with_security_parameters=False),
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    # Anonymous, a partner's read token, and a coordinator's read-write token (whose writes
    # mostly fail validation, which must then be a documented 400, never a 500).
    passes = {
        "anonyme": {},
        "jeton lecture": bearer(world["partner"], TokenScope.READ),
        "jeton écriture": bearer(world["coordinator_a"], TokenScope.READ_WRITE),
    }
    per_operation = min(
        MAX_EXAMPLES_CAP, math.ceil(MIN_REQUESTS * 1.1 / (len(operations) * len(passes)))
    )
    run = Run()

    # As Django's test client does: the handler must not close the test's connection after
    # each request (PostgreSQL would lose the test's transaction and its data).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        for headers in passes.values():
            fuzz(schema, headers, run, per_operation)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)

    print(f"schemathesis: {run.requests} requests, {len(operations)} operations, {run.by_status}")
    assert run.failures == [], "\n".join(sorted(set(run.failures))[:40])
    assert run.requests >= MIN_REQUESTS, (run.requests, len(operations), run.by_status)
