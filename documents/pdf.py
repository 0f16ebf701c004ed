"""The single way this project makes PDFs: render a template, merge parts.

Rendering never touches the network or the file system outside the static
files: WeasyPrint fetches through `StaticOnlyFetcher`, which serves files
found by the staticfiles finders and `data:` URIs (they are inline and
involve no I/O), and refuses everything else. A refused resource is logged
by WeasyPrint and left out; the document still renders.

Templates reference static files with `{% static %}` (STATIC_URL must be a
path such as /static/, not a CDN URL); relative URLs resolve against
STATIC_BASE_URL, an origin under the reserved `.invalid` TLD that is never
contacted, only mapped to the finders.
"""

import mimetypes
import os
import threading
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


STATIC_BASE_URL = "https://static.iop.invalid/"
PDF_VARIANT = "pdf/a-2b"

PdfSource = bytes | str | os.PathLike
Part = tuple[str, PdfSource]


class ResourceRefused(ValueError):
    """A template asked for something outside the static files."""


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves static files and data: URIs, nothing else."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            with DataHandler().data_open(Request(url)) as response:
                return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers["Content-Type"]})
        path = static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url: str) -> Path:
    """The file a pseudo-origin static URL names, or ResourceRefused."""
    parts = urlsplit(url)
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if f"{parts.scheme}://{parts.netloc}/" != STATIC_BASE_URL or not path.startswith(prefix):
        raise ResourceRefused(f"Not a static file: {url}")
    relative = path.removeprefix(prefix)
    segments = relative.split("/")
    if any(segment in ("", ".", "..") for segment in segments) or "\\" in relative or "\0" in relative:
        raise ResourceRefused(f"Refused path: {url}")
    found = finders.find(relative)
    if not found or not Path(found).is_file():
        raise ResourceRefused(f"No such static file: {url}")
    return Path(found)


_per_thread = threading.local()


def font_config() -> FontConfiguration:
    """Reused, so WeasyPrint loads each @font-face file once rather than on every render.

    One per thread, which under gunicorn's sync workers means one per process:
    Pango's font map is not safe to share between threads.
    """
    if not hasattr(_per_thread, "font_config"):
        _per_thread.font_config = FontConfiguration()
    return _per_thread.font_config


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """Render a Django template (normally extending pdf/base.html) to a PDF/A-2b document.

    Call it outside any database transaction: a render takes about 0.1 s a page,
    too long to hold row locks or a connection in a transaction.
    """
    html = render_to_string(template_name, context, request=request)
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=font_config(), pdf_variant=PDF_VARIANT)


def merge_pdfs(parts: Iterable[Part], out: str | os.PathLike | BinaryIO) -> int:
    """Concatenate `parts` ((title, PDF bytes or path), in order) into `out`; return the page count.

    Each part gets one outline entry, its title, at its first page; the
    parts' own outlines are left out. Parts must be trusted (sanitized
    uploads or render_pdf output) and have at least one page. Paths are
    opened as files, not read into memory first; the output is built in
    memory by pypdf, about the size of the result. `out` is a path or a
    binary file with tell() (not an HttpResponse; see applications/batch_pdf.py).
    The result is a plain PDF, no longer PDF/A.
    """
    writer = PdfWriter()
    for title, source in parts:
        with open_source(source) as stream:
            writer.append(PdfReader(stream), outline_item=title, import_outline=False)
    writer.write(out)
    return len(writer.pages)


def open_source(source: PdfSource) -> BinaryIO:
    # PdfReader(path) would read the whole file into memory; a file object is read as needed.
    return BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
