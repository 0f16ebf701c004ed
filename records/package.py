"""The released package and the dossier: a PDF/A and the same data as JSON.

The package is built from the records as they are when it is released (records.collect), in the school's
language. Struck passages never reach the PDF or the JSON: the text is split into segments before rendering,
and a struck segment is replaced by a black bar saying "[unntatt]". Withheld records appear only in the cover
letter's table (title, legal basis, reason). Uploaded PDFs released whole are appended after the rendered part
(documents.pdf.merge_pdfs, a bookmark per part, with the package's title and language); the merged file
then carries PDF/A-2b identification, but only the rendered pages are PDF/A as WeasyPrint makes them: the
uploaded PDFs are sanitized, not converted, so the file as a whole is not guaranteed to conform (see merge_pdfs).

The table of contents numbers the released records 1, 2, 3… in the order they stand in the PDF: first the
records rendered from the app's texts, then the uploaded PDFs appended after them.
"""

import hashlib
import json
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from pypdf import PdfReader
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.exceptions import Refused
from documents.pdf import merge_pdfs, render_pdf

from . import collect
from .access import authority_of
from .models import DEFAULT_COMPLAINT_TEXT, RecordsSettings, RequestItem
from .retention import Table, preserved_records

TEMPLATE = "pdf/records_package.html"
STRUCK = "[unntatt]"  # what stands where a passage is struck out, in the PDF and the JSON


@dataclass(frozen=True)
class Built:
    pdf: bytes
    json: bytes
    sha256: str  # of the PDF


# --- striking out ---

def _spans(text: str, passages: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of every (stripped, non-empty) passage, as merged (start, end) spans."""
    spans = []
    for passage in {p.strip() for p in passages if p and p.strip()}:
        start = text.find(passage)
        while start != -1:
            spans.append((start, start + len(passage)))
            start = text.find(passage, start + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def struck_segments(text: str, passages: list[str]) -> list[tuple[str, bool]]:
    """The text split into (segment, struck): every occurrence of every passage struck; overlapping or
    touching passages merge into one struck segment. Joining the segments gives the text back."""
    segments, at = [], 0
    for start, end in _spans(text, passages):
        if start > at:
            segments.append((text[at:start], False))
        segments.append((text[start:end], True))
        at = end
    if at < len(text) or not segments:
        segments.append((text[at:], False))
    return [(segment, struck) for segment, struck in segments if segment or not struck]


def redacted(text: str, passages: list[str]) -> str:
    """The text with each struck segment replaced by "[unntatt]"."""
    return "".join(STRUCK if struck else segment for segment, struck in struck_segments(text, passages))


def strike_fits(record, strike: dict) -> bool:
    """A strike {"section": index, "passage": text} names a section of the record whose text holds the passage."""
    if not isinstance(strike, dict):
        return False
    index, passage = strike.get("section"), strike.get("passage")
    if isinstance(index, bool) or not isinstance(index, int) or not isinstance(passage, str):
        return False
    passage = passage.strip()
    if not passage or not 0 <= index < len(record.sections):
        return False
    return passage in record.sections[index].text


def _passages(record, strikes: list[dict]) -> list[str]:
    """The passages to strike. Each must still stand in the section the reviewer marked it in (else the record
    changed since the review, and the release is refused); it is then struck wherever it stands in the record,
    so that a section added since cannot shift the strike off the text it was meant for."""
    passages = []
    for strike in strikes:
        if not strike_fits(record, strike):
            raise Refused(_("“%(title)s” has changed since it was reviewed: a struck passage is no longer where "
                            "it was. Review the record again.") % {"title": record.title})
        passages.append(strike["passage"].strip())
    return passages


# --- the parts of a package ---

@dataclass
class Part:
    """One released record as it stands in the package."""

    number: int
    record: collect.Record
    sections: list[dict] = field(default_factory=list)  # {"heading", "segments": [(text, struck)], "text"}
    pages: int | None = None  # an uploaded PDF's page count
    file_bytes: bytes | None = None
    file_sha256: str = ""

    @property
    def is_file(self) -> bool:
        return self.record.file is not None


def _part(record: collect.Record, strikes: list[dict]) -> Part:
    passages = _passages(record, strikes)
    sections = []
    for section in record.sections:
        sections.append({"heading": section.heading, "segments": struck_segments(section.text, passages),
                         "text": redacted(section.text, passages)})
    return Part(number=0, record=record, sections=sections)


def _read(file) -> bytes:
    file.open("rb")
    try:
        return file.read()
    finally:
        file.close()


def _ordered(parts: list[Part]) -> list[Part]:
    """Rendered records first, then the uploaded PDFs appended after them; numbered 1, 2, 3… in that order."""
    ordered = [p for p in parts if not p.is_file] + [p for p in parts if p.is_file]
    for number, part in enumerate(ordered, start=1):
        part.number = number
        if part.is_file:
            part.file_bytes = _read(part.record.file)
            part.file_sha256 = hashlib.sha256(part.file_bytes).hexdigest()
    return ordered


def contents(parts) -> list[dict]:
    """The table of contents: the released records in the order they stand in the package, numbered from 1.
    Takes the package's parts, or records (numbered as they would be: rendered records first, then files)."""
    parts = list(parts)
    if parts and isinstance(parts[0], collect.Record):
        records = [r for r in parts if r.file is None] + [r for r in parts if r.file is not None]
        return [{"number": n, "key": r.key, "title": r.title, "attached_pdf": r.file is not None}
                for n, r in enumerate(records, start=1)]
    return [{"number": p.number, "key": p.record.key, "title": p.record.title, "attached_pdf": p.is_file}
            for p in parts]


def _merged(rendered: bytes, parts: list[Part], cover_title: str) -> bytes:
    files = [p for p in parts if p.is_file]
    if not files:
        return rendered
    for part in files:
        part.pages = len(PdfReader(BytesIO(part.file_bytes)).pages)
    out = BytesIO()
    merge_pdfs([(cover_title, rendered), *((f"{p.number}. {p.record.title}", p.file_bytes) for p in files)], out,
               title=cover_title, lang=settings.LANGUAGE_CODE)
    return out.getvalue()


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _item_json(record: collect.Record | None, part: Part | None, item: RequestItem | None) -> dict:
    data = {
        "key": item.key if item else record.key,
        "kind": item.kind if item else record.kind,
        "title": item.title if item else record.title,
        "date": _iso(item.dated if item else record.dated),
        "decision": item.decision if item else RequestItem.Decision.RELEASE,
        "decision_label": str(item.get_decision_display()) if item else str(RequestItem.Decision.RELEASE.label),
        "legal_basis": item.legal_basis if item else "",
        "legal_basis_label": str(item.get_legal_basis_display()) if item and item.legal_basis else "",
        "reason": item.reason if item else "",
    }
    if part is not None:
        data["number"] = part.number
        if part.is_file:
            data["file"] = {"sha256": part.file_sha256, "pages": part.pages}
        else:
            data["sections"] = [{"heading": s["heading"], "text": s["text"]} for s in part.sections]
    elif record is None:
        data["missing"] = True
    return data


def _dump(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _finish(rendered: bytes, parts: list[Part], cover_title: str, data: dict) -> Built:
    pdf = _merged(rendered, parts, cover_title)
    for entry in data["items"]:  # page counts are known once merged
        match = next((p for p in parts if p.record.key == entry["key"] and p.is_file), None)
        if match is not None:
            entry["file"]["pages"] = match.pages
    return Built(pdf=pdf, json=_dump(data), sha256=hashlib.sha256(pdf).hexdigest())


def _complaint_text(authority) -> str:
    row = RecordsSettings.objects.filter(authority=authority).first()
    return str(row.complaint_text if row and row.complaint_text.strip() else DEFAULT_COMPLAINT_TEXT)


# --- the package of an access request ---

def build(access_request, items, *, released_by) -> Built:
    """The answer to an access request: cover letter (a decision per item, the legal bases, how to complain),
    table of contents, the released records (struck passages replaced), uploaded PDFs appended."""
    student = access_request.student
    items = sorted(items, key=lambda item: (item.position, item.pk or 0))
    with translation.override(settings.LANGUAGE_CODE):
        records = {record.key: record for record in collect.records_of(student)}
        rows, parts, part_of = [], [], {}
        for item in items:
            record = records.get(item.key)
            released = item.decision in (RequestItem.Decision.RELEASE, RequestItem.Decision.STRIKE)
            if released and record is not None:
                strikes = item.strikes if item.decision == RequestItem.Decision.STRIKE else []
                if strikes and record.file is not None:
                    raise Refused(_("An uploaded PDF is released whole or withheld."))
                part = _part(record, strikes)
                parts.append(part)
                part_of[item.key] = part
            rows.append({"item": item, "title": item.title, "decision": item.get_decision_display(),
                         "released": released and record is not None, "missing": record is None,
                         "struck": item.decision == RequestItem.Decision.STRIKE,
                         "legal_basis": item.get_legal_basis_display() if item.legal_basis else "",
                         "reason": item.reason})
        parts = _ordered(parts)
        for row in rows:
            part = part_of.get(row["item"].key)
            row["number"] = part.number if part else None
        today = timezone.localdate()
        context = {
            "mode": "request", "access_request": access_request, "student": student, "school": student.school,
            "authority": access_request.authority, "rows": rows, "parts": parts,
            "rendered_parts": [p for p in parts if not p.is_file], "file_parts": [p for p in parts if p.is_file],
            "complaint_text": _complaint_text(access_request.authority), "today": today,
            "released_by": released_by, "struck_text": STRUCK, "lang": settings.LANGUAGE_CODE,
        }
        rendered = render_pdf(TEMPLATE, context)
        cover_title = _("Answer to access request %(number)s") % {"number": access_request.pk}
        data = {
            "request": {
                "id": access_request.pk,
                "student": student.full_name,
                "requester": {"kind": access_request.requester_kind, "name": access_request.requester_name,
                              "relation": access_request.relation},
                "asked_for": access_request.asked_for,
                "received": _iso(access_request.received_on),
                "deadline": _iso(access_request.deadline_on),
                "answered": _iso(access_request.released_on or today),
                "answered_by": str(released_by) if released_by else "",
                "authority": access_request.authority.name,
            },
            "items": [_item_json(records.get(row["item"].key), part_of.get(row["item"].key), row["item"])
                      for row in rows],
            "contents": contents(parts),
        }
        return _finish(rendered, parts, cover_title, data)


# --- the dossier ---

def dossier(student, *, by, confidential: bool = True, handover: bool = False) -> Built:
    """Every record of the student, everything released, for the records officer's own use (no review); an adult
    student's own dossier without `confidential` (collect.records_of). With `handover`, the records the
    retention rules preserve, for the archive (records.retention.preserved_records)."""
    with translation.override(settings.LANGUAGE_CODE):
        if handover:
            records = preserved_records(student, Table(authority_of(student)))
        else:
            records = collect.records_of(student, confidential=confidential)
        parts = _ordered([_part(record, []) for record in records])
        today = timezone.localdate()
        context = {
            "mode": "handover" if handover else "dossier", "student": student, "school": student.school, "parts": parts,
            "rendered_parts": [p for p in parts if not p.is_file], "file_parts": [p for p in parts if p.is_file],
            "today": today, "made_by": by, "struck_text": STRUCK, "lang": settings.LANGUAGE_CODE,
        }
        rendered = render_pdf(TEMPLATE, context)
        cover_title = (_("Archive hand-over of %(student)s") if handover else _("Dossier of %(student)s")) % {
            "student": student.full_name}
        part_of = {p.record.key: p for p in parts}
        data = {
            "handover" if handover else "dossier": {
                "student": student.full_name, "student_id": student.pk, "birth_date": student.birth_date.isoformat(),
                "school": student.school.name, "left_on": _iso(student.left_on), "made_on": today.isoformat(),
                "made_by": str(by) if by else ""},
            "items": [_item_json(record, part_of[record.key], None) for record in records],
            "contents": contents(parts),
        }
        return _finish(rendered, parts, cover_title, data)
