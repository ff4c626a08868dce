"""The territories' JSON answers match the OpenAPI schema that drf-spectacular generates from
the declared serializers (the hand-built rows of communes and neighbourhoods included)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator

from neighbourhoods.models import Neighbourhood
from tests.api.geo_world import build_world

pytestmark = pytest.mark.django_db

# (path template, query, path parameters). GeoJSON is left out: schemathesis 3 checks every
# answer against the operation's first media type (application/json).
CASES = [
    ("/api/v1/regions/", {}, None),
    ("/api/v1/regions/{code}/", {}, {"code": "32"}),
    ("/api/v1/departments/", {"region": "32"}, None),
    ("/api/v1/departments/{code}/", {}, {"code": "59"}),
    ("/api/v1/epci/", {}, None),
    ("/api/v1/epci/{code}/", {}, {"code": "200093201"}),
    ("/api/v1/communes/", {}, None),
    ("/api/v1/communes/{code}/", {}, {"code": "62041"}),
    ("/api/v1/neighbourhoods/", {"page_size": 2}, None),
    ("/api/v1/neighbourhoods/", {"updated_since": "2020-01-01T00:00:00Z"}, None),
    ("/api/v1/neighbourhoods/{code}/", {}, {"code": "QN05901M"}),
    ("/api/v1/neighbourhoods/{code}/", {}, {"code": "QP059001"}),
    ("/api/v1/neighbourhoods/locate/", {"lon": 3.07, "lat": 50.62}, None),
    ("/api/v1/neighbourhoods/deleted/", {}, None),
]
CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
)


@pytest.fixture
def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    # As Django's test client does: the WSGI handler must not close the test's connection
    # (and its transaction) at the start and end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.from_dict(
            dict(document), app=get_wsgi_application(), base_url="http://localhost"
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_json_answers_match_the_schema(schema):
    build_world()
    Neighbourhood.objects.get(code="QN06201A").delete()  # a tombstone to list
    for path, query, path_parameters in CASES:
        case = schema[path]["GET"].make_case(query=query, path_parameters=path_parameters)
        response = case.call_wsgi()
        assert response.status_code == 200, (path, response.data[:300])
        case.validate_response(response, checks=CHECKS)
    case = schema["/api/v1/neighbourhoods/locate/"]["POST"].make_case(
        body={"points": [[3.07, 50.62], [2, 48]]}, media_type="application/json"
    )
    response = case.call_wsgi()
    assert response.status_code == 200
    case.validate_response(response, checks=CHECKS)
