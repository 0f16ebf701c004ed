"""Settings come from the environment; production settings pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3J9-x8PqLm2Zr7Vt5Wy1Ns4Bd6Fh0Gj_QaUeIoPlMnBvCxZaSdFgHjKlQwErTy"


# Set by the test run (pytest-env, the browser tests); the subprocess gets a clean slate.
INHERITED = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {"DEBUG": "False", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "iop.example.no"}


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "env, named",
    [
        ({"DEBUG": "False", "ALLOWED_HOSTS": "iop.example.no"}, "SECRET_KEY"),
        ({"DEBUG": "False", "SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        ({**PRODUCTION, "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "True", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({**PRODUCTION, "SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS"),
        ({**PRODUCTION, "TRUSTED_PROXIES": "10.0.0.5, nginx"}, "TRUSTED_PROXIES"),
        ({**PRODUCTION, "TRUSTED_PROXIES": "10.0.0.5,"}, "TRUSTED_PROXIES"),
        ({**PRODUCTION, "EMAIL_URL": "mail.example.no"}, "EMAIL_URL"),
        ({**PRODUCTION, "LOGIN_ADDRESS_FAILURE_LIMIT": "many"}, "LOGIN_ADDRESS_FAILURE_LIMIT"),
    ],
)
def test_bad_environment_stops_the_app_naming_the_variable(env, named):
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def settings_of(names, **env):
    code = f"from django.conf import settings; print(repr([getattr(settings, n) for n in {names!r}]))"
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 (our own repr of strings and bools)


def test_production_cookies_are_host_only_and_secure():
    """__Host-: sent only over HTTPS, to this very host, for path / (no subdomain can plant one)."""
    names = ["SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
             "LANGUAGE_COOKIE_SECURE", "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "SESSION_COOKIE_PATH",
             "CSRF_COOKIE_PATH"]
    assert settings_of(names, **PRODUCTION) == [
        "__Host-sessionid", "__Host-csrftoken", True, True, True, None, None, "/", "/"
    ]


def test_development_cookies_keep_their_plain_names():
    """Over plain http://localhost a browser would refuse a __Host- cookie."""
    assert settings_of(["SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME"], DEBUG="True") == ["sessionid", "csrftoken"]


def test_email_comes_from_the_environment():
    names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_HOST_USER", "DEFAULT_FROM_EMAIL"]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert settings_of(names[:1], DEBUG="True") == ["django.core.mail.backends.console.EmailBackend"]
    url = "smtp+tls://iop:secret@mail.example.no:587"
    assert settings_of(names, **PRODUCTION, EMAIL_URL=url, DEFAULT_FROM_EMAIL="iop@example.no") == [
        smtp, "mail.example.no", 587, True, "iop", "iop@example.no"
    ]
    assert settings_of(names[:4], **PRODUCTION, EMAIL_HOST="relay.example.no", EMAIL_PORT="2525") == [
        smtp, "relay.example.no", 2525, False
    ]


def test_trusted_proxies_come_from_the_environment():
    assert settings_of(["TRUSTED_PROXIES"], **PRODUCTION) == [[]]
    proxies = settings_of(["TRUSTED_PROXIES"], **PRODUCTION, TRUSTED_PROXIES="203.0.113.0/24, 10.0.0.5")
    assert proxies == [["203.0.113.0/24", "10.0.0.5"]]


def test_without_debug_variable_production_is_assumed():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.splitlines()[-1]


def test_database_url_selects_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage("shell", "-c", code, DEBUG="True", DATABASE_URL="postgres://u:p@db.example:5432/iop")
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql"
    result = manage("shell", "-c", code, DEBUG="True")
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.sqlite3"


@pytest.mark.django_db
def test_postgresql_runs_without_jit():
    """A JIT compile costs ~80 ms on the start page's queries at county scale (bench/explain.py)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI runs it)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
