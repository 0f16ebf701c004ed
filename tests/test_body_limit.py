"""A request body over the upload limit is refused before anything reads it (finding 8)."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

from config.middleware import RequestBodyLimitMiddleware

pytestmark = pytest.mark.django_db

MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


class WatchedBody:
    """wsgi.input that records any read (and has nothing to give)."""

    def __init__(self):
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return b""

    def readline(self, *args):
        return self.read()


def post_declaring(client, url, length, **extra):
    body = WatchedBody()
    response = client.generic("POST", url, b"", CONTENT_TYPE=MULTIPART, CONTENT_LENGTH=str(length),
                              **{"wsgi.input": body}, **extra)
    return response, body


def test_a_300_mb_post_to_the_login_page_is_refused_unread(client):
    response, body = post_declaring(client, reverse("login"), 300 * 1024 * 1024, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "for stor" in text and f"{settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB" in text
    assert body.reads == 0


def test_the_limit_is_the_upload_limit_plus_a_margin(client, teacher, minor):
    assert settings.UPLOAD_MAX_BYTES < settings.REQUEST_BODY_MAX_BYTES <= settings.UPLOAD_MAX_BYTES + 2 * 1024 * 1024
    client.force_login(teacher)
    url = reverse("documents:document_upload", args=[minor.pk])
    response, body = post_declaring(client, url, settings.REQUEST_BODY_MAX_BYTES + 1)
    assert response.status_code == 413 and body.reads == 0


def test_an_accepted_upload_is_never_spooled_to_disk():
    """Django keeps an upload in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE: a child's PDF stays off /tmp."""
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.REQUEST_BODY_MAX_BYTES


def test_the_middleware_is_first_to_touch_the_body():
    stack = settings.MIDDLEWARE
    limit = stack.index("config.middleware.RequestBodyLimitMiddleware")
    for reader in ("django.middleware.csrf.CsrfViewMiddleware", "axes.middleware.AxesMiddleware",
                   "django.contrib.sessions.middleware.SessionMiddleware"):
        assert limit < stack.index(reader)


def passed(rf, **meta):
    """Run only the middleware: None if it let the request through, else its response."""
    response = RequestBodyLimitMiddleware(lambda request: HttpResponse("through"))(rf.post("/", **meta))
    return None if response.content == b"through" else response


@pytest.mark.parametrize("length", ["0", "1", str(settings.REQUEST_BODY_MAX_BYTES)])
def test_up_to_the_limit_passes(rf, length):
    assert passed(rf, CONTENT_LENGTH=length) is None


def test_a_get_without_a_body_passes(rf):
    response = RequestBodyLimitMiddleware(lambda request: HttpResponse("through"))(rf.get("/"))
    assert response.content == b"through"


@pytest.mark.parametrize("length", ["abc", "-1", "1e9", "١٢", " 12 34"])
def test_a_content_length_that_is_not_a_number_is_a_bad_request(rf, length):
    assert passed(rf, CONTENT_LENGTH=length).status_code == 400


def test_a_chunked_body_without_a_length_is_refused(rf):
    response = passed(rf, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411


def test_a_chunked_body_with_a_length_too_is_refused(rf):
    """Both headers at once is how requests are smuggled past a proxy."""
    assert passed(rf, CONTENT_LENGTH="10", HTTP_TRANSFER_ENCODING="chunked").status_code == 400
