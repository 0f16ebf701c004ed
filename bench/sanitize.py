"""The upload sanitizer on pypdf (documents.sanitize) against the same allow-list on pikepdf (qpdf).

Run from the project root:

    DEBUG=True .venv/bin/python bench/sanitize.py              # 7 rounds
    DEBUG=True .venv/bin/python bench/sanitize.py --repeat 11

pikepdf is not a dependency of the project: `.venv/bin/pip install pikepdf`
first (without it only pypdf is measured).

Inputs, generated here: word-processor-like documents of 40 and 400 pages
(a page of compressed text, two internal links and a note per page, a
bookmark and a named destination per page), and a 19 MB upload of 200
scanned pages (an incompressible image each, just under the upload limit).

Each (library, input) runs in a fresh Python process so that memory is its
own: "median" is the wall time of `repeat` runs; "rss +" is how far the
process's resident-memory high-water mark (VmHWM, reset after the imports and
reading the input; C++ included) rose above the resident memory of that
moment; "py peak" is the tracemalloc peak of one extra run (Python allocations
only: qpdf's are invisible to it). Linux only (/proc).
"""

import argparse
import gc
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

MB = 1024 * 1024


def status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (Linux), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024  # kB
    raise LookupError(field)


def reset_peak_rss() -> None:
    """Set the resident-memory high-water mark (VmHWM) back to the current RSS (Linux 4.0+)."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


# Inputs (pypdf writes them; the parent process only)


def document(pages: int) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject,
    )

    def pdf_dict(**entries):
        return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})

    writer = PdfWriter()
    font = writer._add_object(pdf_dict(Type=NameObject("/Font"), Subtype=NameObject("/Type1"),
                                       BaseFont=NameObject("/Helvetica")))
    for number in range(1, pages + 1):
        lines = " ".join(
            f"0 -14 Td (Line {line} of page {number}: eleven har rett til tilrettelagt opplaering.) Tj"
            for line in range(48)
        )
        content = DecodedStreamObject()
        content.set_data(zlib.compress(f"BT /F1 11 Tf 72 780 Td {lines} ET".encode()))
        content[NameObject("/Filter")] = NameObject("/FlateDecode")
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = pdf_dict(Font=pdf_dict(F1=font))
        page[NameObject("/Contents")] = writer._add_object(content)
    refs = [page.indirect_reference for page in writer.pages]
    for index, page in enumerate(writer.pages):
        target = refs[(index + 1) % pages]
        rect = ArrayObject(map(NumberObject, (72, 60, 200, 80)))
        goto = pdf_dict(S=NameObject("/GoTo"), D=ArrayObject([target, NameObject("/Fit")]))
        page[NameObject("/Annots")] = ArrayObject([
            writer._add_object(pdf_dict(Type=NameObject("/Annot"), Subtype=NameObject("/Link"), Rect=rect, A=goto)),
            writer._add_object(pdf_dict(Type=NameObject("/Annot"), Subtype=NameObject("/Link"), Rect=rect,
                                        Dest=ArrayObject([refs[0], NameObject("/Fit")]))),
            writer._add_object(pdf_dict(Type=NameObject("/Annot"), Subtype=NameObject("/Text"), Rect=rect,
                                        Contents=TextStringObject(f"Note on page {index + 1}"))),
        ])
        writer.add_outline_item(title=f"Page {index + 1}", page_number=index)
        writer.add_named_destination(f"page{index + 1}", index)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def scans(pages: int = 200, target_bytes: int = 19 * MB) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    side = int((target_bytes / pages) ** 0.5)
    writer = PdfWriter()
    for number in range(pages):
        image = DecodedStreamObject()
        image.set_data(os.urandom(side * side))
        image.update({
            NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(side), NameObject("/Height"): NumberObject(side),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"), NameObject("/BitsPerComponent"): NumberObject(8),
        })
        content = DecodedStreamObject()
        content.set_data(b"q 400 0 0 400 97 300 cm /Im1 Do Q")
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)}),
        })
        page[NameObject("/Contents")] = writer._add_object(content)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# The same allow-list on pikepdf: a port of documents.sanitize's rules, for the comparison only.
# pikepdf resolves references on every access, and qpdf writes only the objects reachable from
# the trailer, so it scrubs the parsed document in place and saves it.


def sanitize_with_pikepdf(data: bytes) -> dict:
    import pikepdf
    from pikepdf import Array, Dictionary, Name, Stream

    from documents import sanitize as rules

    if not data.startswith(rules.PDF_MAGIC):
        raise rules.RejectedPdf(rules.UNREADABLE)
    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        raise rules.RejectedPdf("password") from None
    except Exception:
        raise rules.RejectedPdf(rules.UNREADABLE) from None
    with pdf:
        page_count = len(pdf.pages)
        page_refs = {page.obj.objgen for page in pdf.pages}

        def name_of(obj):
            return str(obj) if isinstance(obj, Name) else None

        def destination(value):
            if isinstance(value, (Name, pikepdf.String)):
                return value
            if not isinstance(value, Array) or not 1 <= len(value) <= 6 or getattr(value[0], "objgen", None) not in page_refs:
                return None
            if any(isinstance(item, (Dictionary, Array, Stream)) for item in list(value)[1:]):
                return None  # the rest must be a fit type and numbers
            return value

        def goto(action):
            if not isinstance(action, Dictionary) or name_of(action.get("/S")) != rules.KEPT_ACTION:
                return None
            target = destination(action.get("/D"))
            return None if target is None else Dictionary(S=Name.GoTo, D=target)

        def is_attributes(obj):
            if isinstance(obj, Array):
                return len(obj) > 0 and all(isinstance(item, int) or is_attributes(item) for item in obj)
            return isinstance(obj, Dictionary) and "/O" in obj and not {"/S", "/Next", "/JS", "/Type"} & set(obj.keys())

        def is_active(obj):
            if not isinstance(obj, Dictionary):
                return False
            subtype, object_type = name_of(obj.get("/Subtype")), name_of(obj.get("/Type"))
            if object_type == "/Annot" or subtype in rules.ANNOTATION_TYPES:
                return subtype not in rules.KEPT_ANNOTATIONS
            action_type = name_of(obj.get("/S"))
            if action_type == rules.KEPT_ACTION:
                return destination(obj.get("/D")) is None
            return object_type == "/Action" or action_type in rules.ACTION_TYPES

        def stamp(widget):
            flags = int(widget.get("/F", 0))
            appearances, rect = widget.get("/AP"), widget.get("/Rect")
            if flags & (rules.HIDDEN | rules.NO_VIEW) or not isinstance(appearances, Dictionary):
                return None
            normal = appearances.get("/N")
            if isinstance(normal, Dictionary) and not isinstance(normal, Stream):
                state = widget.get("/AS")
                normal = normal.get(str(state)) if isinstance(state, Name) else None
            if not isinstance(normal, Stream) or not isinstance(rect, Array) or len(rect) != 4:
                return None
            return Dictionary(Type=Name.Annot, Subtype=Name.Stamp, Rect=rect, F=flags & rules.PRINT,
                              AP=Dictionary(N=normal))

        def clean_dict(entry):
            keys = set(entry.keys())
            for key in rules.DROPPED_KEYS & keys:
                del entry[key]
            if isinstance(entry, Stream):
                for key in rules.EXTERNAL_STREAM_KEYS & keys:
                    del entry[key]
                if name_of(entry.get("/Subtype")) == "/Form" and "/Ref" in entry:
                    del entry["/Ref"]
            if name_of(entry.get("/S")) == rules.KEPT_ACTION and destination(entry.get("/D")) is not None:
                for key in set(entry.keys()) - {"/Type", "/S", "/D"}:
                    del entry[key]
            names = entry.get("/Names")
            if isinstance(names, Dictionary):
                for key in set(names.keys()) - rules.KEPT_NAME_TREES:
                    del names[key]
            if "/A" in entry and not is_attributes(entry["/A"]):
                action = goto(entry["/A"])
                if action is None:
                    del entry["/A"]
                else:
                    entry["/A"] = action
            if "/Dest" in entry and destination(entry["/Dest"]) is None:
                del entry["/Dest"]
            if "/Annots" in entry:
                kept = []
                annotations = entry["/Annots"]
                for annotation in annotations if isinstance(annotations, Array) else []:
                    subtype = name_of(annotation.get("/Subtype")) if isinstance(annotation, Dictionary) else None
                    if subtype in rules.KEPT_ANNOTATIONS:
                        kept.append(annotation)
                    elif subtype == "/Widget" and (converted := stamp(annotation)) is not None:
                        kept.append(pdf.make_indirect(converted))
                entry["/Annots"] = Array(kept)
            for key in list(entry.keys()):
                if key != "/A" and is_active(entry[key]):
                    del entry[key]

        def clean_array(array):
            if any(is_active(item) for item in array):
                kept = [item for item in array if not is_active(item)]
                while len(array):
                    del array[-1]
                array.extend(kept)

        seen = set()
        stack = [pdf.Root, *(page.obj for page in pdf.pages)]
        try:
            while stack:
                item = stack.pop()
                if not isinstance(item, (Dictionary, Array, Stream)):
                    continue  # scalars come out as Python values, names as Name
                if item.is_indirect:
                    if item.objgen in seen:
                        continue
                    seen.add(item.objgen)
                if isinstance(item, Dictionary) or isinstance(item, Stream):
                    clean_dict(item)
                    stack.extend(item.values())
                elif isinstance(item, Array):
                    clean_array(item)
                    stack.extend(item)
            for key in set(pdf.trailer.keys()) - {"/Root", "/Size", "/ID"}:
                del pdf.trailer[key]  # /Info
            output = BytesIO()
            pdf.save(output, stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False)
        except Exception:
            raise rules.RejectedPdf(rules.UNREADABLE) from None
    content = output.getvalue()
    return {"content": content, "page_count": page_count, "sha256": hashlib.sha256(content).hexdigest()}


# One (library, input) in a child process


def child(library: str, path: str, repeat: int) -> None:
    import django

    django.setup()
    from documents.sanitize import sanitize_pdf

    if library == "pypdf":
        run = sanitize_pdf
    else:
        import pikepdf  # noqa: F401  (its import, not the run, loads qpdf)

        run = sanitize_with_pikepdf
    data = Path(path).read_bytes()
    reset_peak_rss()
    baseline = status_mb("VmRSS")
    times = []
    for _ in range(repeat):
        gc.collect()  # pypdf's object graphs are cyclic: free the last run's before the next
        started = time.perf_counter()
        result = run(data)
        times.append(time.perf_counter() - started)
    grown = status_mb("VmHWM") - baseline
    gc.collect()
    tracemalloc.start()
    run(data)
    py_peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    size = len(result.content) if hasattr(result, "content") else len(result["content"])
    print(json.dumps({"times": times, "rss": grown, "py_peak": py_peak, "out": size}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("LIBRARY", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.repeat)
        return
    try:
        import pikepdf
    except ImportError:
        libraries = ["pypdf"]
        print("pikepdf is not installed: measuring pypdf only")
    else:
        libraries = ["pypdf", "pikepdf"]
        print(f"pikepdf {pikepdf.__version__} (qpdf {pikepdf.__libqpdf_version__})")
    import pypdf

    print(f"pypdf {pypdf.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, repeat {args.repeat}")
    inputs = {"40 pages, text": document(40), "400 pages, text": document(400), "200 pages, scans": scans()}
    with tempfile.TemporaryDirectory() as folder:
        for label, data in inputs.items():
            path = Path(folder) / "input.pdf"
            path.write_bytes(data)
            for library in libraries:
                process = subprocess.run(
                    [sys.executable, __file__, "--child", library, str(path), "--repeat", str(args.repeat)],
                    capture_output=True, text=True, env={**os.environ, "DEBUG": "True"},
                )
                if process.returncode:
                    sys.exit(f"{library} on {label} failed:\n{process.stderr}")
                figures = json.loads(process.stdout.splitlines()[-1])
                times = figures["times"]
                print(
                    f"  {label:<18} {len(data) / MB:6.2f} MB  {library:<8} median {statistics.median(times):6.3f} s"
                    f" (min {min(times):.3f}, max {max(times):.3f})  rss +{figures['rss']:5.0f} MB"
                    f"  py peak {figures['py_peak']:6.1f} MB  out {figures['out'] / MB:6.2f} MB"
                )


if __name__ == "__main__":
    main()
