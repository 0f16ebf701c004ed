"""Feide and ID-porten logins through a real browser, with `oidc_provider_mock` as the provider.

The mock runs in a thread on localhost (like the live server), so the browser goes to its
authorization page, types a `sub` there and is sent back to our callback; the claims of that
`sub` are set beforehand through the mock's API (tests/accounts/oidc_helpers.py). The mock's
pages load their stylesheet from a CDN: the browser is kept offline from it.
"""

import copy
import re

import pytest

from accounts.models import Guardianship
from accounts.oidc.pid import pid_hash
from tests.accounts.oidc_helpers import (
    FEIDE_ID_CLAIM,
    FEIDE_STRONG,
    set_claims,
)

from .helpers import follow

pytestmark = pytest.mark.django_db(transaction=True)

GUARDIAN_PID = "05057512345"
AUTHORIZE = "/oauth2/authorize"
END_SESSION = "/oauth2/end_session"


@pytest.fixture
def provider(settings, mock_providers):  # noqa: F811
    """Both providers served by the mock; the logout form may post to the mock's origin (CSP form-action)."""
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], mock_providers]
    settings.CONTENT_SECURITY_POLICY = policy
    return mock_providers


@pytest.fixture
def offline_page(page):
    page.route(re.compile(r"^https://cdn\.jsdelivr\.net/.*"), lambda route: route.abort())
    return page


def authorize_at_mock(page, sub):
    """On the mock's authorization page: log in as `sub`; return once back on our start page."""
    page.get_by_placeholder("sub").fill(sub)
    follow(page, page.get_by_role("button", name="Authorize"), "/")


def test_a_teacher_logs_in_with_feide_and_out_again(offline_page, live_server, provider, teacher, minor, axe_check):
    page = offline_page
    teacher.feide_id = "bob@fjordbyen.vgs.no"
    teacher.save()
    set_claims(provider, "feide-bob-browser", {FEIDE_ID_CLAIM: "bob@fjordbyen.vgs.no", "acr": FEIDE_STRONG})

    page.goto(f"{live_server.url}/logg-inn/")
    assert page.get_by_role("link", name="Logg inn med ID-porten (foresatte)").is_visible()
    axe_check(page)
    follow(page, page.get_by_role("link", name="Logg inn med Feide"), AUTHORIZE)
    assert page.url.startswith(provider)
    authorize_at_mock(page, "feide-bob-browser")

    assert page.url.startswith(live_server.url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Velkommen")
    section = page.locator("section", has=page.get_by_role("heading", name="Elever jeg underviser"))
    assert section.get_by_role("link", name="Emma Hansen", exact=True).is_visible()
    axe_check(page)

    # Log out: our page posts a form to the mock's end-session endpoint, which sends us back to the login page.
    follow(page, page.get_by_role("button", name="Logg ut"), END_SESSION)
    assert page.url.startswith(provider)
    assert page.get_by_text("Recommended parameter").count() == 0  # the mock got our ID token as id_token_hint
    follow(page, page.get_by_role("button", name="End session"), "/logg-inn/")
    assert page.get_by_role("link", name="Logg inn med Feide").is_visible()
    page.goto(f"{live_server.url}/")
    assert "/logg-inn/" in page.url  # the session is gone


def test_a_guardian_logs_in_with_idporten_and_sees_only_their_child(
        offline_page, live_server, provider, guardian, minor, other_child, other_guardian, axe_check):
    page = offline_page
    guardian.set_unusable_password()
    guardian.save()
    Guardianship.objects.filter(guardian=guardian, student=minor).update(guardian_pid_hash=pid_hash(GUARDIAN_PID))
    set_claims(provider, "idp-frida-browser", {"pid": GUARDIAN_PID, "acr": "idporten-loa-substantial"})

    page.goto(f"{live_server.url}/logg-inn/")
    follow(page, page.get_by_role("link", name="Logg inn med ID-porten (foresatte)"), AUTHORIZE)
    assert page.url.startswith(provider)
    authorize_at_mock(page, "idp-frida-browser")

    main = page.locator("main")
    assert [h.inner_text() for h in main.get_by_role("heading", level=2).all()] == ["Mine barn"]
    children = main.locator("section", has=page.get_by_role("heading", name="Mine barn"))
    assert children.get_by_role("link", name="Emma Hansen", exact=True).is_visible()
    assert main.get_by_text("Ola Nilsen").count() == 0
    assert main.locator("table tbody tr").count() == 1
    axe_check(page)
