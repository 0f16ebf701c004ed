"""merge_pdfs: PDF/A-2b identification of the merged file, and stamps over its pages."""

import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
from django.utils import translation
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from documents.pdf import Stamp, merge_pdfs

from ..factories import text_pdf as upload  # a plain PDF like an upload: Helvetica, not embedded
from .test_pdf import sample

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "pdf": "http://ns.adobe.com/pdf/1.3/",
}


def merged(parts, **options) -> PdfReader:
    out = BytesIO()
    merge_pdfs(parts, out, **options)
    return PdfReader(BytesIO(out.getvalue()))


def xmp(reader: PdfReader) -> ET.Element:
    return ET.fromstring(reader.root_object["/Metadata"].get_object().get_data())


@pytest.fixture(scope="module")
def rendered() -> bytes:
    with translation.override("en"):
        return sample("Rendered part", pages=2)


def test_the_merged_file_carries_pdfa_2b_identification_title_and_language(rendered):
    reader = merged([("Cover", rendered), ("Upload", upload("Upload"))], title="Søknader – Vestland & co", lang="nb")
    description = xmp(reader).find(".//rdf:Description", NS)
    assert description.get(f"{{{NS['pdfaid']}}}part") == "2"
    assert description.get(f"{{{NS['pdfaid']}}}conformance") == "B"
    assert description.get(f"{{{NS['pdf']}}}Producer") == reader.metadata["/Producer"]
    assert description.find("dc:title/rdf:Alt/rdf:li", NS).text == "Søknader – Vestland & co"
    assert description.find("dc:language/rdf:Bag/rdf:li", NS).text == "nb"
    assert reader.metadata.title == "Søknader – Vestland & co"
    assert reader.root_object["/Lang"] == "nb"
    assert reader.pdf_header.startswith("%PDF-1.7") and len(reader.trailer["/ID"]) == 2


def test_the_output_intent_is_the_rendered_parts_own_srgb_profile(rendered):
    reader = merged([("Upload", upload("Upload")), ("Cover", rendered)], title="T", lang="nb")
    (intent,) = reader.root_object["/OutputIntents"]
    own = PdfReader(BytesIO(rendered)).root_object["/OutputIntents"][0]
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    assert intent["/DestOutputProfile"].get_object().get_data() == own["/DestOutputProfile"].get_object().get_data()


def test_without_a_rendered_part_the_output_intent_is_weasyprints_srgb_profile():
    reader = merged([("Upload", upload("Upload"))])
    (intent,) = reader.root_object["/OutputIntents"]
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an ICC profile's signature
    assert reader.root_object["/Lang"] == "nb"  # settings.LANGUAGE_CODE


def test_a_stamp_is_added_over_an_upload_page_without_changing_its_own_content():
    source = upload("Upload", pages=2)
    reader = merged([("Upload", source)], stamps=[Stamp("41 / 99", "Kari Nordmann – 2"), Stamp("42 / 99")])
    text = reader.pages[0].extract_text()
    assert "Upload page 1" in text and "41 / 99" in text and "Kari Nordmann – 2" in text
    assert "42 / 99" in reader.pages[1].extract_text()
    own = PdfReader(BytesIO(source)).pages[0]["/Contents"].get_object().get_data()
    contents = reader.pages[0]["/Contents"].get_object()
    assert isinstance(contents, ArrayObject) and contents[1].get_object().get_data() == own
    assert contents[0].get_object().get_data().strip() == b"q"


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_stamp_on_a_rotated_page_is_written(rotate):
    reader = merged([("Upload", upload("Upload", rotate=rotate))], stamps=[Stamp("7 / 9", "Åse Ødegård – 1")])
    text = reader.pages[0].extract_text()
    assert "7 / 9" in text and "Åse Ødegård – 1" in text


def test_a_rendered_page_loses_its_own_page_number_and_gets_the_stamp(rendered):
    before = [page.extract_text() for page in PdfReader(BytesIO(rendered)).pages]
    assert "Page 1 of 2" in before[0]
    reader = merged([("Cover", rendered)], stamps=[Stamp("Side 41 av 99", rendered=True),
                                                   Stamp("Side 42 av 99", rendered=True)])
    texts = [page.extract_text() for page in reader.pages]
    assert "Rendered part section 1" in texts[0] and "Side 41 av 99" in texts[0] and "Page 1 of 2" not in texts[0]
    assert "Side 42 av 99" in texts[1] and "Page 2 of 2" not in texts[1]


def test_stamps_must_match_the_pages(rendered):
    with pytest.raises(ValueError):
        merged([("Cover", rendered)], stamps=[Stamp("1")])
