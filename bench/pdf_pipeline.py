"""Wall time and memory of the PDF pipeline (documents.pdf, documents.sanitize).

Run from the project root:  DEBUG=True .venv/bin/python bench/pdf_pipeline.py [--repeat N]

Memory figures:
- "py peak": tracemalloc peak of Python allocations during one extra, traced run
  (WeasyPrint's C libraries, Pango/HarfBuzz/FreeType, are invisible to it);
- "ru_maxrss": the process's resident-memory high-water mark after each stage
  (whole process, C included; it only ever grows, so read the increments).
"""

import argparse
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

# WeasyPrint logs progress at INFO (also while importing); it would drown the figures.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

from django.conf import settings  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject  # noqa: E402
from weasyprint import HTML  # noqa: E402

from documents.pdf import STATIC_BASE_URL, StaticOnlyFetcher, font_config, merge_pdfs, render_pdf  # noqa: E402
from documents.sanitize import sanitize_pdf  # noqa: E402

MB = 1024 * 1024


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def measure(variants: dict, repeat: int) -> None:
    """Median wall time of each variant over `repeat` rounds, variants interleaved so that
    drift (other load on the machine) hits them alike; then one traced run of each."""
    times: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(repeat):
        for label, run in variants.items():
            gc.collect()  # pypdf's object graphs are cyclic: free the last run's before timing the next
            started = time.perf_counter()
            run()
            times[label].append(time.perf_counter() - started)
    for label, run in variants.items():
        gc.collect()
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
        runs = times[label]
        print(f"  {label:<46} median {statistics.median(runs):6.3f} s (min {min(runs):.3f}, max {max(runs):.3f})"
              f"  py peak {peak:6.1f} MB")
    print(f"  {'process ru_maxrss after this stage':<46} {max_rss_mb():.0f} MB")


# Inputs


def big_upload(pages: int = 200, target_bytes: int = 19 * MB) -> bytes:
    """`pages` pages, each with a line of text and an image of random (incompressible) bytes."""
    side = int((target_bytes / pages) ** 0.5)
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    for number in range(1, pages + 1):
        image = DecodedStreamObject()
        image.set_data(os.urandom(side * side))
        image.update({
            NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(side), NameObject("/Height"): NumberObject(side),
            NameObject("/ColorSpace"): NameObject("/DeviceGray"), NameObject("/BitsPerComponent"): NumberObject(8),
        })
        content = DecodedStreamObject()
        text = f"BT /F1 14 Tf 72 760 Td (Scanned page {number}) Tj ET"
        content.set_data(f"q 400 0 0 400 97 300 cm /Im1 Do Q {text}".encode())
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
            NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): writer._add_object(image)}),
            NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/Text"), NameObject("/ImageB")]),
        })
        page[NameObject("/Contents")] = writer._add_object(content)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


PARAGRAPH = (
    "Eleven har rett til individuelt tilrettelagt opplæring. Tiltakene skal gi et forsvarlig utbytte av "
    "opplæringen, og skolen vurderer jevnlig om målene er nådd. Foreldre og elev blir hørt før vedtaket, "
    "og planen revideres ved behov. Læreren følger opp arbeidsøkter på grupperommet og gir tilbakemelding "
    "på fremgangen i norsk, matematikk og engelsk. Særlige hensyn: støy, pauser og forutsigbarhet."
)


def iop_context(sections: int = 8, rows: int = 40) -> dict:
    return {
        "heading": "Individuell opplæringsplan – skoleåret 2026/27",
        "school": "Fjordbyen videregående skole",
        "student": "Åse Ødegård",
        "school_year": "2026/27",
        "sections": [
            {"title": f"{n}. Mål og tiltak for perioden", "paragraphs": [PARAGRAPH] * 6} for n in range(1, sections + 1)
        ],
        "table": {
            "columns": ["Kompetansemål", "Tiltak", "Ansvarlig", "Evaluering"],
            "rows": [
                [f"Mål {n}: lese og forstå fagtekster", "Tilpasset lesestoff, lydbok", "Kontaktlærer", "Hver måned"]
                for n in range(1, rows + 1)
            ],
        },
    }


def render_with(html: str, variant: str | None) -> bytes:
    """render_pdf's WeasyPrint call, with the PDF variant as a parameter."""
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=font_config(), pdf_variant=variant)


def raw_weasyprint(html: str) -> bytes:
    """Plain WeasyPrint: default fetcher, its own FontConfiguration, no PDF variant."""
    static_dir = (ROOT / "static").as_uri() + "/"
    return HTML(string=html.replace(settings.STATIC_URL, static_dir)).write_pdf()


def merge_parts(count: int, part: bytes, folder: Path) -> list[tuple[str, Path]]:
    parts = []
    for number in range(1, count + 1):
        path = folder / f"part{number:03}.pdf"
        path.write_bytes(part)
        parts.append((f"Del {number}", path))
    return parts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    repeat = parser.parse_args().repeat

    print(f"process ru_maxrss after django.setup() and imports: {max_rss_mb():.0f} MB")
    upload = big_upload()
    result = sanitize_pdf(upload)
    print(f"sanitize: {len(upload) / MB:.1f} MB, {result.page_count} pages in; {result.size / MB:.1f} MB out")
    measure({"sanitize_pdf": lambda: sanitize_pdf(upload)}, repeat)

    context = iop_context()
    html = render_to_string("pdf/sample.html", context)
    pages = len(PdfReader(BytesIO(render_pdf("pdf/sample.html", context))).pages)
    print(f"render: IOP-like document, {pages} pages (first render_pdf in the process included font loading)")
    measure({
        "render_pdf (template + pdf/a-2b)": lambda: render_pdf("pdf/sample.html", context),
        "render_pdf's WeasyPrint call, plain PDF": lambda: render_with(html, None),
        "render_pdf's WeasyPrint call, pdf/a-2b": lambda: render_with(html, "pdf/a-2b"),
        "raw WeasyPrint (default fetcher, new fonts)": lambda: raw_weasyprint(html),
    }, repeat)

    part = render_pdf("pdf/sample.html", iop_context(sections=3, rows=12))
    part_pages = len(PdfReader(BytesIO(part)).pages)
    with tempfile.TemporaryDirectory() as folder:
        parts = merge_parts(90, part, Path(folder))
        out = Path(folder) / "merged.pdf"
        total = merge_pdfs(parts, out)
        print(f"merge: 90 parts of {part_pages} pages from files -> {total} pages, {out.stat().st_size / MB:.1f} MB")
        measure({"merge_pdfs": lambda: merge_pdfs(parts, out)}, repeat)


if __name__ == "__main__":
    main()
