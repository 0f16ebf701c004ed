"""sanitize_pdf against the hostile files in hostile.py: each is refused, or stored provably inert."""

import hashlib
import re
import time
import tracemalloc
import zlib
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

import pytest
from django.utils import translation
from pypdf import PdfReader
from weasyprint import HTML
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

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


# The whole object graph, every reference resolved

# Every action type of ISO 32000-2 (12.6.4.1) and the Adobe extensions; an /S with one of these names is an action.
ACTION_TYPES = frozenset({
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie", "/Hide", "/Named",
    "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/ECMAScript", "/SetOCGState", "/Rendition",
    "/Trans", "/GoTo3DView", "/RichMediaExecute",
})
# Every annotation type of ISO 32000-2 (12.5.6.1) and the Adobe extension RichMedia.
ANNOTATION_TYPES = frozenset({
    "/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Caret", "/Stamp", "/Ink", "/Popup", "/FileAttachment", "/Sound",
    "/Movie", "/Screen", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/3D", "/Redact", "/Projection",
    "/RichMedia",
})
# What a stored file may still hold: marks and notes on the page, links within the document.
HARMLESS_ANNOTATIONS = frozenset({
    "/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Caret", "/Stamp", "/Ink", "/Popup",
})
# Keys that hold scripts, automatic actions, attachments or forms, whatever their value.
ACTIVE_KEYS = frozenset({
    "/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/AcroForm", "/PA", "/NA",
    "/PresSteps", "/URI", "/RichMediaContent", "/Renditions", "/AlternatePresentations",
})
# A stream whose data lives in another (possibly remote) file.
EXTERNAL_STREAM_KEYS = frozenset({"/F", "/FFilter", "/FDecodeParms"})


def resolve(obj):
    """The value behind any number of references (a reference may name another one)."""
    for _ in range(100):
        if not isinstance(obj, IndirectObject):
            return obj
        obj = obj.get_object()
    raise AssertionError("reference loop")


@dataclass
class Graph:
    """What walking a file's whole object graph found."""

    types: Counter = field(default_factory=Counter)  # every /S value
    subtypes: Counter = field(default_factory=Counter)  # every /Subtype value
    keys: set = field(default_factory=set)
    actions: list = field(default_factory=list)  # dictionaries whose /S is an action type
    annotations: list = field(default_factory=list)  # dictionaries that are annotations
    external_streams: int = 0
    external_forms: int = 0


def object_graph(reader: PdfReader) -> Graph:
    """Walk everything reachable from the trailer and every object the file lists (reachable or not).

    Every reference is resolved, /S and /Subtype included; references and
    containers already seen are skipped, so cycles end.
    """
    graph = Graph()
    seen_references, seen_containers = set(), set()
    stack = list(every_object(reader))
    while stack:
        item = stack.pop()
        while isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen_references:
                break
            seen_references.add((item.idnum, item.generation))
            item = item.get_object()
        if not isinstance(item, (DictionaryObject, ArrayObject)) or id(item) in seen_containers:
            continue
        seen_containers.add(id(item))
        if isinstance(item, ArrayObject):
            stack.extend(item)
            continue
        graph.keys.update(item.keys())
        action_type, subtype = resolve(item.get("/S")), resolve(item.get("/Subtype"))
        if isinstance(action_type, NameObject):
            graph.types[action_type] += 1
            if action_type in ACTION_TYPES:
                graph.actions.append(item)
        if isinstance(subtype, NameObject):
            graph.subtypes[subtype] += 1
        if subtype in ANNOTATION_TYPES or resolve(item.get("/Type")) == "/Annot":
            graph.annotations.append(item)
        if isinstance(item, StreamObject):
            graph.external_streams += bool(EXTERNAL_STREAM_KEYS & item.keys())
            graph.external_forms += subtype == "/Form" and "/Ref" in item
        stack.extend(item.values())
    return graph


def is_internal_destination(destination, page_ids: set[int]) -> bool:
    destination = resolve(destination)
    if isinstance(destination, (NameObject, TextStringObject, str, bytes)):
        return True  # a named destination: looked up in this document
    return (
        isinstance(destination, ArrayObject) and len(destination) > 0
        and isinstance(destination[0], IndirectObject) and destination[0].idnum in page_ids
    )


def violations(content: bytes) -> list[str]:
    """Everything active left in `content`: empty for a file that may be stored."""
    reader = PdfReader(BytesIO(content))
    graph = object_graph(reader)
    page_ids = {page.indirect_reference.idnum for page in reader.pages}
    found = [f"action {name}" for name in sorted(set(graph.types) & ACTION_TYPES - {"/GoTo"})]
    found += [f"annotation {name}" for name in sorted(set(graph.subtypes) & ANNOTATION_TYPES - HARMLESS_ANNOTATIONS)]
    found += [f"key {key}" for key in sorted(graph.keys & ACTIVE_KEYS)]
    for action in graph.actions:
        if resolve(action["/S"]) == "/GoTo":
            if action.keys() - {"/Type", "/S", "/D"}:
                found.append(f"GoTo with {sorted(action.keys() - {'/Type', '/S', '/D'})}")
            if not is_internal_destination(action.get("/D"), page_ids):
                found.append(f"GoTo to {action.get('/D')!r}")
    for annotation in graph.annotations:
        if resolve(annotation.get("/Subtype")) not in HARMLESS_ANNOTATIONS:
            found.append(f"annotation {annotation.get('/Subtype')!r}")
    found += ["stream with external data"] * graph.external_streams
    found += ["reference XObject"] * graph.external_forms
    return found


def annotations_of(page) -> list[DictionaryObject]:
    return [resolve(annotation) for annotation in resolve(page.get("/Annots", ArrayObject()))]


def assert_stored(data: bytes, pages: int) -> PdfReader:
    result = sanitize_pdf(data)
    assert result.page_count == pages
    assert result.size == len(result.content)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert forbidden_names(result.content) == set()
    assert violations(result.content) == []
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


ACTIVE_FILES = [
    hostile.js_in_catalog, hostile.js_in_page_aa, hostile.link_actions, hostile.form_actions,
    hostile.outline_with_javascript, hostile.embedded_files, hostile.xfa_form,
    hostile.indirect_goto_with_launch, hostile.nested_next_chains, hostile.indirect_annotation_subtypes,
    hostile.launch_everywhere, hostile.remote_actions, hostile.javascript_everywhere, hostile.acroform_actions,
    hostile.actions_in_odd_places,
]


@pytest.mark.parametrize("make", ACTIVE_FILES, ids=lambda make: make.__name__)
def test_the_hostile_files_are_hostile(make):
    """The scanners would catch what the generators plant (so a clean result means something)."""
    assert forbidden_names(make())
    assert violations(make())


def test_the_graph_walk_resolves_indirect_types():
    """What the old sanitizer missed: /S and /Subtype behind a reference are found as the names they are."""
    graph = object_graph(PdfReader(BytesIO(hostile.indirect_annotation_subtypes())))
    assert {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D", "/Widget"} <= set(graph.subtypes)
    graph = object_graph(PdfReader(BytesIO(hostile.indirect_goto_with_launch())))
    assert graph.types["/GoTo"] >= 2 and graph.types["/Launch"] == 2


def test_an_ordinary_linked_document_has_no_violations():
    assert violations(hostile.linked_document()) == []
    assert violations(hostile.clean_pdf(2)) == []


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
    (hostile.indirect_goto_with_launch, 2),
    (hostile.nested_next_chains, 2),
    (hostile.indirect_annotation_subtypes, 2),
    (hostile.launch_everywhere, 2),
    (hostile.remote_actions, 2),
    (hostile.javascript_everywhere, 2),
    (hostile.acroform_actions, 1),
    (hostile.actions_in_odd_places, 2),
    (hostile.linked_document, 3),
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


def test_form_fields_and_xfa_are_dropped():
    reader = assert_stored(hostile.xfa_form(), 1)
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert reader.get_fields() is None
    assert annotations_of(reader.pages[0]) == []  # the field had no appearance: nothing to show


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



# Bypasses through indirect objects, /Next chains and odd places (each also in test_active_content_is_removed)


def page_index(reader: PdfReader, destination) -> int:
    """The page a kept internal destination (explicit or named) points to."""
    destination = resolve(destination)
    if not isinstance(destination, ArrayObject):
        destination = resolve(reader.named_destinations[str(destination)].dest_array)
    return [page.indirect_reference.idnum for page in reader.pages].index(destination[0].idnum)


def kept_gotos(reader: PdfReader, page: int) -> list[DictionaryObject]:
    return [resolve(a["/A"]) for a in annotations_of(reader.pages[page]) if "/A" in a]


def test_goto_with_an_indirect_type_keeps_its_jump_but_not_its_launch():
    reader = assert_stored(hostile.indirect_goto_with_launch(), 2)
    [action] = kept_gotos(reader, 0)
    assert action == {"/S": "/GoTo", "/D": [reader.pages[1].indirect_reference, "/Fit"]}
    assert not isinstance(action.get("/S"), IndirectObject)
    [bookmark] = reader.outline
    assert bookmark["/Title"] == "Chapter 2" and reader.get_destination_page_number(bookmark) == 1
    assert "/Next" not in resolve(bookmark.node["/A"])


def test_next_chains_as_arrays_dicts_nested_and_cyclic_are_dropped():
    reader = assert_stored(hostile.nested_next_chains(), 2)
    assert [page_index(reader, a["/D"]) for a in kept_gotos(reader, 0)] == [1]
    assert [page_index(reader, a["/D"]) for a in kept_gotos(reader, 1)] == [1]


def test_a_next_chain_deeper_than_the_recursion_limit():
    data = hostile.long_next_chain(3000)
    started = time.perf_counter()
    reader = assert_stored(data, 2)
    assert time.perf_counter() - started < 10
    [action] = kept_gotos(reader, 0)
    assert page_index(reader, action["/D"]) == 1 and "/Next" not in action
    assert len(reader.xref[0]) < 40  # the 3,000 chained actions are not copied


def test_annotation_types_are_resolved_before_they_are_judged():
    reader = assert_stored(hostile.indirect_annotation_subtypes(), 2)
    annotations = annotations_of(reader.pages[0])
    # Dropped: FileAttachment, Sound, Movie, Screen, RichMedia, 3D, a Widget without appearance, an unknown type.
    assert [a["/Subtype"] for a in annotations] == ["/Link", "/Link", "/Text"]
    assert all(isinstance(a.get("/Subtype"), NameObject) for a in annotations)  # stored as direct names
    uri_link, goto_link, note = annotations
    assert "/A" not in uri_link  # stays on the page, inert
    assert resolve(goto_link["/A"]).keys() == {"/S", "/D"} and page_index(reader, goto_link["/A"]["/D"]) == 1
    assert note["/Contents"] == "A note" and "/AA" not in note
    assert reader.attachments == {}


def test_launch_of_cmd_exe_is_removed_everywhere():
    reader = assert_stored(hostile.launch_everywhere(), 2)
    assert [len(kept_gotos(reader, n)) for n in (0, 1)] == [1, 0]
    assert "/AA" not in reader.pages[1]
    assert "/OpenAction" not in reader.trailer["/Root"]
    assert reader.outline == []  # the bookmark's only action was the launch


def test_submitform_gotor_to_a_share_and_uri_are_removed():
    result = sanitize_pdf(hostile.remote_actions())
    assert violations(result.content) == []
    assert b"server" not in result.content and b"evil.example" not in result.content
    reader = PdfReader(BytesIO(result.content))
    assert [page_index(reader, a["/D"]) for a in kept_gotos(reader, 0)] == [1, 1, 1]


def test_javascript_in_catalog_pages_and_annotations_is_removed():
    result = sanitize_pdf(hostile.javascript_everywhere())
    assert violations(result.content) == [] and b"app.alert" not in result.content
    reader = PdfReader(BytesIO(result.content))
    assert not {"/OpenAction", "/AA", "/Names"} & reader.trailer["/Root"].keys()
    assert "/AA" not in reader.pages[0]
    assert [a["/Subtype"] for a in annotations_of(reader.pages[1])] == ["/Square", "/Text"]
    assert not any({"/AA", "/A"} & a.keys() for a in annotations_of(reader.pages[1]))


def test_form_fields_become_their_printed_appearance():
    """A filled form keeps what it shows, as inert stamps; the fields, their actions and XFA go."""
    reader = assert_stored(hostile.acroform_actions(), 1)
    assert "/AcroForm" not in reader.trailer["/Root"]
    stamps = annotations_of(reader.pages[0])
    assert [a["/Subtype"] for a in stamps] == ["/Stamp"] * 3
    shown = [resolve(stamp["/AP"]["/N"]).get_data() for stamp in stamps]
    assert b"(Ola Nordmann) Tj" in shown[0] and b"(Send) Tj" in shown[1] and b"(X) Tj" in shown[2]
    for stamp in stamps:
        assert stamp.keys() <= {"/Type", "/Subtype", "/Rect", "/F", "/AP"}
        assert stamp["/Rect"] == [72, 700, 300, 730]


def test_references_to_active_objects_are_cut_wherever_they_are():
    reader = assert_stored(hostile.actions_in_odd_places(), 2)
    [note] = annotations_of(reader.pages[0])
    assert "/IRT" not in note
    assert "/Parent" not in resolve(note["/Popup"])
    assert "/URI" not in reader.trailer["/Root"] and "/PresSteps" not in reader.pages[1]


def test_internal_links_bookmarks_and_named_destinations_are_kept():
    reader = assert_stored(hostile.linked_document(), 3)
    links = annotations_of(reader.pages[0])
    assert [a["/Subtype"] for a in links] == ["/Link"] * 3
    assert page_index(reader, links[0]["/Dest"]) == 2
    *xyz, zoom = resolve(links[1]["/A"])["/D"][1:]
    assert xyz == ["/XYZ", 72, 700] and isinstance(zoom, NullObject)
    assert [page_index(reader, a["/D"]) for a in kept_gotos(reader, 0)] == [1, 2]
    assert [page_index(reader, a["/D"]) for a in kept_gotos(reader, 1)] == [0]
    assert list(reader.named_destinations) == ["chapter3"]
    chapter1, [section], chapter3 = reader.outline
    assert [(item["/Title"], reader.get_destination_page_number(item)) for item in (chapter1, section, chapter3)] == [
        ("Chapter 1", 0), ("Section 1.1", 1), ("Chapter 3", 2),
    ]


def test_a_goto_out_of_the_document_is_not_internal():
    """GoTo /D must name a page of this document: a page number (GoToR style) or a stray page object is dropped."""
    writer = hostile.clean_writer(pages=2)
    stray = hostile.ref(writer, hostile.pdf_dict(Type=hostile.name("/Page")))
    hostile.link(writer, 0, hostile.pdf_dict(S=hostile.name("/GoTo"), D=ArrayObject([NumberObject(1)])))
    hostile.link(writer, 0, hostile.pdf_dict(S=hostile.name("/GoTo"), D=ArrayObject([stray, NullObject()])))
    reader = assert_stored(hostile.to_bytes(writer), 2)
    assert kept_gotos(reader, 0) == []


def test_a_type_behind_two_references_is_refused_or_removed():
    data = hostile.type_behind_two_references()
    assert re.search(rb"\d+ 0 obj\n\d+ 0 R\nendobj", data)
    try:
        result = sanitize_pdf(data)
    except RejectedPdf:  # pypdf cannot read an object whose value is a reference
        assert "could not be read" in rejection(data)
    else:
        assert violations(result.content) == []


def test_a_weasyprint_document_keeps_its_internal_links_and_bookmarks():
    """Real-world output (WeasyPrint: named destinations, /Dest links, an outline), not hand-made objects."""
    html = """<h1 id="a">Chapter A</h1><p><a href="#b">to B</a> <a href="https://example.com/">web</a></p>
              <h1 id="b" style="break-before: page">Chapter B</h1><p><a href="#a">back to A</a></p>"""
    data = HTML(string=html).write_pdf()
    result = sanitize_pdf(data)
    assert violations(result.content) == []
    reader = PdfReader(BytesIO(result.content))
    internal, web = annotations_of(reader.pages[0])
    [back] = annotations_of(reader.pages[1])
    assert (page_index(reader, internal["/Dest"]), page_index(reader, back["/Dest"])) == (1, 0)
    assert web["/Subtype"] == "/Link" and "/A" not in web
    assert [(item["/Title"], reader.get_destination_page_number(item)) for item in reader.outline] == [
        ("Chapter A", 0), ("Chapter B", 1),
    ]


def test_object_stream_bomb_is_refused_before_it_is_inflated():
    """An object stream must be inflated to be parsed: pypdf stops at its 75 MB cap, and the upload is refused."""
    bomb = hostile.object_stream_bomb(megabytes=1024)
    assert len(bomb) < 1.1 * hostile.MB
    assert sanitize_pdf(hostile.object_stream_bomb(megabytes=2)).page_count == 1  # the same file, small, is fine
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = rejection(bomb)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "could not be read" in message
    assert elapsed < 5
    assert peak < 300 * hostile.MB  # against 1 GiB inflated
