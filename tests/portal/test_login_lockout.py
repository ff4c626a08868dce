from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from portal.models import User
from portal.security import client_ip

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RIGHT = "un-mot-de-passe-solide"


@pytest.fixture
def claire():
    return User.objects.create_user("claire", password=RIGHT, is_staff=True)


def sign_in(client, password, username="claire", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **headers
    )


def fail(client, times, username="claire", **headers):
    return [sign_in(client, "mauvais", username, **headers) for _ in range(times)]


def test_wrong_passwords_below_the_limit_only_fail(client, claire, settings):
    responses = fail(client, settings.AXES_FAILURE_LIMIT - 1)

    assert {response.status_code for response in responses} == {200}
    assert sign_in(client, RIGHT).status_code == 302


def test_the_account_is_locked_after_the_limit_even_with_the_right_password(
    client, claire, settings
):
    responses = fail(client, settings.AXES_FAILURE_LIMIT)

    refused = sign_in(client, RIGHT)

    assert responses[-1].status_code == 429
    assert refused.status_code == 429
    assert "Connexion temporairement bloquée" in refused.content.decode()
    assert "pendant 30 minutes" in refused.content.decode()
    assert client.get("/admin/").status_code == 302  # still anonymous


def test_further_attempts_during_the_lockout_are_refused_unchecked(client, claire, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)

    responses = fail(client, 25)

    assert {response.status_code for response in responses} == {429}


def test_the_right_password_works_again_after_the_cool_off(client, claire, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, RIGHT).status_code == 429

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = sign_in(client, RIGHT)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_right_password_is_still_refused_just_before_the_cool_off_ends(
    client, claire, settings
):
    fail(client, settings.AXES_FAILURE_LIMIT)

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME - timedelta(minutes=1)):
        response = sign_in(client, RIGHT)

    assert response.status_code == 429


def test_an_administrator_lifts_the_lockout(client, claire, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)

    call_command("axes_reset_username", "claire", verbosity=0)

    assert sign_in(client, RIGHT).status_code == 302


def test_the_limit_and_cool_off_are_settings(client, claire, settings):
    settings.AXES_FAILURE_LIMIT = 2

    responses = fail(client, 2)

    assert responses[-1].status_code == 429


def test_the_lockout_holds_for_one_username_from_one_address(client, claire, settings):
    User.objects.create_user("karim", password=RIGHT, is_staff=True)
    fail(client, settings.AXES_FAILURE_LIMIT)

    other_user = sign_in(client, RIGHT, username="karim")
    client.logout()
    other_address = sign_in(client, RIGHT, REMOTE_ADDR="192.0.2.10")

    assert other_user.status_code == 302
    assert other_address.status_code == 302


def test_behind_the_proxy_the_lockout_follows_the_clients_address(client, claire, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    fail(client, settings.AXES_FAILURE_LIMIT, HTTP_X_REAL_IP="203.0.113.5")

    same_client = sign_in(client, RIGHT, HTTP_X_REAL_IP="203.0.113.5")
    other_client = sign_in(client, RIGHT, HTTP_X_REAL_IP="203.0.113.6")

    assert same_client.status_code == 429
    assert other_client.status_code == 302


def test_a_test_client_signs_in_with_axes_on_and_counts_towards_the_lockout(claire, settings):
    assert settings.AXES_ENABLED
    assert Client().login(username="claire", password=RIGHT)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert not client.login(username="claire", password="mauvais")

    assert not client.login(username="claire", password=RIGHT)


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        (None, {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "10.0.0.2"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "198.51.100.1"}, "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.1"}, "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", {"HTTP_X_FORWARDED_FOR": "2001:db8::1"}, "2001:db8::1"),
        ("HTTP_X_REAL_IP", {"HTTP_X_REAL_IP": "pas-une-adresse"}, "10.0.0.2"),
        ("HTTP_X_REAL_IP", {}, "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_the_configured_header_only(settings, header, meta, expected):
    settings.CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)

    assert client_ip(request) == expected
