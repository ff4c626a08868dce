import copy
import sqlite3

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_answers_200_with_json_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def unreachable_database(tmp_path):
    """Makes the default connection fail for real, then restores it.

    PostgreSQL: reconnect to a port where nothing listens. SQLite: the in-memory test database
    is never closed by Django, so hand it a real sqlite3 connection that has been closed.
    """
    if connection.vendor == "postgresql":
        original = connection.settings_dict
        broken = copy.deepcopy(original)
        broken["PORT"] = "1"
        connection.close()
        connection.settings_dict = broken
        yield
        connection.close()
        connection.settings_dict = original
    else:
        kept = connection.connection
        closed = sqlite3.connect(tmp_path / "closed.sqlite3")
        closed.close()
        connection.connection = closed
        yield
        connection.connection = kept


@pytest.mark.django_db(transaction=True)
def test_it_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
