"""render_pdf, its URL fetcher, and merge_pdfs."""

import logging
import socket
import xml.etree.ElementTree as ET
from io import BytesIO
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from documents.pdf import (
    STATIC_BASE_URL,
    ResourceRefused,
    StaticOnlyFetcher,
    merge_pdfs,
    render_pdf,
)
from documents.sanitize import sanitize_pdf

NORWEGIAN = "Blåbærsyltetøy på skolens ÆØÅ-dag"
FONT = settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def sample(heading: str = NORWEGIAN, pages: int = 1, **context) -> bytes:
    sections = [
        {"title": f"{heading} section {n}", "paragraphs": [f"{heading} text {n}."]} for n in range(1, pages + 1)
    ]
    return render_pdf("pdf/sample.html", {"heading": heading, "sections": sections, **context})


def read(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


@pytest.fixture(scope="module")
def rendered() -> PdfReader:
    return read(sample(school="Fjordbyen videregående skole", student="Åse Ødegård", school_year="2026/27"))


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        pytest.fail(f"network connection attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def test_norwegian_text_and_header_are_in_the_pdf(rendered):
    text = rendered.pages[0].extract_text()
    assert NORWEGIAN in text
    assert "Åse Ødegård" in text and "Fjordbyen videregående skole" in text and "2026/27" in text


def test_the_vendored_font_is_embedded(rendered):
    # "IOP Sans" is the @font-face name, so the font came through the fetcher, not the system's DejaVu.
    fonts = [font.get_object() for font in rendered.pages[0]["/Resources"]["/Font"].values()]
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts]
    assert {font["/BaseFont"].split("+")[1] for font in fonts} == {"IOP-Sans", "IOP-Sans-Bold"}
    assert all("/FontFile2" in descriptor for descriptor in descriptors)


def test_it_is_pdf_a_2b(rendered):
    root = rendered.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    xmp = ET.fromstring(root["/Metadata"].get_object().get_data())
    descriptions = xmp.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
    assert {(d.get(f"{PDFAID}part"), d.get(f"{PDFAID}conformance")) for d in descriptions} - {(None, None)} == {
        ("2", "B")
    }


def test_language_defaults_to_bokmal_and_follows_the_context(rendered):
    assert rendered.trailer["/Root"]["/Lang"] == "nb"
    assert read(sample(lang="nn")).trailer["/Root"]["/Lang"] == "nn"


def test_footer_numbers_the_pages():
    with translation.override("en"):
        reader = read(sample(pages=2))
    assert [page.extract_text().splitlines()[-1] for page in reader.pages] == ["Page 1 of 2", "Page 2 of 2"]


def test_generated_pdfs_pass_the_upload_sanitizer(rendered):
    pdf = sample(pages=2)
    result = sanitize_pdf(pdf)
    assert result.page_count == 2
    assert NORWEGIAN in read(result.content).pages[0].extract_text()


# The URL fetcher


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    f"file://{FONT}",
    "http://127.0.0.1:9/x.png",
    "https://example.com/static/fonts/DejaVuSans.ttf",
    "ftp://example.com/x.png",
    "https://static.iop.invalid.example.com/static/fonts/DejaVuSans.ttf",
    f"{STATIC_BASE_URL}etc/passwd",
    f"{STATIC_BASE_URL}static/../../../../etc/passwd",
    f"{STATIC_BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
    f"{STATIC_BASE_URL}static/fonts/..%2F..%2F..%2Fiop%2Fsettings.py",
    f"{STATIC_BASE_URL}static/fonts/..\\..\\LICENSE-DejaVu.txt",
    f"{STATIC_BASE_URL}static//etc/passwd",
    f"{STATIC_BASE_URL}static/fonts/",
    f"{STATIC_BASE_URL}static/fonts/missing.ttf",
])
def test_fetcher_refuses_everything_but_static_files(url, no_network):
    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher().fetch(url)


@pytest.mark.parametrize("reference", ["/static/fonts/DejaVuSans.ttf", "static/fonts/DejaVuSans.ttf"])
def test_fetcher_serves_static_files(reference):
    response = StaticOnlyFetcher().fetch(urljoin(STATIC_BASE_URL, reference))
    assert response.read() == FONT.read_bytes()
    assert response.content_type == "font/ttf"


def test_fetcher_serves_app_static_files_too():
    response = StaticOnlyFetcher().fetch(f"{STATIC_BASE_URL}static/admin/css/base.css")
    assert response.content_type == "text/css" and response.read()


def test_fetcher_serves_data_uris():
    response = StaticOnlyFetcher().fetch("data:text/plain;base64,aGVpIMOlc2U=")
    assert response.read() == "hei åse".encode()


def test_render_skips_refused_resources_without_touching_the_network(no_network, caplog):
    hostile = ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "/static/../../etc/passwd"]
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        reader = read(sample(image_urls=hostile))
    assert NORWEGIAN in reader.pages[0].extract_text()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png"):
        assert url in caplog.text
    assert caplog.text.count("ResourceRefused") >= len(hostile)


# Merging


@pytest.fixture(scope="module")
def parts() -> list[tuple[str, bytes]]:
    return [(f"Part {name}", sample(f"Part {name}", pages=n)) for name, n in (("A", 1), ("B", 2), ("C", 3))]


def check_merged(reader: PdfReader) -> None:
    texts = [page.extract_text() for page in reader.pages]
    expected = [("A", 1), ("B", 1), ("B", 2), ("C", 1), ("C", 2), ("C", 3)]
    assert len(texts) == 6
    for text, (name, n) in zip(texts, expected, strict=True):
        assert f"Part {name} section {n}" in text
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [("Part A", 0), ("Part B", 1), ("Part C", 3)]


def test_merge_to_a_file_object_keeps_order_and_bookmarks(parts):
    out = BytesIO()
    assert merge_pdfs(parts, out) == 6
    check_merged(read(out.getvalue()))


def test_merge_reads_paths_and_writes_to_a_path(parts, tmp_path):
    paths = []
    for index, (title, pdf) in enumerate(parts):
        path = tmp_path / f"part{index}.pdf"
        path.write_bytes(pdf)
        paths.append((title, str(path) if index % 2 else path))
    assert merge_pdfs(paths, tmp_path / "merged.pdf") == 6
    check_merged(PdfReader(tmp_path / "merged.pdf"))


