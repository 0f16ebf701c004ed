"""Issue 17, items 12 and 13: the approved PDF prints its fingerprint; file names are translated and safe."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Application
from applications.services import application_approve
from applications.views import manage

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

UNSAFE = ':/\\?*"<>|'


@pytest.fixture
def application(minor):
    return ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)


def test_the_approved_pdf_prints_the_fingerprint_the_ui_shows(application, guardian):
    application_approve(application=application, by=guardian)
    application.refresh_from_db()
    text = "".join(page.extract_text() for page in PdfReader(application.snapshot.path).pages)
    assert application.approved_hash[:12] in text.replace("\n", "")


def file_name(response) -> str:
    return response["Content-Disposition"]


@pytest.fixture
def marked(monkeypatch):
    """A translation of the two file-name msgids, to see that the names go through gettext whole."""
    catalogue = {"Draft application %(name)s %(year)s": "UTKAST %(name)s %(year)s",
                 "Application %(name)s %(year)s": "SØKNAD %(name)s %(year)s"}
    monkeypatch.setattr(manage, "_", lambda message: catalogue.get(message, message))


def test_the_draft_file_name_is_translated_and_safe(client, admin, application, marked):
    application.student.last_name = 'Hansen: <a/b\\c?*"|>'
    application.student.save()
    client.force_login(admin)
    name = file_name(client.get(reverse("applications:application_download", args=[application.pk])))
    assert "UTKAST" in name and "Hansen" in name
    assert not set(name.split("filename=", 1)[1].strip('"')) & set(UNSAFE)


def test_the_approved_file_name_is_translated(client, admin, guardian, application, marked):
    application_approve(application=application, by=guardian)
    client.force_login(admin)
    name = file_name(client.get(reverse("applications:application_download", args=[application.pk])))
    assert "SØKNAD" in name or "S%C3%98KNAD" in name


def gettext_calls_with_built_strings(path: Path):
    """gettext calls whose message is built (f-string, +, %) or whose result is put into an f-string."""
    names = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in names:
            if node.args and not isinstance(node.args[0], ast.Constant):
                yield node.lineno
        if isinstance(node, ast.JoinedStr):
            for value in ast.walk(node):
                if isinstance(value, ast.Call) and getattr(value.func, "id", None) in names:
                    yield node.lineno


def test_no_message_of_the_applications_app_is_built_around_gettext():
    root = Path(manage.__file__).resolve().parents[1]
    found = {f"{p.name}:{line}" for p in root.rglob("*.py") for line in gettext_calls_with_built_strings(p)}
    assert not found
