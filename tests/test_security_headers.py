"""Content-Security-Policy, Permissions-Policy and no caching of a logged-in user's pages, on real responses."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .crawl import objects  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_policy(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    # Nothing inline, nothing from elsewhere: every source list is 'self', 'none' or (images) data:.
    for name, values in directives.items():
        assert set(values) <= {"'self'", "'none'", "data:"}, (name, values)
    assert "script-src" not in directives and "style-src" not in directives  # default-src 'self' governs


def assert_permissions_policy(response):
    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


def cache_control(response) -> set[str]:
    return {item.strip() for item in response.get("Cache-Control", "").split(",") if item.strip()}


def pages(objects):
    return {
        "start page": reverse("start"),
        "IOP": reverse("iop:plan_detail", args=[objects["plan"].pk]),
        "documents": reverse("documents:student_documents", args=[objects["minor"].pk]),
        "application": reverse("applications:application_detail", args=[objects["application"].pk]),
        "access log": reverse("accounts:student_access_log", args=[objects["minor"].pk]),
        "password change": reverse("accounts:password_change"),
    }


def test_every_app_page_for_a_logged_in_user(client, admin, objects):
    client.force_login(admin)
    for name, url in pages(objects).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_strict_policy(response)
        assert_permissions_policy(response)
        assert {"no-store", "private"} <= cache_control(response), name


def test_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_strict_policy(response)
    assert_permissions_policy(response)


def test_a_redirect_for_a_logged_in_user_is_not_cached_either(client, teacher):
    response = client.post(reverse("login"), {"username": "bob", "password": "correct horse battery"})
    assert response.status_code == 302
    assert {"no-store", "private"} <= cache_control(response)


def test_the_pdfs_keep_their_cache_control(client, admin, objects):
    client.force_login(admin)
    response = client.get(reverse("iop:plan_download", args=[objects["plan"].pk, "iop"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert_permissions_policy(response)


def test_static_files_stay_cacheable(rf):
    """WhiteNoise answers above the authentication: no request.user, no no-store."""
    from django.http import HttpResponse

    from config.middleware import SecurityHeadersMiddleware

    def whitenoise(request):
        response = HttpResponse("body{}", content_type="text/css")
        response["Cache-Control"] = "max-age=60, public"
        return response

    response = SecurityHeadersMiddleware(whitenoise)(rf.get(settings.STATIC_URL + "css/app.css"))
    assert response["Cache-Control"] == "max-age=60, public"
    assert_permissions_policy(response)


# --- The policy has no 'unsafe-inline' because nothing needs it --------------------------------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "<style> element"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE), "style= attribute"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


@pytest.mark.parametrize(
    "path", sorted(p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES).parts),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_no_template_needs_unsafe_inline(path):
    """The PDF templates are rendered by WeasyPrint, not a browser, so they may carry styles."""
    text = path.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{path.relative_to(TEMPLATES)}: {found} (CSP forbids it)"
