"""Helpers of the roster import tests: the sample exports, a snapshot of the tables, editing a copied export."""

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

from accounts.models import (
    Enrollment,
    Guardianship,
    School,
    SchoolUserObjectPermission,
    SchoolYear,
    StaffMembership,
    Student,
    Subject,
    User,
)
from roster.models import Absence, Admission, Grade, SourceLink

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "oneroster"
BASE, NEXT_TERM = SAMPLES / "base", SAMPLES / "next_term"
NORDVIK, NORDVIK_ORG_NUMBER = "nvgs", "974100001"
# The samples are exports of school year 2026/2027; `next_term` is the January export.
IMPORT_DAY = date(2027, 1, 11)
SNAPSHOT_MODELS = [School, User, StaffMembership, SchoolUserObjectPermission, Student, Guardianship, Subject,
                   SchoolYear, Enrollment, Enrollment.teachers.through, Grade, Absence, Admission, SourceLink]
RESULT_MODELS = {Grade, Absence, Admission}


def snapshot(models=SNAPSHOT_MODELS) -> dict:
    """Every row of every table an import may touch, field by field."""
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


def roster_snapshot() -> dict:
    """The same, without the result tables (grades, absence, admissions)."""
    return snapshot([model for model in SNAPSHOT_MODELS if model not in RESULT_MODELS])


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    """Replace text in one CSV file of a copied export (the text must be there)."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(folder: Path, name: str, start: str) -> int:
    """The line number (the header is line 1) of the first line of a file starting with `start`."""
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(start))


def zipped(folder: Path) -> bytes:
    """The folder's CSV files in a zip, at its root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, path.name)
    return buffer.getvalue()


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        return reader.fieldnames, list(reader)


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)


def one_school(source: Path, target: Path, school: str = NORDVIK) -> Path:
    """The export of one school alone, as that school's system would write it."""
    target.mkdir(parents=True, exist_ok=True)
    tables = {path.name: _read(path) for path in source.glob("*.csv")}
    orgs = tables["orgs.csv"][1]
    keep_orgs = {school} | {row["parentSourcedId"] for row in orgs if row["sourcedId"] == school}
    users = [row for row in tables["users.csv"][1] if school in row["orgSourcedIds"].split(",")]
    user_ids = {row["sourcedId"] for row in users}
    for row in users:
        row["orgSourcedIds"] = school
        row["agentSourcedIds"] = ",".join(a for a in row["agentSourcedIds"].split(",") if a in user_ids)
    classes = [row for row in tables["classes.csv"][1] if row["schoolSourcedId"] == school]
    class_ids = {row["sourcedId"] for row in classes}
    kept = {
        "orgs.csv": [row for row in orgs if row["sourcedId"] in keep_orgs],
        "users.csv": users,
        "classes.csv": classes,
        "enrollments.csv": [row for row in tables["enrollments.csv"][1] if row["classSourcedId"] in class_ids],
        "demographics.csv": [row for row in tables["demographics.csv"][1] if row["sourcedId"] in user_ids],
    }
    for name in ("grades.csv", "absence.csv", "admissions.csv"):
        kept[name] = [row for row in tables[name][1] if row["studentSourcedId"] in user_ids]
    for name, (columns, rows) in tables.items():
        _write(target / name, columns, kept.get(name, rows))
    return target
