"""The one way a PDF leaves the app: a private attachment with a safe file name."""

import re
from io import BytesIO
from typing import BinaryIO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def download_name(title: str) -> str:
    """A file name that is safe on every system; Django encodes it per RFC 6266."""
    name = re.sub(r"[^\w\s.-]", "", title, flags=re.UNICODE)
    name = re.sub(r"\s+", " ", name).strip(" .")[:100]
    return f"{name or 'dokument'}.pdf"


def private_pdf_response(content: bytes | BinaryIO | FieldFile, title: str) -> FileResponse:
    """Send a PDF as an attachment that browsers and proxies must not sniff or cache.

    A stored file that has gone missing is a 404, not a 500.
    """
    if isinstance(content, bytes):
        stream = BytesIO(content)
    elif isinstance(content, FieldFile):
        try:
            stream = content.open("rb")
        except FileNotFoundError:
            raise Http404 from None
    else:
        stream = content
    response = FileResponse(stream, as_attachment=True, filename=download_name(title), content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
