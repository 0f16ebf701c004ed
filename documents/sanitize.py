"""Turn an untrusted upload into a PDF that is safe to store and hand out again.

The output is a fresh file built by pypdf from the upload's pages. What it
keeps of the upload's interactive parts is an allow-list, decided on resolved
values (a PDF may store any value, /S and /Subtype included, as an indirect
object, and a check that reads "5 0 R" instead of "/Launch" sees nothing):

- the only action kept is a GoTo to a page of this document (or a named
  destination), rebuilt as a new ``<< /S /GoTo /D [...] >>`` from its checked
  destination; everything else an action carries, /Next chains included
  (arrays or dictionaries, however deep or cyclic), is simply not copied;
- annotations: links, notes, text markup, drawings, stamps and popups
  (KEPT_ANNOTATIONS). A form field's widget becomes a stamp showing its
  current appearance, so a filled form still shows its answers; the field,
  its actions and the form (AcroForm, XFA) go. Every other type (attachments,
  media, 3D, unknown types) is dropped;
- automatic actions (/AA, /OpenAction), scripts, embedded files, the name
  trees other than /Dests, navigation-node actions and streams whose data
  lives in another file are removed wherever they occur;
- an action or a dropped annotation referenced from anywhere else in the
  graph (a popup's /Parent, a made-up key, an array) is cut off there.

Anything that cannot be classified is treated as active and removed.

Content streams are copied as they are, still compressed: nothing here
decodes them, so a decompression bomb in a page costs no more than its
compressed size. (pypdf itself caps what it must inflate to parse object
streams: 75 MB per stream by default, then it raises and we reject.)
"""

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

PDF_MAGIC = b"%PDF-"

KEPT_ACTION = "/GoTo"
# Every action type of ISO 32000-2 (12.6.4.1) and Adobe's extensions: a dictionary whose /S is one
# of these (or whose /Type is /Action) is an action wherever it is found.
ACTION_TYPES = frozenset({
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide", "/Named",
    "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/ECMAScript", "/SetOCGState", "/Rendition",
    "/Trans", "/GoTo3DView", "/RichMediaExecute",
})
# Every annotation type of ISO 32000-2 (12.5.6.1) and Adobe's RichMedia: how an annotation is
# recognised when it is referenced from somewhere other than a page's /Annots.
ANNOTATION_TYPES = frozenset({
    "/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Caret", "/Stamp", "/Ink", "/Popup", "/FileAttachment", "/Sound",
    "/Movie", "/Screen", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/3D", "/Redact", "/Projection",
    "/RichMedia",
})
# Marks and notes on the page, and links (whose action must pass as an internal GoTo).
KEPT_ANNOTATIONS = frozenset({
    "/Link", "/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Ink",
    "/Highlight", "/Underline", "/Squiggly", "/StrikeOut", "/Caret", "/Stamp", "/Popup",
})
# Removed wherever they occur: automatic actions, scripts, embedded files and rich media, forms,
# a link's URI action (/PA), navigation nodes (/PresSteps, /NA, /PA), the catalog's base URI,
# media renditions and alternate presentations, portfolios.
DROPPED_KEYS = frozenset({
    "/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/AcroForm",
    "/XFA", "/PA", "/PresSteps", "/NA", "/URI", "/Renditions", "/AlternatePresentations", "/Collection",
})
# The only name tree of the catalog's /Names kept: named destinations, for internal links.
KEPT_NAME_TREES = frozenset({"/Dests"})
# A stream with these keys takes its data from another file (which a viewer might fetch).
EXTERNAL_STREAM_KEYS = frozenset({"/F", "/FFilter", "/FDecodeParms"})
# Annotation flags (ISO 32000-2, 12.5.3).
HIDDEN, PRINT, NO_VIEW = 1 << 1, 1 << 2, 1 << 5
# A reference to a reference to ...: more hops than this is not a value.
MAX_REFERENCE_HOPS = 16

DESTINATION_PARAMETERS = (NameObject, NumberObject, FloatObject, NullObject)
NAMED_DESTINATION = (NameObject, TextStringObject, ByteStringObject)

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
    unreferenced object in the output. Scrubbed first, what pypdf copies (the
    pages, outline, named destinations and articles, all reachable from the
    catalog) has already been through the walk.
    """
    try:
        pages = list(reader.pages)  # pypdf's page objects are copies of the parsed dicts: scrub both
        page_refs = {(page.indirect_reference.idnum, page.indirect_reference.generation) for page in pages}
        Scrubber(page_refs).walk([reader.trailer["/Root"], *pages])
        writer = PdfWriter()
        writer.append(reader)
        output = BytesIO()
        writer.write(output)
    except Exception:
        raise RejectedPdf(UNREADABLE) from None
    return output.getvalue()


def resolve(obj: PdfObject | None) -> PdfObject | None:
    """The value behind a reference (or a chain of them); None if there is none."""
    for _hop in range(MAX_REFERENCE_HOPS):
        if not isinstance(obj, IndirectObject):
            return obj
        obj = obj.get_object()
    return None


class Scrubber:
    """One walk over the object graph (stream data is never decoded) that keeps only what is allowed."""

    def __init__(self, page_refs: set[tuple[int, int]]) -> None:
        self.page_refs = page_refs
        self.seen_references: set[tuple[int, int]] = set()
        # By id(), holding the object: a container cut loose during the walk must not be freed and
        # its id reused by a new one, which the walk would then skip.
        self.seen_containers: dict[int, PdfObject] = {}

    def walk(self, roots: list[PdfObject]) -> None:
        stack = list(roots)
        while stack:  # iterative: a hostile file may nest deeper than Python's recursion limit
            item = stack.pop()
            if isinstance(item, IndirectObject):
                reference = (item.idnum, item.generation)
                if reference in self.seen_references:
                    continue
                self.seen_references.add(reference)
                item = item.get_object()
                if isinstance(item, IndirectObject):
                    stack.append(item)
                    continue
            if not isinstance(item, (DictionaryObject, ArrayObject)) or id(item) in self.seen_containers:
                continue
            self.seen_containers[id(item)] = item
            if isinstance(item, DictionaryObject):
                self.clean_dict(item)
                stack.extend(item.values())
            else:
                self.clean_array(item)
                stack.extend(item)

    def clean_dict(self, entry: DictionaryObject) -> None:
        for key in DROPPED_KEYS & entry.keys():
            del entry[key]
        if isinstance(entry, StreamObject):
            for key in EXTERNAL_STREAM_KEYS & entry.keys():
                del entry[key]
            if resolve(entry.get("/Subtype")) == "/Form":
                entry.pop("/Ref", None)  # a reference XObject shows a page of another file
        if resolve(entry.get("/S")) == KEPT_ACTION:  # a GoTo outside /A, e.g. a named destination's value
            self.clean_goto_in_place(entry)
        names = resolve(entry.get("/Names"))
        if isinstance(names, DictionaryObject):  # the catalog's name dictionary (in a name tree node it is an array)
            for key in names.keys() - KEPT_NAME_TREES:
                del names[key]
        if "/A" in entry:
            self.replace(entry, "/A", self.clean_a(entry.get("/A")))
        if "/Dest" in entry:
            self.replace(entry, "/Dest", self.internal_destination(entry.get("/Dest")))
        if "/Annots" in entry:
            entry[NameObject("/Annots")] = self.kept_annotations(entry.get("/Annots"))
        for key, value in list(entry.items()):
            if key != "/A" and self.is_active(resolve(value)):
                del entry[key]

    def clean_array(self, array: ArrayObject) -> None:
        if any(self.is_active(resolve(item)) for item in array):
            array[:] = [item for item in array if not self.is_active(resolve(item))]

    def is_active(self, obj: PdfObject | None) -> bool:
        """An action other than an internal GoTo, or an annotation not kept: cut off wherever it is referenced."""
        if not isinstance(obj, DictionaryObject):
            return False
        subtype, object_type = resolve(obj.get("/Subtype")), resolve(obj.get("/Type"))
        if object_type == "/Annot" or subtype in ANNOTATION_TYPES:
            return not (isinstance(subtype, NameObject) and subtype in KEPT_ANNOTATIONS)
        action_type = resolve(obj.get("/S"))
        if action_type == KEPT_ACTION:
            return self.internal_destination(obj.get("/D")) is None
        return object_type == "/Action" or action_type in ACTION_TYPES

    def clean_goto_in_place(self, action: DictionaryObject) -> None:
        """Reduce an internal GoTo to its type and destination (its /Next chain goes with the rest)."""
        destination = self.internal_destination(action.get("/D"))
        if destination is None:
            return  # not internal: is_active() cuts it off where it is referenced
        for key in action.keys() - {"/Type", "/S", "/D"}:
            del action[key]
        action[NameObject("/S")] = NameObject(KEPT_ACTION)
        action[NameObject("/D")] = destination

    @staticmethod
    def replace(entry: DictionaryObject, key: str, value: PdfObject | None) -> None:
        if value is None:
            del entry[key]
        else:
            entry[NameObject(key)] = value

    def clean_a(self, value: PdfObject) -> PdfObject | None:
        """/A is an action in annotations and outline items, attributes in structure elements."""
        if is_attributes(resolve(value)):
            return value
        return self.internal_goto(resolve(value))

    def internal_goto(self, action: PdfObject | None) -> DictionaryObject | None:
        """A new, plain GoTo to the same place if `action` is a GoTo within this document; else None."""
        if not isinstance(action, DictionaryObject) or resolve(action.get("/S")) != KEPT_ACTION:
            return None
        destination = self.internal_destination(action.get("/D"))
        if destination is None:
            return None
        return DictionaryObject({NameObject("/S"): NameObject(KEPT_ACTION), NameObject("/D"): destination})

    def internal_destination(self, value: PdfObject | None) -> PdfObject | None:
        """A copy of a destination naming a page of this document (or a named destination); else None."""
        destination = resolve(value)
        if isinstance(destination, NAMED_DESTINATION):
            return destination  # looked up in this document's /Dests
        if not isinstance(destination, ArrayObject) or not 1 <= len(destination) <= 6:
            return None
        page, *parameters = destination
        parameters = [resolve(parameter) for parameter in parameters]
        if (
            not isinstance(page, IndirectObject)
            or (page.idnum, page.generation) not in self.page_refs
            or not all(isinstance(parameter, DESTINATION_PARAMETERS) for parameter in parameters)
        ):
            return None
        return ArrayObject([page, *parameters])

    def kept_annotations(self, value: PdfObject) -> ArrayObject:
        kept = ArrayObject()
        annotations = resolve(value)
        if not isinstance(annotations, ArrayObject):
            return kept
        for reference in annotations:
            annotation = resolve(reference)
            if not isinstance(annotation, DictionaryObject):
                continue
            subtype = resolve(annotation.get("/Subtype"))
            if isinstance(subtype, NameObject) and subtype in KEPT_ANNOTATIONS:
                annotation[NameObject("/Subtype")] = subtype  # stored direct, as pypdf and viewers expect
                kept.append(reference)
            elif subtype == "/Widget" and (stamp := stamp_from_widget(annotation)) is not None:
                kept.append(stamp)
        return kept


def is_attributes(obj: PdfObject | None) -> bool:
    """A structure element's attributes: a dictionary naming its owner (/O), or an array of them
    (and revision numbers). Never an action: no /S, /Next, /JS or /Type."""
    if isinstance(obj, ArrayObject):
        items = [resolve(item) for item in obj]
        return bool(items) and all(
            isinstance(item, NumberObject) or (isinstance(item, DictionaryObject) and is_attributes(item))
            for item in items
        )
    return isinstance(obj, DictionaryObject) and "/O" in obj and not {"/S", "/Next", "/JS", "/Type"} & obj.keys()


def stamp_from_widget(widget: DictionaryObject) -> DictionaryObject | None:
    """A stamp annotation showing what a form field's widget shows now, or None if it shows nothing."""
    flags = resolve(widget.get("/F"))
    flags = int(flags) if isinstance(flags, NumberObject) else 0
    rect = resolve(widget.get("/Rect"))
    appearances = resolve(widget.get("/AP"))
    if flags & (HIDDEN | NO_VIEW) or not isinstance(appearances, DictionaryObject):
        return None
    if not isinstance(rect, ArrayObject) or len(rect) != 4:
        return None
    rect = [resolve(coordinate) for coordinate in rect]
    if not all(isinstance(coordinate, (NumberObject, FloatObject)) for coordinate in rect):
        return None
    normal = appearances.get("/N")
    states = resolve(normal)
    if isinstance(states, DictionaryObject) and not isinstance(states, StreamObject):  # checkbox, radio button
        state = resolve(widget.get("/AS"))
        normal = states.get(state) if isinstance(state, NameObject) else None
    if not isinstance(normal, IndirectObject) or not isinstance(resolve(normal), StreamObject):
        return None
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Stamp"),
        NameObject("/Rect"): ArrayObject(rect),
        NameObject("/F"): NumberObject(flags & PRINT),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): normal}),
    })
