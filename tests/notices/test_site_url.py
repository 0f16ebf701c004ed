"""SITE_URL: where the links in notice e-mails point (there is no request to build them from)."""

import pytest

from ..test_settings import PRODUCTION, manage, settings_of


def test_site_url_comes_from_the_environment_or_the_first_allowed_host():
    assert settings_of(["SITE_URL"], DEBUG="True") == ["http://127.0.0.1:8000"]
    assert settings_of(["SITE_URL"], **PRODUCTION) == ["https://iop.example.no"]
    assert settings_of(["SITE_URL"], **PRODUCTION, SITE_URL="https://iop.kommune.no/") == ["https://iop.kommune.no"]


@pytest.mark.parametrize("url", ["iop.example.no", "ftp://iop.example.no", "https://iop.example.no/app"])
def test_a_malformed_site_url_stops_the_app_naming_it(url):
    result = manage("check", **PRODUCTION, SITE_URL=url)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SITE_URL" in result.stderr.splitlines()[-1]
