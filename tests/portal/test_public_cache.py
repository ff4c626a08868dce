import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from portal import public_cache
from tests.contracts.factories import CityContractFactory, HealthSectionFactory
from tests.devices.factories import SchemeFactory
from tests.neighbourhoods.factories import CommuneFactory, NeighbourhoodFactory
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.public_cache_urls")]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The suite renders pages afresh (tests/conftest.py); here the cache is the subject."""
    settings.PUBLIC_PAGE_CACHE = True


def sign_in(client) -> None:
    user = UserFactory()
    user.save()  # the factory leaves the password it set unsaved
    client.force_login(user)


def header_nonce(response) -> str:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    return match.group(1)


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, django_assert_num_queries
):
    first = client.get("/")
    with django_assert_num_queries(0):
        second = client.get("/")

    assert first["X-Public-Cache"] == "miss"
    assert second["X-Public-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]


def test_the_query_string_is_part_of_the_address_in_any_order(client):
    client.get("/essai/nonce/", {"t": "un", "u": "2"})

    same = client.get("/essai/nonce/?u=2&t=un")
    other = client.get("/essai/nonce/", {"t": "deux"})

    assert same["X-Public-Cache"] == "hit"
    assert other["X-Public-Cache"] == "miss"
    assert "<p>deux</p>" in other.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: NeighbourhoodFactory(), id="neighbourhoods"),
        pytest.param(lambda: SchemeFactory(is_published=True), id="devices"),
        pytest.param(lambda: CityContractFactory(), id="contracts"),
        pytest.param(lambda: HealthSectionFactory(is_published=True), id="contracts-section"),
    ],
)
def test_a_saved_row_of_a_public_app_drops_the_cached_pages(client, change):
    before = client.get("/")
    change()

    after = client.get("/")

    assert after["X-Public-Cache"] == "miss"
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]


def test_a_deleted_row_and_a_changed_link_drop_the_cached_pages(client):
    scheme = SchemeFactory(is_published=True)
    commune = CommuneFactory()
    client.get("/")

    scheme.communes.add(commune)
    after_link = client.get("/")
    scheme.delete()
    after_delete = client.get("/")

    assert after_link["X-Public-Cache"] == "miss"
    assert after_delete["X-Public-Cache"] == "miss"
    assert client.get("/")["X-Public-Cache"] == "hit"


def test_changes_of_other_apps_keep_the_cached_pages(client):
    client.get("/")

    UserFactory()

    assert client.get("/")["X-Public-Cache"] == "hit"


def test_importers_bulk_paths_drop_the_pages_with_bump(client):
    client.get("/")

    public_cache.bump()

    assert client.get("/")["X-Public-Cache"] == "miss"


def test_a_transaction_bumps_the_version_again_once_when_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        SchemeFactory()
        CityContractFactory()
        NeighbourhoodFactory()
    before = public_cache.data_version()

    # One bump, however many rows the transaction wrote (the map layer's cache has its own
    # callback, also registered once: neighbourhoods.geojson).
    bumps = [callback for callback in callbacks if callback is public_cache.bump]
    assert bumps == [public_cache.bump]
    assert len(callbacks) == len(set(callbacks))
    bumps[0]()
    assert public_cache.data_version() != before


def test_every_model_of_the_public_apps_is_watched_but_their_history():
    watched = public_cache.watched_models()
    every = [
        model
        for label in public_cache.WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
    ]

    for model in watched:
        assert post_save.has_listeners(model), model
        assert post_delete.has_listeners(model), model
    assert {model.__name__ for model in every} - {model.__name__ for model in watched} == {
        model.__name__ for model in every if model.__name__.startswith("Historical")
    }
    assert {"Neighbourhood", "Scheme", "HealthSection", "ReviewComment"} <= {
        model.__name__ for model in watched
    }


def test_signed_in_visitors_get_their_own_page_never_the_cached_one(client):
    anonymous = client.get("/")
    sign_in(client)

    signed_in = client.get("/")

    assert "X-Public-Cache" not in signed_in
    assert "ETag" not in signed_in
    assert "Espace de travail" in signed_in.content.decode()
    assert "Espace de travail" not in anonymous.content.decode()


def test_a_page_rendered_for_a_signed_in_visitor_is_not_stored(client):
    sign_in(client)
    client.get("/")
    client.logout()

    assert client.get("/")["X-Public-Cache"] == "miss"


def test_a_revalidation_with_the_current_etag_answers_304_without_body_or_policy(client):
    etag = client.get("/")["ETag"]

    response = client.get("/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "Content-Security-Policy" not in response
    assert "no-cache" in response["Cache-Control"]


def test_a_revalidation_after_a_change_gets_the_new_page(client):
    etag = client.get("/")["ETag"]
    NeighbourhoodFactory()

    response = client.get("/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_signed_in_revalidation_never_gets_304(client):
    etag = client.get("/")["ETag"]
    sign_in(client)

    assert client.get("/", headers={"If-None-Match": etag}).status_code == 200


def test_anonymous_pages_say_they_vary_with_the_cookie(client):
    assert "Cookie" in client.get("/")["Vary"]
    assert "Cookie" in client.get("/")["Vary"]


def test_a_cached_page_carries_the_nonce_of_the_response_that_serves_it(client):
    first = client.get("/essai/nonce/")
    second = client.get("/essai/nonce/")

    for response in (first, second):
        nonces = re.findall(r'nonce="([^"]*)"', response.content.decode())
        assert len(nonces) == 2
        assert set(nonces) == {header_nonce(response)}
    assert second["X-Public-Cache"] == "hit"
    assert header_nonce(first) != header_nonce(second)


def test_the_stored_page_holds_a_placeholder_not_a_nonce(client):
    response = client.get("/essai/nonce/")

    key = public_cache.PAGE_KEY.format(
        release=public_cache.release(),
        version=public_cache.data_version(),
        address=public_cache._address(response.wsgi_request),
    )
    entry = cache.get(key)
    assert header_nonce(response).encode() not in entry["content"]
    assert entry["content"].count(public_cache.NONCE_PLACEHOLDER) == 2


def test_a_page_without_nonce_gets_none_from_the_cache(client):
    client.get("/")
    hit = client.get("/")

    assert "nonce" not in hit["Content-Security-Policy"]
    assert public_cache.NONCE_PLACEHOLDER not in hit.content


@pytest.mark.parametrize(
    "address",
    [
        pytest.param("/essai/cookie/", id="set-cookie"),
        pytest.param("/essai/message/", id="messages"),
        pytest.param("/essai/absent/", id="not-200"),
        pytest.param("/essai/formulaire/", id="csrf-token"),
        pytest.param("/essai/prive/", id="cache-control-private"),
    ],
)
def test_pages_that_are_not_everyones_are_never_stored(client, address):
    first = client.get(address)
    second = client.get(address)

    assert "X-Public-Cache" not in first
    assert "X-Public-Cache" not in second
    assert "ETag" not in second


def test_a_visitor_with_pending_messages_is_not_served_from_the_cache(client):
    client.get("/")
    client.get("/essai/message/")

    assert "X-Public-Cache" not in client.get("/")


def test_pages_that_vary_on_a_header_are_kept_per_value_of_it(client):
    client.get("/essai/negocie/", headers={"Accept": "text/html"})

    other = client.get("/essai/negocie/", headers={"Accept": "text/csv"})
    back = client.get("/essai/negocie/", headers={"Accept": "text/csv"})

    assert other["X-Public-Cache"] == "miss"
    assert other.content == b"text/csv"
    assert back["X-Public-Cache"] == "hit"


def test_the_cache_can_be_switched_off(client, settings):
    settings.PUBLIC_PAGE_CACHE = False
    client.get("/")

    assert "X-Public-Cache" not in client.get("/")


def test_posts_and_garbage_query_strings_bypass_the_cache(client):
    assert client.post("/").status_code == 405
    huge = "/?q=" + "x" * 3000
    client.get(huge)

    assert "X-Public-Cache" not in client.get(huge)
