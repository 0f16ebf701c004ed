"""Turn an untrusted upload into a PDF that is safe to store and hand out again.

The output is a fresh file built by pypdf from the upload's pages, with every
active or embedded content removed: JavaScript, automatic and annotation
actions (except plain internal GoTo links), embedded files, XFA forms and
media annotations. Content streams are copied as they are, still compressed:
nothing here decodes them, so a decompression bomb in a page costs no more
than its compressed size. (pypdf itself caps what it must inflate to parse
object streams: 75 MB per stream by default, then it raises and we reject.)
"""

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

PDF_MAGIC = b"%PDF-"

# Keys removed wherever they occur: automatic actions, scripts, embedded files, XFA.
DROPPED_KEYS = frozenset({"/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"})
# Annotations that carry files or media rather than marks on the page.
DROPPED_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
# The only action kept: a jump to a page of the same document.
KEPT_ACTION = "/GoTo"

UNREADABLE = _("The PDF could not be read (it is damaged or not a real PDF).")


class RejectedPdf(Exception):
    """The upload is refused; `message` says why, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SanitizedPdf:
    content: bytes
    page_count: int
    sha256: str
    size: int


def sanitize_pdf(data: bytes) -> SanitizedPdf:
    """Check the upload and rebuild it without active content, or raise RejectedPdf."""
    check_envelope(data)
    reader = open_reader(data)
    page_count = count_pages(reader)
    content = rebuild(reader)
    return SanitizedPdf(
        content=content, page_count=page_count, sha256=hashlib.sha256(content).hexdigest(), size=len(content)
    )


def check_envelope(data: bytes) -> None:
    if not data:
        raise RejectedPdf(_("The file is empty."))
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise RejectedPdf(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    if not data.startswith(PDF_MAGIC):
        raise RejectedPdf(_("The file is not a PDF."))


def open_reader(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(data), strict=True)
        encrypted = reader.is_encrypted
    except Exception:  # pypdf raises far more than PdfReadError on hostile input
        raise RejectedPdf(UNREADABLE) from None
    if encrypted and not opens_without_password(reader):
        raise RejectedPdf(_("The PDF is password protected. Save a copy without a password and upload that."))
    return reader


def opens_without_password(reader: PdfReader) -> bool:
    """True for owner-password-only files: they open with the empty user password."""
    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:  # e.g. AES without the optional crypto library
        return False


def count_pages(reader: PdfReader) -> int:
    try:
        page_count = len(reader.pages)
    except Exception:
        raise RejectedPdf(UNREADABLE) from None
    if page_count == 0:
        raise RejectedPdf(_("The PDF has no pages."))
    if page_count > settings.UPLOAD_MAX_PAGES:
        raise RejectedPdf(_("The PDF has more than %(max)s pages.") % {"max": settings.UPLOAD_MAX_PAGES})
    return page_count


def rebuild(reader: PdfReader) -> bytes:
    """Scrub the parsed objects in place, then copy the pages into a new file.

    Scrubbing before the copy (not after) matters: pypdf writes every object
    it has cloned, so whatever is removed afterwards would survive as an
    unreferenced object in the output.
    """
    try:
        visited: set[tuple[int, int]] = set()
        scrub(reader.trailer["/Root"], visited)
        for page in reader.pages:  # pypdf's page objects are copies of the parsed dicts
            scrub(page, visited)
        writer = PdfWriter()
        writer.append(reader)
        output = BytesIO()
        writer.write(output)
    except Exception:
        raise RejectedPdf(UNREADABLE) from None
    return output.getvalue()


def scrub(obj: PdfObject, visited: set[tuple[int, int]]) -> None:
    """Walk the object graph once (stream data is never decoded) and strip active content."""
    stack = [obj]
    while stack:  # iterative: a hostile file may nest deeper than Python's recursion limit
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in visited:
                continue
            visited.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            scrub_dict(item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def scrub_dict(entry: DictionaryObject) -> None:
    for key in DROPPED_KEYS & entry.keys():
        del entry[key]
    if "/A" in entry and not is_internal_goto(entry["/A"]):
        del entry["/A"]
    if entry.get("/S") == KEPT_ACTION:
        entry.pop("/Next", None)  # a chained action could be anything
    annotations = entry.get("/Annots")
    if annotations is not None:
        annotations = annotations.get_object()
        kept = [a for a in annotations if keeps_annotation(a)] if isinstance(annotations, ArrayObject) else []
        entry[NameObject("/Annots")] = ArrayObject(kept)


def is_internal_goto(action: PdfObject) -> bool:
    action = action.get_object()
    if not isinstance(action, DictionaryObject):
        return True  # /A is also "attributes" in structure elements: not an action
    return "/S" not in action or action["/S"] == KEPT_ACTION


def keeps_annotation(annotation: PdfObject) -> bool:
    annotation = annotation.get_object()
    return isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") not in DROPPED_ANNOTATIONS
