"""Logs: JSON lines in production with request id and user id, never a name; readable and single in development."""

import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from config.logging import JsonFormatter, axes_client_str, logging_config

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"time", "level", "logger", "message", "request_id", "user_id"}


@pytest.fixture
def production_logs():
    """The production LOGGING, writing into a buffer; the test run's own LOGGING afterwards."""
    logging.config.dictConfig(logging_config(debug=False))
    buffer = io.StringIO()
    handlers = [handler for handler in logging.getLogger().handlers if isinstance(handler.formatter, JsonFormatter)]
    assert len(handlers) == 1
    handlers[0].setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_a_request_is_one_json_line_with_request_and_user_id_and_no_name(client, teacher, production_logs):
    client.force_login(teacher)
    response = client.get(reverse("start"))
    assert response.status_code == 200

    [line] = production_logs()
    assert set(line) == KEYS
    assert line["level"] == "INFO" and line["logger"] == "iop.request"
    assert line["message"].startswith("GET / 200 ")
    assert line["request_id"] == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["user_id"] == teacher.pk
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"])
    text = json.dumps(line, ensure_ascii=False)
    for name in (teacher.username, teacher.first_name, teacher.last_name):
        assert name not in text


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id_and_never_the_query_string(client, teacher, production_logs):
    client.force_login(teacher)
    response = client.get("/finnes-ikke/?q=Emma+Hansen")
    assert response.status_code == 404

    lines = production_logs()
    # Django logs a 404 after the middleware has answered; the request's id is on it all the same.
    assert [line["logger"] for line in lines] == ["iop.request", "django.request"]
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert {line["user_id"] for line in lines} == {teacher.pk}
    assert lines[0]["message"].startswith("GET /finnes-ikke/ 404 ")
    assert "Emma" not in json.dumps(lines)


@pytest.mark.django_db
def test_lines_outside_a_request_have_no_ids(production_logs):
    logging.getLogger("iop.test").warning("line\nbreak")
    [line] = production_logs()
    assert line["request_id"] is None and line["user_id"] is None
    assert line["message"] == "line\nbreak"  # escaped in the JSON: still one line


@pytest.mark.django_db
def test_a_sane_request_id_from_the_proxy_is_kept(client, production_logs):
    response = client.get("/finnes-ikke/", headers={"X-Request-ID": "3f2a9c1e-0b4d-4e6f-8a7b-1c2d3e4f5a6b"})
    assert response["X-Request-ID"] == "3f2a9c1e-0b4d-4e6f-8a7b-1c2d3e4f5a6b"
    assert {line["request_id"] for line in production_logs()} == {"3f2a9c1e-0b4d-4e6f-8a7b-1c2d3e4f5a6b"}


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["short", "has space 123456", '"quoted"-123456', "x" * 129, "ny\nlinje-123456"])
def test_an_odd_request_id_is_replaced(client, given, production_logs):
    response = client.get("/finnes-ikke/", headers={"X-Request-ID": given})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert {line["request_id"] for line in production_logs()} == {response["X-Request-ID"]}


@pytest.mark.django_db
def test_health_checks_are_logged_only_when_they_fail(client, production_logs):
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("health_db")).status_code == 200
    assert production_logs() == []


@pytest.mark.django_db
def test_an_error_keeps_its_traceback_inside_the_line(production_logs):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("iop.test").exception("failed")
    [line] = production_logs()
    assert "ValueError: boom" in line["exception"]


def test_axes_names_the_address_not_the_username():
    text = axes_client_str("emma.hansen", "192.0.2.7", "Firefox", "/logg-inn/", None)
    assert "192.0.2.7" in text and "emma" not in text
    assert settings.AXES_CLIENT_STR_CALLABLE == "config.logging.axes_client_str"


# --- The real settings, in a fresh process ------------------------------------------------------

INHERITED = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_LEVEL"}
STRONG_KEY = "k3J9-x8PqLm2Zr7Vt5Wy1Ns4Bd6Fh0Gj_QaUeIoPlMnBvCxZaSdFgHjKlQwErTy"
# Django's own loggers, outside a request and inside one (a 405 needs no database, no template).
SCRIPT = """
import logging, warnings
from django.test import Client
logging.getLogger("django.request").warning("outside %s", "a request")
warnings.warn("a naive datetime", RuntimeWarning)
Client().put("/helse/", secure=True)
"""


def shell(**env) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED}
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()


def test_production_writes_only_json_lines(tmp_path):
    lines = shell(DEBUG="False", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="testserver", STATIC_ROOT=str(tmp_path))
    records = [json.loads(line) for line in lines]  # every line is JSON, Python's warnings too
    assert [record["logger"] for record in records] == ["django.request", "py.warnings", "django.request", "iop.request"]
    outside, warning, refused, request = records
    assert outside["message"] == "outside a request" and outside["request_id"] is None
    assert "RuntimeWarning: a naive datetime" in warning["message"]
    assert refused["message"] == "Method Not Allowed (PUT): /helse/"
    assert request["message"].startswith("PUT /helse/ 405 ")
    assert refused["request_id"] == request["request_id"] is not None


def test_development_prints_each_line_once_and_readably():
    lines = shell(DEBUG="True")
    assert len([line for line in lines if "outside a request" in line]) == 1
    [refused] = [line for line in lines if "Method Not Allowed" in line]
    assert re.fullmatch(r"\d\d:\d\d:\d\d WARNING django\.request \[[0-9a-f]{8}\] Method Not Allowed \(PUT\): /helse/", refused)
    assert not any("PUT /helse/ 405" in line for line in lines)  # runserver prints requests itself
    assert not any(line.startswith("{") for line in lines)
