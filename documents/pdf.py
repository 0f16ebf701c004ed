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

Merging (`merge_pdfs`) writes PDF/A-2b identification into the merged file
and can stamp each page (`Stamp`); its docstring says what that does and does
not guarantee.
"""

import mimetypes
import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files import File
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


STATIC_BASE_URL = "https://static.iop.invalid/"
PDF_VARIANT = "pdf/a-2b"

PdfSource = bytes | str | os.PathLike | File
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


def merge_pdfs(
    parts: Iterable[Part],
    out: str | os.PathLike | BinaryIO,
    *,
    title: str = "",
    lang: str = "",
    stamps: Sequence["Stamp"] | None = None,
) -> int:
    """Concatenate `parts` ((title, PDF bytes, path or stored file), in order) into `out`; return the page count.

    Each part gets one outline entry, its title, at its first page; the
    parts' own outlines are left out. Parts must be trusted (sanitized
    uploads or render_pdf output) and have at least one page. Paths and
    stored files are opened as files, not read into memory first; the output is built in
    memory by pypdf, about the size of the result. `out` is a path or a
    binary file with tell() (not an HttpResponse; see applications/batch_pdf.py).

    `stamps`, one per page of the result, adds text over each page (see
    `Stamp`); a part's file on disk is never changed, only its copy here.

    The result carries PDF/A-2b identification: XMP metadata (pdfaid part 2,
    conformance B, dc:title `title`, dc:language `lang` (default
    settings.LANGUAGE_CODE), producer and dates, matching the Info
    dictionary), /Lang in the catalog and an sRGB output intent (the first
    part's, as render_pdf wrote it; else WeasyPrint's own sRGB profile). What
    that guarantees: the pages that render_pdf made, and the stamps, are
    PDF/A-2b as WeasyPrint makes them (fonts embedded, colours in sRGB). What
    it does not: an uploaded part is only sanitized (documents/sanitize.py:
    active content removed, content streams copied as they are), not
    converted, so its fonts may be unembedded, its colours DeviceCMYK or
    uncalibrated, its annotations without appearance streams; a file with
    such a part claims PDF/A-2b without meeting it. No validator (veraPDF)
    has checked any of it.
    """
    writer = PdfWriter()
    intents = None
    for part_title, source in parts:
        with open_source(source) as stream:
            reader = PdfReader(stream)
            writer.append(reader, outline_item=part_title, import_outline=False)
            intents = intents or copied_output_intents(reader, writer)
    if stamps is not None:
        stamp_pages(writer, stamps)
    identify_as_pdfa(writer, title=title, lang=lang or settings.LANGUAGE_CODE,
                     intents=intents or srgb_output_intents(writer))
    writer.write(out)
    return len(writer.pages)


# --- PDF/A-2b identification of a merged file ---

PRODUCER = "IOP (WeasyPrint, pypdf)"
SRGB = "IEC 61966-2-1 Default RGB Colour Space - sRGB"
XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 pdfaid:part="2" pdfaid:conformance="B" pdf:Producer={producer}
 xmp:CreateDate="{date}" xmp:ModifyDate="{date}" xmp:MetadataDate="{date}">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


def copied_output_intents(reader: PdfReader, writer: PdfWriter) -> ArrayObject | None:
    """The part's output intents (render_pdf's sRGB profile) as objects of the merged file, if it has any."""
    intents = reader.root_object.get("/OutputIntents")
    return intents.get_object().clone(writer) if intents else None


def srgb_output_intents(writer: PdfWriter) -> ArrayObject:
    """An output intent with the sRGB profile WeasyPrint ships, for a merge with no render_pdf part."""
    profile = DecodedStreamObject()
    profile.set_data((files("weasyprint.pdf") / "sRGB2014.icc").read_bytes())
    profile[NameObject("/N")] = NumberObject(3)
    return ArrayObject([DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"), NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB), NameObject("/Info"): TextStringObject(SRGB),
        NameObject("/DestOutputProfile"): writer._add_object(profile.flate_encode()),
    })])


def identify_as_pdfa(writer: PdfWriter, *, title: str, lang: str, intents: ArrayObject) -> None:
    now = timezone.localtime().replace(microsecond=0)
    offset = now.strftime("%z")
    date = now.strftime(f"D:%Y%m%d%H%M%S{offset[:3]}'{offset[3:]}'")
    writer.pdf_header = b"%PDF-1.7"  # PDF/A-2 is based on PDF 1.7
    writer.generate_file_identifiers()  # PDF/A requires the trailer's /ID
    # PDF/A wants Info and XMP to agree, so both are written here from the same values.
    writer.add_metadata({"/Title": title, "/Producer": PRODUCER, "/CreationDate": date, "/ModDate": date})
    metadata = DecodedStreamObject()  # left unfiltered, so any reader (and PDF/A-1 tools) can read it
    metadata.set_data(XMP.format(producer=quoteattr(PRODUCER), date=now.isoformat(), title=escape(title),
                                 lang=escape(lang)).encode())
    metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    root = writer.root_object
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    root[NameObject("/OutputIntents")] = intents
    root[NameObject("/Lang")] = TextStringObject(lang)
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})


# --- Stamps: text added over the pages of a merged file ---

MM = 72 / 25.4
PX = 0.75  # WeasyPrint draws in CSS px (1/96 in) under a 0.75 scale to points
# templates/pdf/base.html: the page's bottom margin, where its "Page n of m" footer stands, and where
# that footer's baseline and right edge fall (measured in render_pdf output).
BASE_BOTTOM_MARGIN = 20 * MM
BASE_FOOTER = (18 * MM, 9 * MM)
UPLOAD_MARGIN = (10 * MM, 5 * MM)  # an upload's own margins are unknown: keep to the page's very edge
STAMP_SIZE = 8.5
STAMP_COLOUR = b"0.267 0.267 0.267 rg"  # #444, as base.html's footer; RGB, so the sRGB output intent covers it
STAMP_FONT = "/IopStamp"
# A text object as WeasyPrint writes it: its first line's origin, y in CSS px from the top of the page.
WEASYPRINT_TEXT = re.compile(rb"(?<=\n)BT\n1 0 0 -1 [-\d.]+ ([-\d.]+) Tm\n.*?\nET\n", re.DOTALL)


@dataclass(frozen=True)
class Stamp:
    """Text merge_pdfs adds at the bottom of one page: `number` right-aligned, `label` at the left.

    On a page that render_pdf made (`rendered`), its own page-number footer
    (pdf/base.html) is taken out of the merged copy and `number` stands where
    it stood; the footer is found as WeasyPrint writes text (drop_footer), so
    a WeasyPrint that writes it otherwise leaves it in (the tests notice). On
    any other page the stamp stands 5 mm above the shown bottom edge and
    10 mm in from the sides, whatever the page's /Rotate, in content streams
    added after the page's own, which stay as they are; it can cover what the
    page itself has there. The text is drawn glyph by glyph, left to right,
    without shaping: fine for names in Latin, Greek or Cyrillic script, not
    for right-to-left scripts; a character the project's font lacks is "?".
    """

    number: str
    label: str = ""
    rendered: bool = False


@dataclass(frozen=True)
class StampFont:
    ref: IndirectObject
    glyphs: dict[str, tuple[int, int]]  # character -> (glyph id, advance width in 1/1000 em)

    def encode(self, text: str) -> tuple[bytes, float]:
        """The text as Identity-H glyph ids (a character the font lacks becomes "?"), and its width in points."""
        glyphs = [self.glyphs.get(char) or self.glyphs["?"] for char in text]
        width = sum(advance for _gid, advance in glyphs) * STAMP_SIZE / 1000
        return b"<" + "".join(f"{gid:04x}" for gid, _advance in glyphs).encode() + b">", width


def stamp_pages(writer: PdfWriter, stamps: Sequence[Stamp]) -> None:
    if len(stamps) != len(writer.pages):
        raise ValueError(f"{len(stamps)} stamps for {len(writer.pages)} pages")
    font = stamp_font(writer, "".join(stamp.number + stamp.label for stamp in stamps))
    for page, stamp in zip(writer.pages, stamps):
        if stamp.rendered:
            drop_footer(page)
        add_overlay(writer, page, stamp_content(page, stamp, font), font)


def stamp_font(writer: PdfWriter, text: str) -> StampFont:
    """The project's font with every character of `text`, embedded and subset by one small WeasyPrint render.

    Rendering each stamp with WeasyPrint would cost a page render per page of
    the batch (seconds); this costs one, and the stamps are then written as
    plain text operators in that font.
    """
    characters = sorted(set(text) | {" ", "?"})
    html = (f'<html><style>@font-face {{ font-family: "IOP Sans"; src: url("{static("fonts/DejaVuSans.ttf")}"); }}'
            f'html {{ font-family: "IOP Sans"; font-variant-ligatures: none }}</style><p>'
            f'{escape(" ".join(characters))}</p></html>')
    carrier = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyFetcher())
    page = PdfReader(BytesIO(carrier.write_pdf(font_config=font_config(), pdf_variant=PDF_VARIANT))).pages[0]
    # A character outside the project's font comes out in a fallback font: keep the font that covers most.
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    font = max(fonts, key=lambda f: len(glyph_map(f)))
    return StampFont(ref=writer._add_object(font.clone(writer)), glyphs=glyph_map(font))


def glyph_map(font: DictionaryObject) -> dict[str, tuple[int, int]]:
    """Character -> (glyph id, width) of a WeasyPrint Type0 font, from its ToUnicode map and /W array."""
    widths, entries = {}, list(font["/DescendantFonts"][0].get_object()["/W"])
    for first, run in zip(entries[::2], entries[1::2]):
        widths.update({first + index: width for index, width in enumerate(run)})
    pairs = re.findall(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]{4})>", font["/ToUnicode"].get_object().get_data())
    return {chr(int(code, 16)): (int(gid, 16), widths.get(int(gid, 16), 0)) for gid, code in pairs}


def drop_footer(page: PageObject) -> None:
    """Take render_pdf's own page-number footer (its only text below the content area) out of this copy."""
    contents = page["/Contents"].get_object()
    limit = (float(page.mediabox.height) - BASE_BOTTOM_MARGIN) / PX
    data = WEASYPRINT_TEXT.sub(lambda text: b"" if float(text[1]) > limit else text[0], contents.get_data())
    contents.set_data(data)


def stamp_content(page: PageObject, stamp: Stamp, font: StampFont) -> bytes:
    """Operators drawing the stamp in the page's displayed bottom margin, whatever its /Rotate and crop box."""
    width, matrix = displayed(page)
    right, baseline = BASE_FOOTER if stamp.rendered else UPLOAD_MARGIN
    number, number_width = font.encode(stamp.number)
    lines = [(width - right - number_width, number)]
    if stamp.label:
        lines.append((UPLOAD_MARGIN[0], font.encode(stamp.label)[0]))
    shown = b"".join(b"1 0 0 1 %.2f %.2f Tm %s Tj " % (x, baseline, text) for x, text in lines)
    return b"q %s cm %s BT %s %.1f Tf %sET Q" % (matrix, STAMP_COLOUR, STAMP_FONT.encode(), STAMP_SIZE, shown)


def displayed(page: PageObject) -> tuple[float, bytes]:
    """The width of the page as shown, and the matrix from shown coordinates (origin bottom left) to its own."""
    x0, y0, x1, y1 = (float(value) for value in page.cropbox)
    rotation = page.rotation % 360
    matrix = {0: (1, 0, 0, 1, x0, y0), 90: (0, 1, -1, 0, x1, y0),
              180: (-1, 0, 0, -1, x1, y1), 270: (0, -1, 1, 0, x0, y1)}[rotation]
    width = x1 - x0 if rotation in (0, 180) else y1 - y0
    return width, b" ".join(b"%.4f" % value for value in matrix)


def add_overlay(writer: PdfWriter, page: PageObject, content: bytes, font: StampFont) -> None:
    """Add `content` after the page's own content streams (kept as they are) in a fresh graphics state."""
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
    fonts = resources.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    fonts[NameObject(STAMP_FONT)] = font.ref
    own = [stream(writer, b"q\n"), *own_contents(page), stream(writer, b"\nQ\n" + content)]
    page[NameObject("/Contents")] = ArrayObject(own)


def own_contents(page: PageObject) -> list:
    contents = page.get("/Contents")
    if contents is None:
        return []
    return list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]


def stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    content = DecodedStreamObject()
    content.set_data(data)
    return writer._add_object(content)


def open_source(source: PdfSource) -> BinaryIO:
    # PdfReader(path) would read the whole file into memory; a file object is read as needed.
    if isinstance(source, bytes):
        return BytesIO(source)
    if isinstance(source, File):  # a stored file, on disk or in an object store
        return source.open("rb")
    return open(source, "rb")
