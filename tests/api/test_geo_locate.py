"""Which neighbourhood contains a point: one point by GET, a batch by POST (a read)."""

import json

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tests.api.geo_world import build_world
from tests.api.problems import problem_fields
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/neighbourhoods/locate/"


@pytest.fixture
def world():
    return build_world()


def post(client, payload, **extra):
    return client.post(URL, json.dumps(payload), content_type="application/json", **extra)


def test_one_point_by_get(client, world):
    response = client.get(f"{URL}?lon=3.07&lat=50.62")
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["point"] == [3.07, 50.62]
    assert result["neighbourhoods"] == [
        {
            "code": "QN05901M",
            "name": "Moulins",
            "url": "http://testserver/api/v1/neighbourhoods/QN05901M/",
            "geography": 2024,
        },
        {
            "code": "QP059001",
            "name": "Moulins (2015)",
            "url": "http://testserver/api/v1/neighbourhoods/QP059001/",
            "geography": 2015,
        },
    ]


def test_a_point_outside_every_neighbourhood_finds_none(client, world):
    assert client.get(f"{URL}?lon=2.35&lat=48.85").json()["results"][0]["neighbourhoods"] == []


def test_a_batch_of_points_in_one_request_and_two_queries(client, world, django_assert_num_queries):
    points = [[3.07, 50.62], [2.35, 48.85]] * 300
    with django_assert_num_queries(2):  # the spatial lookup, then the names
        response = post(client, {"points": points})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 600
    assert [n["code"] for n in results[0]["neighbourhoods"]] == ["QN05901M", "QP059001"]
    assert results[1]["neighbourhoods"] == []
    assert results[599]["index"] == 599


@pytest.mark.parametrize(
    "query, field",
    [
        ("", "lon"),
        ("lon=3.07", "lat"),
        ("lon=abc&lat=50", "lon"),
        ("lon=3&lat=91", "lat"),
        ("lon=nan&lat=50", "lon"),
        ("lon=inf&lat=50", "lon"),
        ("lon=1e999&lat=50", "lon"),
    ],
)
def test_bad_get_points_are_french_400s(client, world, query, field):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in problem_fields(response)


def test_bad_points_of_a_batch_are_named_by_their_index(client, world):
    response = post(
        client,
        {"points": [[3.07, 50.62], [200, 50], "Lille", [3.07], [True, 50], [3.07, None]]},
    )
    assert response.status_code == 400
    errors = problem_fields(response)
    assert set(errors) == {"points[1]", "points[2]", "points[3]", "points[4]", "points[5]"}
    assert "longitude" in errors["points[1]"][0] and "Point n° 1" in errors["points[1]"][0]
    assert "[longitude, latitude]" in errors["points[2]"][0]


@pytest.mark.parametrize(
    "payload",
    [{"points": [[3.0, 50.0]] * 1001}, {"points": []}, {"pts": []}, [[3.0, 50.0]], "x"],
)
def test_malformed_or_oversized_batches_are_400s(client, world, payload):
    response = post(client, payload)
    assert response.status_code == 400
    assert "points" in problem_fields(response)


def test_a_batch_is_json_only(client, world):
    response = client.post(URL, {"points": "3,50"})  # a form, as a cross-site page would send
    assert response.status_code == 415


def test_anonymous_clients_may_post_without_csrf_token(world):
    anonymous = Client(enforce_csrf_checks=True)
    assert post(anonymous, {"points": [[3.07, 50.62]]}).status_code == 200


def test_a_signed_in_browser_session_still_needs_the_csrf_token(world):
    user = UserFactory()
    user.save()  # the factory sets the password without saving it: the session would not hold
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = post(browser, {"points": [[3.07, 50.62]]})
    assert response.status_code == 403
    # With the token, as the portal's own pages would send it.
    token = _get_new_csrf_string()
    browser.cookies["csrftoken"] = token
    assert post(browser, {"points": [[3.07, 50.62]]}, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_other_methods_are_refused(client, world):
    # As on every endpoint, permissions come before the method: only POST is a read here, so an
    # anonymous PUT or DELETE is a write without a token (tests/api/test_access_matrix.py).
    assert client.put(URL, "{}", content_type="application/json").status_code == 401
    assert client.delete(URL).status_code == 401
