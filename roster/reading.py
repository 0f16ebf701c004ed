"""Reading an export: a zip or a folder of CSV files, in whatever encoding and separator Excel chose.

Nothing here trusts the file: member names are never used as paths, sizes are checked as the bytes
come (a zip may lie about them), and every problem names the file and, where there is one, the line.
"""

import csv
import hashlib
import io
import lzma
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

KNOWN_FILES = (
    "orgs.csv", "academicSessions.csv", "users.csv", "courses.csv", "classes.csv", "enrollments.csv",
    "demographics.csv", "grades.csv", "absence.csv", "admissions.csv", "results.csv", "lineItems.csv",
    "categories.csv",
)
CHUNK = 1024 * 1024


@dataclass
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self):
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class Problems(list):
    """The errors found so far; an export with any is not applied."""

    def add(self, file: str, line: int | None, message: str) -> None:
        self.append(Problem(file, line, message))


class Row:
    """One CSV row: its values by column name ("" for a column the file lacks), and its line number."""

    __slots__ = ("values", "index", "line")

    def __init__(self, values: list[str], index: dict[str, int], line: int):
        self.values, self.index, self.line = values, index, line

    def __getitem__(self, column: str) -> str:
        position = self.index.get(column)
        return self.values[position] if position is not None and position < len(self.values) else ""


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass
class Export:
    """The files found, each read into a table; `files` lists name, size and SHA-256 of each."""

    tables: dict[str, Table]
    files: list[dict]


class Unreadable(Exception):
    """The upload as a whole cannot be read (not a zip, too large, unsafe)."""


def read_export(source, problems: Problems) -> Export:
    """Read a zip (a path, or an open binary file) or a folder of CSV files."""
    raw = _folder_files(Path(source)) if _is_folder(source) else _zip_files(source)
    tables, files = {}, []
    for name, data in raw.items():
        files.append({"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        table = _parse_csv(name, data, problems)
        if table is not None:
            tables[name] = table
    if not tables and not problems:
        raise Unreadable(_("No roster files found. Expected %(names)s.") % {"names": ", ".join(KNOWN_FILES)})
    return Export(tables=tables, files=sorted(files, key=lambda f: f["name"]))


def _is_folder(source) -> bool:
    return isinstance(source, (str, Path)) and Path(source).is_dir()


def _folder_files(folder: Path) -> dict[str, bytes]:
    limit, total, found = settings.ROSTER_UNPACKED_MAX_BYTES, 0, {}
    for name in KNOWN_FILES:
        path = folder / name
        if path.is_file():
            total += path.stat().st_size
            if total > limit:
                raise Unreadable(_("The files are larger than %(mb)d MB together.") % {"mb": limit // 2**20})
            found[name] = path.read_bytes()
    return found


def _zip_files(source) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable(_("The file is not a zip archive.")) from None
    with archive:
        members = _known_members(archive)
        budget = settings.ROSTER_UNPACKED_MAX_BYTES
        found = {}
        for base, info in members.items():
            found[base] = _read_member(archive, info, budget - sum(len(d) for d in found.values()))
        return found


def _known_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The known files at the root or in one folder; a name is only ever compared, never used as a path."""
    members = {}
    for info in archive.infolist():
        parts = info.filename.replace("\\", "/").split("/")
        if info.is_dir() or len(parts) > 2 or parts[-1] not in KNOWN_FILES:
            continue
        if parts[-1] in members:
            raise Unreadable(_("The zip holds %(name)s more than once.") % {"name": parts[-1]})
        members[parts[-1]] = info
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    too_large = Unreadable(_("The files unpack to more than %(mb)d MB together.")
                           % {"mb": settings.ROSTER_UNPACKED_MAX_BYTES // 2**20})
    if info.file_size > budget:
        raise too_large
    data = bytearray()
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                data += chunk
                if len(data) > budget:  # the header lied about the size
                    raise too_large
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, ValueError, OSError, zlib.error,
            lzma.LZMAError):  # a damaged stream raises its decompressor's own error
        raise Unreadable(_("%(name)s in the zip cannot be unpacked (damaged or encrypted).")
                         % {"name": info.filename}) from None
    return bytes(data)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, which is what Norwegian Excel saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _parse_csv(name: str, data: bytes, problems: Problems) -> Table | None:
    text = decode(data)
    header_line = text.split("\n", 1)[0]
    separator = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        problems.add(name, None, _("the file is empty."))
        return None
    except csv.Error as error:
        problems.add(name, 1, str(error))
        return None
    table = Table(name=name, columns=header)
    index = {column: position for position, column in enumerate(header)}
    try:
        for values in reader:
            values = [value.strip() for value in values]
            if not any(values):
                continue
            line = reader.line_num
            if len(values) > len(header):
                problems.add(name, line, _("%(found)d fields, but the header has %(expected)d.")
                             % {"found": len(values), "expected": len(header)})
                continue
            table.rows.append(Row(values, index, line))
    except csv.Error as error:
        problems.add(name, reader.line_num, str(error))
    return table
