"""The archive hand-over package of one student: a zip of three files.

- `dokumenter/pakke.pdf`: the preserved records (records.package.dossier with `handover`), PDF/A while no
  uploaded PDF is appended (an appended upload makes the whole a plain PDF; see the note in records.package);
- `metadata.json`: the same records as data (titles, dates, texts, the sha256 of each appended upload);
- `arkivstruktur.xml`: the same metadata in the shape of Noark 5's arkivstruktur (arkiv → arkivdel → mappe
  per student → registrering per record → dokumentbeskrivelse → dokumentobjekt). It uses the standard's
  element names and order for the elements it has, but it is not a complete arkivuttrekk: there is no
  addml.xml, no endringslogg.xml, and it is not validated against arkivstruktur.xsd. Every record's
  dokumentobjekt points at the one PDF, with the record's number in the PDF's table of contents.
"""

import hashlib
import json
import uuid
import zipfile
from io import BytesIO
from xml.etree import ElementTree as ET

from django.utils import timezone

from . import package

NOARK = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
PDF_NAME, JSON_NAME, XML_NAME = "dokumenter/pakke.pdf", "metadata.json", "arkivstruktur.xml"


def _sub(parent, tag: str, text=None):
    element = ET.SubElement(parent, f"{{{NOARK}}}{tag}")
    if text is not None:
        element.text = str(text)
    return element


def _system_id(parent) -> None:
    _sub(parent, "systemID", uuid.uuid4())


def _created(parent, when: str, by: str) -> None:
    _sub(parent, "opprettetDato", when)
    _sub(parent, "opprettetAv", by)


def arkivstruktur(*, student, authority, contents: list[dict], items: list[dict], pdf: bytes, made_by: str) -> bytes:
    """The Noark 5-style metadata of one student's hand-over (see the module's docstring)."""
    ET.register_namespace("", NOARK)
    now = timezone.localtime().isoformat(timespec="seconds")
    number_of = {entry["key"]: entry["number"] for entry in contents}
    arkiv = ET.Element(f"{{{NOARK}}}arkiv")
    _system_id(arkiv)
    _sub(arkiv, "tittel", f"{authority.name} – elevarkiv")
    _sub(arkiv, "arkivstatus", "Avsluttet")
    _created(arkiv, now, made_by)
    arkivdel = _sub(arkiv, "arkivdel")
    _system_id(arkivdel)
    _sub(arkivdel, "tittel", "Spesialundervisning, oppfølging og elevsaker")
    _sub(arkivdel, "arkivdelstatus", "Avsluttet periode")
    _created(arkivdel, now, made_by)
    mappe = _sub(arkivdel, "mappe")
    _system_id(mappe)
    _sub(mappe, "mappeID", f"elev-{student.pk}")
    _sub(mappe, "tittel", f"{student.full_name} (født {student.birth_date.isoformat()}), {student.school.name}")
    _created(mappe, now, made_by)
    if student.left_on:
        _sub(mappe, "avsluttetDato", student.left_on.isoformat())
    for item in items:
        _registrering(mappe, item, number_of.get(item["key"]), pdf, now, made_by)
    return ET.tostring(arkiv, encoding="utf-8", xml_declaration=True)


def _registrering(mappe, item: dict, number, pdf: bytes, now: str, made_by: str) -> None:
    registrering = _sub(mappe, "registrering")
    _system_id(registrering)
    _created(registrering, item.get("date") or now, made_by)
    _sub(registrering, "arkivertDato", now)
    _sub(registrering, "arkivertAv", made_by)
    _sub(registrering, "tittel", item["title"])
    description = _sub(registrering, "dokumentbeskrivelse")
    _system_id(description)
    _sub(description, "dokumenttype", item["kind"])
    _sub(description, "dokumentstatus", "Dokumentet er ferdigstilt")
    _sub(description, "tittel", item["title"])
    _created(description, now, made_by)
    _sub(description, "tilknyttetRegistreringSom", "Hoveddokument")
    _sub(description, "dokumentnummer", number or 1)
    obj = _sub(description, "dokumentobjekt")
    _sub(obj, "versjonsnummer", 1)
    _sub(obj, "variantformat", "Arkivformat")
    _sub(obj, "format", "PDF")
    _created(obj, now, made_by)
    _sub(obj, "referanseDokumentfil", f"{PDF_NAME}#{number}" if number else PDF_NAME)
    _sub(obj, "sjekksum", hashlib.sha256(pdf).hexdigest())
    _sub(obj, "sjekksumAlgoritme", "SHA-256")
    _sub(obj, "filstoerrelse", len(pdf))


def handover_zip(student, authority, *, by) -> tuple[bytes, int]:
    """The zip for the archive, and how many records it holds."""
    built = package.dossier(student, by=by, handover=True)
    data = json.loads(built.json)
    made_by = (by.get_full_name() or by.username) if by else ""
    xml = arkivstruktur(student=student, authority=authority, contents=data["contents"], items=data["items"],
                        pdf=built.pdf, made_by=made_by)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PDF_NAME, built.pdf)
        archive.writestr(JSON_NAME, built.json)
        archive.writestr(XML_NAME, xml)
    return out.getvalue(), len(data["items"])
