"""The health checks answer anyone, cheaply, and only to GET; the probe the containers run reads them."""

import socket
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

from config.health import probe, probe_host


@pytest.mark.django_db
def test_health_answers_ok_without_login_or_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health"))
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_refuses_other_methods(client, teacher):
    client.force_login(teacher)
    assert client.post(reverse("health")).status_code == 405
    assert client.post(reverse("health_db")).status_code == 405


@pytest.mark.django_db
def test_database_health_runs_one_query(client, django_assert_num_queries):
    assert reverse("health_db") == "/helse/db/"
    with django_assert_num_queries(1):
        response = client.get(reverse("health_db"))
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_database_health_is_503_when_the_database_is_down(client, caplog):
    refused = OperationalError('connection to server at "db" (10.0.0.2), port 5432 failed: Connection refused')
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = client.get(reverse("health_db"))
    assert response.status_code == 503
    assert response.content == b"database unavailable"
    assert "no-cache" in response["Cache-Control"]
    assert "database unavailable: OperationalError" in caplog.text


@pytest.mark.parametrize(
    "allowed, host",
    [
        ("iop.example.no", "iop.example.no"),
        (" iop.example.no , localhost", "iop.example.no"),
        (".example.no", "example.no"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_probe_sends_a_host_the_app_allows(allowed, host):
    assert probe_host(allowed) == host


@pytest.mark.django_db(transaction=True)
def test_probe_passes_on_200_and_fails_otherwise(live_server, capsys):
    port = int(live_server.url.rsplit(":", 1)[1])
    assert probe("/helse/", port=port, environ={}) == 0
    assert probe("/helse/db/", port=port, environ={}) == 0
    assert probe("/finnes-ikke/", port=port, environ={}) == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert probe("/", port=port, environ={}) == 1  # a redirect to the login page is not health
    assert "HTTP 302" in capsys.readouterr().err


def test_probe_fails_when_nothing_listens(capsys):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    assert probe("/helse/", port=port, environ={}, timeout=2) == 1
    assert "health probe /helse/" in capsys.readouterr().err
