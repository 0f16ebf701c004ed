"""Two app servers sharing only PostgreSQL, the object store and the cache table: either may answer.

Each node is gunicorn with the production settings, its own process and its own (empty, unused)
MEDIA_ROOT; a load balancer could send any request to either. The nodes share the test database,
a bucket of the local S3 server (tests/object_store.py) and the database cache (CACHE_URL).
"""

import hashlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import StaffMembership
from applications.models import ApplicationAttachment
from documents.models import Document

from .applications.factories import SchoolBatchFactory, approved
from .browser.helpers import authenticator, current_code
from .factories import PASSWORD, StudentFactory, text_pdf
from .object_store import new_bucket, storage_settings

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="the nodes share a database server: PostgreSQL only (CI runs it)"),
]


class Node:
    """One app server on loopback, behind the (imagined) TLS proxy that says X-Forwarded-Proto."""

    def __init__(self, environment: dict, media_root: Path):
        self.port, self.media_root = free_port(), media_root
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--log-level", "warning"],
            cwd=ROOT, env={**environment, "MEDIA_ROOT": str(media_root)}, start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/helse/", headers={"X-Forwarded-Proto": "https"}, timeout=10).ok:
                    return
            except requests.RequestException:  # not listening yet, or still loading the app
                time.sleep(0.2)
        raise RuntimeError(f"the node on port {self.port} did not come up")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class Browser:
    """One person's browser; its cookies go to whichever node answers (they are Secure; we speak HTTP)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, node: Node, method: str, path: str, **kwargs) -> requests.Response:
        origin = f"https://127.0.0.1:{node.port}"
        headers = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + path,
                   "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        response = requests.request(method, node.base + path, headers=headers, allow_redirects=False,
                                    timeout=60, **kwargs)
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, node: Node, path: str) -> requests.Response:
        return self.request(node, "GET", path)

    def post_form(self, node: Node, path: str, data: dict | None = None, files=None) -> requests.Response:
        """GET the page, then POST its form with the CSRF token, as a person would."""
        token = csrf_token(self.get(node, path).text)
        return self.request(node, "POST", path, data={"csrfmiddlewaretoken": token, **(data or {})}, files=files)

    def log_in(self, node: Node, user) -> None:
        response = self.post_form(node, "/logg-inn/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, "the password login failed"
        response = self.post_form(node, "/totrinn/", {"code": current_code(authenticator(user.username))})
        assert response.status_code == 302, "the second factor failed"


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def shared(django_db_setup, s3_server, tmp_path_factory):
    """What the two nodes share: the environment (one database, one bucket, one cache, one secret)."""
    bucket = new_bucket(s3_server)
    environment = {
        **os.environ, "DEBUG": "False", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(), "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "TRUST_X_FORWARDED_PROTO": "True", "CACHE_URL": "dbcache://iop_cache", "LOG_LEVEL": "WARNING",
        **bucket.environment(),
    }
    for command in (["collectstatic", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=environment, check=True)
    return environment, bucket


@pytest.fixture(scope="module")
def nodes(shared, tmp_path_factory):
    environment, _bucket = shared
    pair = [Node(environment, tmp_path_factory.mktemp(f"node-{name}-media")) for name in "ab"]
    try:
        for node in pair:
            node.wait_until_up()
        yield pair
    finally:
        for node in pair:
            node.stop()


@pytest.fixture
def bucket(shared, settings):
    """The test process writes its own records' files (the application snapshots) to the same bucket."""
    _environment, bucket = shared
    settings.STORAGES = {**settings.STORAGES, "default": storage_settings(bucket)}
    return bucket


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_file_uploaded_on_one_node_is_downloaded_and_merged_on_the_other(nodes, bucket, admin, minor, school_a):
    a, b = nodes
    browser = Browser()
    browser.log_in(a, admin)
    upload = browser.post_form(a, reverse("documents:document_upload", args=[minor.pk]), {"title": "Kartlegging"},
                               files={"file": ("kartlegging.pdf", text_pdf("Kartlegging", 2), "application/pdf")})
    assert upload.status_code == 302
    document = Document.objects.get(student=minor)
    assert document.file.name in bucket.keys()

    download = browser.get(b, reverse("documents:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == document.sha256

    batch = SchoolBatchFactory(school=school_a, name="Vestland våren 2027")
    application = approved(minor, batch, pages=1, attachments=[])
    ApplicationAttachment.objects.create(application=application, document=document)
    merged = browser.get(b, reverse("applications:batch_download", args=[batch.pk]))
    assert merged.status_code == 200
    pages = PdfReader(BytesIO(merged.content)).pages
    assert len(pages) == 1 + 1 + 2 and "Kartlegging page 2" in pages[-1].extract_text()
    batch.refresh_from_db()
    assert batch.pdf.name in bucket.keys()
    assert files_under(a.media_root) == files_under(b.media_root) == []


def test_a_lockout_on_one_node_holds_on_the_other(nodes, bucket, teacher):
    a, b = nodes
    answers = [Browser().post_form(a, "/logg-inn/", {"username": teacher.username, "password": "feil passord"})
               for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [answer.status_code for answer in answers] == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = Browser().post_form(b, "/logg-inn/", {"username": teacher.username, "password": PASSWORD})
    assert locked.status_code == 429


def test_a_revoked_iop_admin_grant_ends_on_both_nodes_at_once(nodes, bucket, admin, principal, school_a):
    a, b = nodes
    overview = reverse("iop:school_overview", args=[school_a.pk])
    holder = Browser()
    holder.log_in(a, admin)
    for node in nodes:
        assert holder.get(node, overview).status_code == 200
        assert "IOP-ansvarlig" in page_header(holder.get(node, "/"))

    boss = Browser()
    boss.log_in(b, principal)
    revoke = reverse("accounts:school_access_change", args=[school_a.pk, admin.pk, "revoke"])
    assert boss.post_form(a, revoke).status_code == 302
    assert StaffMembership.objects.filter(user=admin, school=school_a).exists()  # still staff, no longer admin

    for node in nodes:
        assert holder.get(node, overview).status_code == 403
        assert "IOP-ansvarlig" not in page_header(holder.get(node, "/"))


def page_header(response: requests.Response) -> str:
    html = response.text
    return html[html.index("<header"):html.index("</header>")]
