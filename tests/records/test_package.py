"""records.package: struck passages never reach the PDF, withheld records show only in the cover letter, uploaded
PDFs are appended, the table of contents matches the content, and the dossier holds every record."""

import hashlib
import json
from io import BytesIO

import pytest
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from accounts.exceptions import Refused

from records import collect, package, services
from records.models import RequestItem

from .test_collect import EVENT_TEXT, MAPPING, everything  # noqa: F401  (the fixture)

STRUCK = "trenger lydbøker"
Decision, Basis = RequestItem.Decision, RequestItem.LegalBasis


# --- struck_segments and strike_fits ---

def test_every_occurrence_is_struck():
    assert package.struck_segments("a secret and a secret.", ["secret"]) == [
        ("a ", False), ("secret", True), (" and a ", False), ("secret", True), (".", False)]


def test_overlapping_and_touching_passages_merge():
    assert package.struck_segments("one two three four", ["one two", "two three"]) == [
        ("one two three", True), (" four", False)]
    assert package.struck_segments("abcdef", ["abc", "def"]) == [("abcdef", True)]
    assert package.struck_segments("aaaa", ["aa"]) == [("aaaa", True)]


def test_absent_or_empty_passages_strike_nothing():
    assert package.struck_segments("nothing here", ["secret", "", "   "]) == [("nothing here", False)]
    assert package.struck_segments("", ["x"]) == [("", False)]
    assert package.redacted("Emma and Emma", ["Emma"]) == "[unntatt] and [unntatt]"


def test_segments_join_to_the_text():
    text = "Emma leser sakte og trenger lydbøker i alle fag. Emma."
    segments = package.struck_segments(text, ["Emma", "sakte og trenger"])
    assert "".join(s for s, _ in segments) == text


def test_strike_fits():
    record = collect.Record(key="iop:1", kind="iop", title="IOP", dated=None,
                            sections=(collect.Section("A", "first text"), collect.Section("B", "second text")))
    assert package.strike_fits(record, {"section": 1, "passage": " second "})
    assert not package.strike_fits(record, {"section": 0, "passage": "second"})
    assert not package.strike_fits(record, {"section": 2, "passage": "text"})
    assert not package.strike_fits(record, {"section": -1, "passage": "text"})
    assert not package.strike_fits(record, {"section": 0, "passage": "  "})
    assert not package.strike_fits(record, {"section": "0", "passage": "first"})
    assert not package.strike_fits(record, {"passage": "first"})


# --- the released package ---

def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages]


def _section_of(record, needle: str) -> int:
    return next(n for n, s in enumerate(record.sections) if needle in s.text)


@pytest.fixture
def reviewed(everything, make_request, minor, teacher, officer):
    """Emma's request, collected and reviewed: the IOP released with a passage struck, the person case withheld,
    everything else released."""
    access_request = make_request(minor, teacher, requester_name="Frida Hansen")
    services.request_collect(access_request=access_request, by=officer)
    for item in access_request.items.all():
        if item.kind == "iop":
            plan = collect.record_for(minor, item.key)
            strikes = [{"section": _section_of(plan, MAPPING), "passage": STRUCK}]
            services.item_review(item=item, by=officer, decision=Decision.STRIKE, legal_basis=Basis.HEALTH,
                                 reason="Helseopplysning.", strikes=strikes)
        elif item.kind in ("person_case", "case_attachment"):
            services.item_review(item=item, by=officer, decision=Decision.WITHHOLD, legal_basis=Basis.CONFIDENTIALITY,
                                 reason="Taushetsplikt.", strikes=[])
        else:
            services.item_review(item=item, by=officer, decision=Decision.RELEASE, legal_basis="", reason="",
                                 strikes=[])
    access_request.refresh_from_db()
    return access_request


@pytest.fixture
def released(reviewed, officer):
    release = services.request_release(access_request=reviewed, by=officer)
    with release.pdf.open("rb") as f:
        pdf = f.read()
    with release.data.open("rb") as f:
        data = json.loads(f.read().decode("utf-8"))
    return {"request": reviewed, "release": release, "pdf": pdf, "data": data}


def test_struck_passage_is_not_in_the_pdf(released):
    text = "\n".join(pages_of(released["pdf"]))
    assert STRUCK not in text
    assert "lydbøker" not in text
    assert "[unntatt]" in text
    assert "Emma leser sakte og" in text  # the unstruck rest of the text
    assert "i alle fag" in text


def test_withheld_record_text_is_absent_but_listed(released, everything):
    text = "\n".join(pages_of(released["pdf"]))
    assert EVENT_TEXT not in text
    assert "Bekymring for heimeforhold" not in text  # the case's description
    # the cover letter's table names it, with the legal basis
    case_title = next(i.title for i in released["request"].items.all() if i.kind == "person_case")
    assert case_title.split(":")[0] in text
    data = released["data"]
    case_item = next(i for i in data["items"] if i["kind"] == "person_case")
    assert case_item["decision"] == "withhold" and case_item["legal_basis"] == Basis.CONFIDENTIALITY
    assert "sections" not in case_item and "number" not in case_item


def test_released_pdf_is_appended_and_withheld_pdf_is_not(reviewed, officer, everything):
    items = list(reviewed.items.all())
    with_doc = package.build(reviewed, items, released_by=officer)
    for item in items:
        if item.kind == "document":
            item.decision, item.legal_basis = Decision.WITHHOLD, Basis.INTERNAL
    without_doc = package.build(reviewed, items, released_by=officer)
    pages_with, pages_without = pages_of(with_doc.pdf), pages_of(without_doc.pdf)
    assert len(pages_with) == len(pages_without) + 1  # the uploaded document has one page
    assert pages_with[-1].strip() == ""  # its blank page comes last
    outline = [entry.title for entry in PdfReader(BytesIO(with_doc.pdf)).outline if not isinstance(entry, list)]
    assert any("Sakkyndig vurdering fra PPT" in title for title in outline)
    doc = next(i for i in json.loads(with_doc.json)["items"] if i["kind"] == "document")
    assert doc["file"]["pages"] == 1
    assert doc["file"]["sha256"] == hashlib.sha256(everything["document"].file.open("rb").read()).hexdigest()


def test_json_contents_match_the_released_items_and_their_order(released):
    data = released["data"]
    items = list(released["request"].items.all())
    released_items = [i for i in items if i.decision in (Decision.RELEASE, Decision.STRIKE)]
    rendered = [i.key for i in released_items if not i.whole_file]
    files = [i.key for i in released_items if i.whole_file]
    assert [c["key"] for c in data["contents"]] == rendered + files
    assert [c["number"] for c in data["contents"]] == list(range(1, len(released_items) + 1))
    assert [i["key"] for i in data["items"]] == [i.key for i in items]
    iop = next(i for i in data["items"] if i["kind"] == "iop")
    texts = "\n".join(s["text"] for s in iop["sections"])
    assert STRUCK not in texts and "[unntatt]" in texts
    assert data["request"]["id"] == released["request"].pk
    assert data["request"]["student"] == "Emma Hansen"
    assert {"requester", "received", "deadline", "answered"} <= set(data["request"])
    assert released["release"].sha256 == hashlib.sha256(released["pdf"]).hexdigest()


def test_pdf_contents_match_what_follows(released):
    pages = pages_of(released["pdf"])
    contents = released["data"]["contents"]
    with translation.override(settings.LANGUAGE_CODE):  # the package is in the school's language
        heading = translation.gettext("Contents")
    toc = next(n for n, page in enumerate(pages) if heading in page)
    for entry in contents:
        assert f"{entry['number']}. {entry['title']}" in pages[toc]
    # each rendered record starts a page after the table of contents, in the table's order
    starts = []
    for entry in (c for c in contents if not c["attached_pdf"]):
        heading = f"{entry['number']}. {entry['title']}"
        starts.append(next(n for n, page in enumerate(pages) if n > toc and heading in page))
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert len(pages) >= starts[-1] + 1 + sum(1 for c in contents if c["attached_pdf"])


def test_strike_that_no_longer_fits_refuses_the_release(reviewed, officer, everything):
    plan = everything["plan"]
    plan.mapping_academic = "Ny tekst."
    plan.save()
    with pytest.raises(Refused):
        package.build(reviewed, list(reviewed.items.all()), released_by=officer)


# --- the dossier ---

def test_dossier_holds_every_record(everything, minor, officer):
    built = package.dossier(minor, by=officer)
    data = json.loads(built.json)
    records = collect.records_of(minor)
    assert [i["key"] for i in data["items"]] == [r.key for r in records]
    assert {c["key"] for c in data["contents"]} == {r.key for r in records}
    assert all(i["decision"] == "release" for i in data["items"])
    pages = pages_of(built.pdf)
    text = "\n".join(pages)
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("Dossier of %(student)s") % {"student": "Emma Hansen"} in text
    assert MAPPING in text.replace("\n", " ")
    assert EVENT_TEXT in text.replace("\n", " ")
    assert "[unntatt]" not in text
    files = [r for r in records if r.file is not None]
    assert len(files) == 2  # the document and the case's attachment, a blank page each
    assert all(page.strip() == "" for page in pages[-2:])
    assert built.sha256 == hashlib.sha256(built.pdf).hexdigest()



def test_a_passage_is_struck_wherever_it_stands_in_the_record(reviewed, officer, everything):
    """A strike names a section; if the passage also stands in another section (or a section was added since
    the review), it is struck there too: nothing the reviewer struck leaks through a shifted index."""
    item = next(i for i in reviewed.items.all() if i.kind == "iop")
    plan = everything["plan"]
    plan.other = f"Se kartleggingen: {STRUCK}."
    plan.save()
    built = package.build(reviewed, list(reviewed.items.all()), released_by=officer)
    text = "\n".join(pages_of(built.pdf))
    assert STRUCK not in text and "Se kartleggingen:" in text
    iop = next(i for i in json.loads(built.json)["items"] if i["key"] == item.key)
    assert all(STRUCK not in s["text"] for s in iop["sections"])
