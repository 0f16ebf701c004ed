"""Reading a Grep dump (https://data.udir.no/kl06/v201906/dump/json) into `BankData`.

The dump is a zip (or the folder it unpacks to) with one JSON file per element in
folders by type: laereplaner-lk20/, kompetansemaalsett-lk20/, kompetansemaal-lk20/
and their LK06 twins laereplaner/, kompetansemaalsett/, kompetansemaal/. A file
may also hold a list of elements. Other folders (fagkoder, kjerneelementer, …) are
skipped. Texts are `tittel: {"tekst": [{"spraak": "nob", "verdi": …}, …]}` (LK20)
or a bare list of such entries (LK06); references are {"kode": …} objects, at
times wrapped in {"referanse": …}.
"""

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .bank import PUBLISHED, BankData, parse_date

FOLDER_KINDS = {
    "laereplaner-lk20": "laereplan", "laereplaner": "laereplan",
    "kompetansemaalsett-lk20": "kompetansemaalsett", "kompetansemaalsett": "kompetansemaalsett",
    "kompetansemaal-lk20": "kompetansemaal", "kompetansemaal": "kompetansemaal",
}
KINDS = set(FOLDER_KINDS.values())
MAX_CODE = 40  # the models' code length


class DumpError(ValueError):
    """The path is not a Grep dump we can read."""


def read_dump(path: Path) -> BankData:
    elements = {kind: [] for kind in KINDS}
    for folder, element in _elements(path):
        kind = _kind(element, folder)
        if kind in elements and 0 < len(str(element.get("kode") or "")) <= MAX_CODE:
            elements[kind].append(element)
    if not elements["kompetansemaal"]:
        raise DumpError(f"no competence goals found in {path}")
    data = BankData()
    for element in elements["laereplan"]:
        _add_curriculum(data, element)
    positions = {}
    for element in elements["kompetansemaalsett"]:
        positions.update(_add_goal_set(data, element))
    for element in elements["kompetansemaal"]:
        _add_goal(data, element, positions)
    return data


# --- Reading the files -----------------------------------------------------------


def _elements(path: Path) -> Iterator[tuple[str, dict]]:
    """(the folder a file is in, an element) for every JSON element in a folder, a zip or one file."""
    if path.is_dir():
        files = ((file.parent.name, file.read_bytes) for file in sorted(path.rglob("*.json")))
    elif zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        files = ((PurePosixPath(name).parent.name, lambda name=name: archive.read(name))
                 for name in sorted(archive.namelist()) if name.endswith(".json"))
    elif path.is_file():
        files = [(path.parent.name, path.read_bytes)]
    else:
        raise DumpError(f"{path} is neither a folder, a zip file nor a JSON file")
    for folder, read in files:
        try:
            content = json.loads(read())
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DumpError(f"{folder}: not JSON ({error})") from error
        for element in content if isinstance(content, list) else [content]:
            if isinstance(element, dict):
                yield folder, element


def _kind(element: dict, folder: str) -> str:
    """laereplan, kompetansemaalsett or kompetansemaal, from grep-type (…/kompetansemaal_lk20) or the folder."""
    grep_type = str(element.get("grep-type") or element.get("@type") or "")
    if grep_type:
        return grep_type.rstrip("/").rsplit("/", 1)[-1].removesuffix("_lk20")
    return FOLDER_KINDS.get(folder, "")


# --- Values ------------------------------------------------------------------------


def titles(value) -> dict[str, str]:
    """{"nb", "nn", "en"} from a tittel (or a bare string, the default language)."""
    if isinstance(value, str):
        return {"nb": value.strip(), "nn": "", "en": ""}
    entries = value.get("tekst", []) if isinstance(value, dict) else value or []
    by_language = {}
    for entry in entries:
        if isinstance(entry, dict):
            language = entry.get("spraak") or str(entry.get("noekkel", "")).rsplit("#", 1)[-1]
            by_language[language] = str(entry.get("verdi") or "").strip()
    default = by_language.get("default", "") if not by_language.get("nno") else ""
    return {
        "nb": by_language.get("nob") or default,
        "nn": by_language.get("nno", ""),
        "en": by_language.get("eng", ""),
    }


def status(value) -> str:
    """"publisert", "utgaatt", … from a status URI (…/status/status_publisert or …/status/publisert)."""
    if isinstance(value, dict):
        value = value.get("url-data") or value.get("uri") or ""
    last = str(value or "").rstrip("/").rsplit("/", 1)[-1]
    return last.removeprefix("status_")[:30] or PUBLISHED


def reference(value) -> dict:
    """The referenced element of {"kode": …}, {"referanse": {…}} or a list of them (the first)."""
    if isinstance(value, list):
        value = value[0] if value else {}
    if not isinstance(value, dict):
        return {}
    return value.get("referanse", value) if isinstance(value.get("referanse"), dict) else value


def as_list(values) -> list:
    """Grep gives one reference or a list of them."""
    return values if isinstance(values, list) else [values] if values else []


def codes(values) -> list[str]:
    return [code for value in as_list(values)
            if (code := str(reference(value).get("kode") or "")) and len(code) <= MAX_CODE]


def levels(values) -> str:
    """A goal set's levels (etter-aarstrinn): "aarstrinn10", or "vg1/vg2" for one set after two levels (the
    goal-bank search finds it at each)."""
    found = []
    for value in as_list(values):
        level = reference(value)
        code = level.get("kode") or str(level.get("noekkel", "")).rstrip("/").rsplit("/", 1)[-1]
        if code:
            found.append(str(code))
    return "/".join(found)[:40]


def _validity(element: dict, key: str):
    period = element.get("gyldighetsperiode") or {}
    value = period.get(key) or element.get(key)
    if isinstance(value, dict):
        value = value.get("dato")
    try:
        return parse_date(value) if isinstance(value, str) else None
    except ValueError:  # not a date: unknown validity rather than a failed refresh
        return None


# --- Elements ------------------------------------------------------------------------


def _add_curriculum(data: BankData, element: dict) -> None:
    subject_codes = set(codes(element.get("fagkoder")))
    for subject in element.get("opplaeringsfag") or []:
        subject_codes |= set(codes(reference(subject).get("fagkoder")))
    data.curricula[element["kode"]] = {
        "status": status(element.get("status")), "titles": titles(element.get("tittel")),
        "valid_from": _validity(element, "gyldig-fra"), "valid_to": _validity(element, "gyldig-til"),
        "subject_codes": subject_codes,
    }


def _ensure_curriculum(data: BankData, ref: dict) -> str:
    """A referenced curriculum the dump has no file for gets a row from the reference itself."""
    code = ref.get("kode", "")
    if code and code not in data.curricula:
        data.curricula[code] = {"status": status(ref.get("status")), "titles": titles(ref.get("tittel") or ""),
                                "valid_from": None, "valid_to": None, "subject_codes": set()}
    return code


def _add_goal_set(data: BankData, element: dict) -> dict[str, int]:
    """Adds the set; returns the positions of its goals, by goal code."""
    curriculum = _ensure_curriculum(data, reference(element.get("tilhoerer-laereplan")))
    if not curriculum:
        return {}
    data.goal_sets[element["kode"]] = {"curriculum": curriculum, "level": levels(element.get("etter-aarstrinn")),
                                       "status": status(element.get("status")), "titles": titles(element.get("tittel"))}
    data.curricula[curriculum]["subject_codes"] |= set(codes(element.get("etter-fag")))
    return {code: position for position, code in enumerate(codes(element.get("kompetansemaal")), start=1)}


def _add_goal(data: BankData, element: dict, positions: dict[str, int]) -> None:
    curriculum_ref = reference(element.get("tilhoerer-laereplan")) or reference(element.get("laereplan-referanser"))
    curriculum = _ensure_curriculum(data, curriculum_ref)
    if not curriculum:
        return
    code = element["kode"]
    data.goals[code] = {
        "curriculum": curriculum,
        "goal_set": reference(element.get("tilhoerer-kompetansemaalsett")).get("kode"),
        "status": status(element.get("status")),
        "position": positions.get(code) or _int(element.get("rekkefoelge")),
        "titles": titles(element.get("tittel")),
        "url_data": str(element.get("url-data") or "")[:300],
    }


def _int(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
