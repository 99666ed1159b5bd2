from unittest import mock

from django.db import OperationalError


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_without_details_when_the_database_is_down(client, db):
    with mock.patch("milkbank.views.connection.cursor", side_effect=OperationalError("password for bank@db")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert b"password" not in response.content


def test_healthz_refuses_writes(client, db):
    assert client.post("/healthz").status_code == 405
