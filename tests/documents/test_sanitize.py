"""sanitize_pdf against the hostile files in hostile.py: each is refused, or stored provably inert."""

import hashlib
import re
import time
import tracemalloc
import zlib
from io import BytesIO

import pytest
from django.utils import translation
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from documents.sanitize import RejectedPdf, sanitize_pdf

from . import hostile

# Names that must not occur anywhere in a stored file, as a key or as a value.
FORBIDDEN = frozenset({
    "/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/EF",
    "/XFA", "/FileAttachment", "/SubmitForm", "/ResetForm", "/ImportData", "/GoToR", "/GoToE", "/URI",
    "/Rendition", "/Sound", "/Movie", "/RichMedia",
})


def every_object(reader: PdfReader):
    """The trailer and every object the cross-reference table lists."""
    yield reader.trailer
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        yield reader.get_object(number)


def names_in(obj):
    """Every key and name value in `obj` and the direct objects nested in it."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, NameObject):
            yield item


def forbidden_names(content: bytes) -> set[str]:
    reader = PdfReader(BytesIO(content), strict=True)
    objects = list(every_object(reader))
    # Every object in the file is listed, so the walk above saw all of them.
    assert len(objects) - 1 == len(re.findall(rb"\d+ \d+ obj\b", content))
    return {name for obj in objects for name in names_in(obj)} & FORBIDDEN


def assert_stored(data: bytes, pages: int) -> PdfReader:
    result = sanitize_pdf(data)
    assert result.page_count == pages
    assert result.size == len(result.content)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert forbidden_names(result.content) == set()
    reader = PdfReader(BytesIO(result.content), strict=True)
    assert not reader.is_encrypted
    assert len(reader.pages) == pages
    assert "Clean page 1" in reader.pages[0].extract_text()
    return reader


def rejection(data: bytes, language: str = "en") -> str:
    """The refusal message, as a user of `language` would read it."""
    with translation.override(language), pytest.raises(RejectedPdf) as caught:
        sanitize_pdf(data)
    with translation.override(language):
        return str(caught.value.message)


def test_the_hostile_files_are_hostile():
    """The scanner would catch what the generators plant (so a clean result means something)."""
    for make in (hostile.js_in_catalog, hostile.js_in_page_aa, hostile.link_actions, hostile.form_actions,
                 hostile.outline_with_javascript, hostile.embedded_files, hostile.xfa_form):
        assert forbidden_names(make()), make.__name__


@pytest.mark.parametrize("pages", [1, 3])
def test_clean_pdf_survives_with_pages_and_text(pages):
    reader = assert_stored(hostile.clean_pdf(pages), pages)
    assert [page.extract_text() for page in reader.pages] == [
        f"Clean page {n} of {pages}" for n in range(1, pages + 1)
    ]


@pytest.mark.parametrize(("make", "pages"), [
    (hostile.js_in_catalog, 1),
    (hostile.js_in_page_aa, 1),
    (hostile.link_actions, 2),
    (hostile.form_actions, 1),
    (hostile.outline_with_javascript, 1),
    (hostile.embedded_files, 1),
    (hostile.xfa_form, 1),
    (hostile.owner_password_only_pdf, 2),
    (hostile.shifted_xref, 2),
])
def test_active_content_is_removed(make, pages):
    assert_stored(make(), pages)


def test_catalog_keeps_no_actions_names_or_metadata():
    root = assert_stored(hostile.js_in_catalog(), 1).trailer["/Root"]
    assert not {"/OpenAction", "/AA", "/Names", "/Metadata"} & root.keys()


def test_internal_link_is_kept_without_its_chained_action():
    reader = assert_stored(hostile.link_actions(), 2)
    links = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert len(links) == 3  # the JavaScript and Launch links stay on the page, inert
    [action] = [link["/A"].get_object() for link in links if "/A" in link]
    assert action["/S"] == "/GoTo" and "/Next" not in action
    assert action["/D"][0] == reader.pages[1].indirect_reference


def test_form_keeps_its_field_value_but_not_xfa():
    reader = assert_stored(hostile.xfa_form(), 1)
    form = reader.trailer["/Root"]["/AcroForm"].get_object()
    assert "/XFA" not in form
    assert reader.get_fields()["name"]["/V"] == "Ola"


def test_attachments_are_dropped():
    reader = assert_stored(hostile.embedded_files(), 1)
    assert reader.attachments == {}
    assert not reader.pages[0].get("/Annots")


@pytest.mark.parametrize(("make", "fragment"), [
    (hostile.empty_file, "empty"),
    (hostile.text_file, "not a PDF"),
    (hostile.png_file, "not a PDF"),
    (hostile.png_behind_pdf_header, "could not be read"),
    (hostile.truncated_pdf, "could not be read"),
    (hostile.broken_xref, "could not be read"),
    (hostile.no_pages, "no pages"),
    (hostile.user_password_pdf, "password protected"),
])
def test_refused_with_a_reason(make, fragment):
    assert fragment in rejection(make())


def test_refuses_more_pages_than_allowed(settings):
    assert rejection(hostile.many_pages(settings.UPLOAD_MAX_PAGES + 1)) == (
        f"The PDF has more than {settings.UPLOAD_MAX_PAGES} pages."
    )


def test_accepts_exactly_the_page_limit(settings):
    settings.UPLOAD_MAX_PAGES = 40
    assert sanitize_pdf(hostile.many_pages(40)).page_count == 40


def test_refuses_files_over_the_size_limit_naming_it(settings):
    too_big = b"%PDF-1.7\n" + bytes(settings.UPLOAD_MAX_BYTES)
    assert rejection(too_big) == "The file is larger than 20 MB."
    assert rejection(too_big, "nb") == "Filen er større enn 20 MB."


@pytest.mark.parametrize("layers", [1, 2])
def test_decompression_bomb_is_stored_without_inflating(layers):
    bomb = hostile.flate_bomb(megabytes=1024, layers=layers)
    payload = PdfReader(BytesIO(bomb)).pages[0]["/Contents"].get_object()._data
    for _ in range(layers - 1):
        payload = zlib.decompress(payload)
    assert hostile.inflated_size_at_least(payload, 100 * hostile.MB), "not a real bomb"
    assert len(bomb) < 1.1 * hostile.MB

    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = sanitize_pdf(bomb)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert elapsed < 2
    assert peak < 20 * hostile.MB  # against 1 GiB inflated
    assert result.size < len(bomb) + 10_000  # the stream is copied, still compressed
    stored = PdfReader(BytesIO(result.content)).pages[0]["/Contents"].get_object()
    assert stored["/Filter"] == ["/FlateDecode"] * layers


def test_deflated_zeros_is_exact():
    assert zlib.decompress(hostile.deflated_zeros(3)) == bytes(3 * hostile.MB)

