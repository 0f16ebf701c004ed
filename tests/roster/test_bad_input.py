"""Broken exports: each is rejected with its file and line and changes nothing; what Excel does to a file
(another encoding, a BOM, semicolons) is read as the same export; a hostile zip is refused without harm."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Enrollment, Guardianship, School, Student, User
from roster.models import Absence, Grade, ImportRun, SourceLink
from roster.oneroster import ROSTER_FILES
from roster.services import import_path

from .helpers import SAMPLES, edit, line_of, roster_snapshot, snapshot

pytestmark = pytest.mark.usefixtures("import_day")


def import_rejected(path) -> ImportRun:
    run = import_path(path)
    assert run.status == ImportRun.Status.REJECTED, run.summary
    assert run.summary["error_count"] == len(run.summary["errors"]) > 0
    return run


def assert_error(run: ImportRun, file: str, line: int | None, text: str) -> None:
    """One of the run's errors names the file and line and says `text`."""
    errors = run.summary["errors"]
    assert any(e["file"] == file and e["line"] == line and text in e["message"] for e in errors), errors


def message(text: str, **values) -> str:
    """A message as an import writes it: in the run's language (the site's), whether or not it is translated yet."""
    with translation.override(ImportRun._meta.get_field("language").default):
        return gettext(text) % values if values else gettext(text)


def assert_nothing_imported() -> None:
    assert [model.objects.count() for model in (User, Student, Enrollment, Guardianship, School, Grade,
                                                SourceLink)] == [0] * 7


def zip_of(folder: Path, target: Path, names: dict[str, str] | None = None) -> Path:
    """The export's files in a zip; `names` gives some files another member name."""
    names = names or {}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, names.get(path.name, path.name))
    return target


@pytest.fixture
def export(copy_sample):
    return copy_sample("base")


@pytest.fixture
def base(db):
    run = import_path(SAMPLES / "base")
    assert run.status == ImportRun.Status.APPLIED, run.summary
    return run


# --- what Excel does to a file: read as the same export ---------------------------------------------------


def rewrite(folder: Path, convert) -> None:
    for path in folder.glob("*.csv"):
        path.write_bytes(convert(path.read_text(encoding="utf-8")))


@pytest.mark.django_db
def test_windows_1252_files_import_with_the_right_letters(export):
    rewrite(export, lambda text: text.encode("cp1252"))
    assert "Sælensminde".encode("cp1252") in (export / "users.csv").read_bytes()
    assert import_path(export).status == ImportRun.Status.APPLIED
    assert User.objects.filter(last_name="Sælensminde").exists()
    assert Student.objects.filter(first_name="Sofie", last_name="Grønås").exists()
    assert set(School.objects.values_list("name", "owner_name")) == {
        ("Nordvik vidaregåande skule", "Vestland fylkeskommune"), ("Bakketun ungdomsskule", "Bjørnafjorden kommune")}


@pytest.mark.django_db
def test_utf8_with_bom_imports_as_without(export):
    rewrite(export, lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert import_path(export).status == ImportRun.Status.APPLIED
    assert Student.objects.count() == 12
    assert import_path(SAMPLES / "base").summary["counts"] == {}  # the very same export


@pytest.mark.django_db
def test_semicolon_separated_files_import_as_comma_separated(export):
    def semicolons(text: str) -> bytes:
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text)))
        return out.getvalue().encode("utf-8")

    rewrite(export, semicolons)
    assert '"3,85"' not in (export / "admissions.csv").read_text()  # the decimal comma is no longer quoted
    assert import_path(export).status == ImportRun.Status.APPLIED
    assert import_path(SAMPLES / "base").summary["counts"] == {}  # the very same export


# --- broken rows: the file, the line, nothing changed ---------------------------------------------------------


@pytest.mark.django_db
def test_an_impossible_birth_date_names_demographics_and_its_line(export):
    edit(export, "demographics.csv", "Z,2010-01-07,", "Z,31.02.2010,")  # s-nv05
    run = import_rejected(export)
    assert_error(run, "demographics.csv", line_of(export, "demographics.csv", "s-nv05"), "31.02.2010")
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_birth_date_in_the_future_is_an_error(export):
    edit(export, "demographics.csv", "Z,2010-01-07,", "Z,2030-01-07,")  # s-nv05
    run = import_rejected(export)
    assert_error(run, "demographics.csv", line_of(export, "demographics.csv", "s-nv05"), "2030-01-07")
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_missing_required_column_names_the_file_and_column(export):
    edit(export, "users.csv", ",givenName,", ",firstName,")
    run = import_rejected(export)
    assert_error(run, "users.csv", 1, "givenName")
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_duplicate_sourced_id_names_both_lines(export):
    with (export / "users.csv").open("a", encoding="utf-8") as users:
        users.write("s-nv01,,2026-08-10T06:00:00Z,true,nvgs,student,other.pupil@nordvik.vlfk.no,,Other,Pupil"
                    ",,,,,,,11,,other.pupil@nordvik.vlfk.no,\n")
    run = import_rejected(export)
    last = len((export / "users.csv").read_text().splitlines())
    first = line_of(export, "users.csv", "s-nv01")
    assert_error(run, "users.csv", last, message("%(column)s %(id)s appears twice (first on line %(first)d).",
                                                 column="sourcedId", id="s-nv01", first=first))
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_guardian_of_a_student_not_in_the_file_is_an_error(export):
    edit(export, "users.csv", "@example.com,,,s-nv01,", '@example.com,,,"s-nv01,s-nv99",')  # g-01
    run = import_rejected(export)
    assert_error(run, "users.csv", line_of(export, "users.csv", "g-01"), "s-nv99")
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_missing_roster_file_is_an_error(export):
    (export / "classes.csv").unlink()
    run = import_rejected(export)
    assert_error(run, "classes.csv", None, message("the file is missing: the roster files come together "
                                                   "(%(names)s).", names=", ".join(ROSTER_FILES)))
    assert_nothing_imported()


@pytest.mark.django_db
def test_an_empty_roster_file_is_an_error(export):
    (export / "users.csv").write_bytes(b"")
    run = import_rejected(export)
    assert_error(run, "users.csv", None, message("the file is empty."))
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_grade_out_of_range_and_an_unknown_term_name_their_lines(export):
    edit(export, "grades.csv", "s-nv01,2026/2027,MAT1019,T1,5", "s-nv01,2026/2027,MAT1019,T1,7")
    edit(export, "grades.csv", "s-nv01,2026/2027,NOR1267,T1,", "s-nv01,2026/2027,NOR1267,T3,")
    run = import_rejected(export)
    assert_error(run, "grades.csv", line_of(export, "grades.csv", "s-nv01,2026/2027,MAT1019"),
                 message("grade %(value)s is not 1–6 or IV.", value="7"))
    assert_error(run, "grades.csv", line_of(export, "grades.csv", "s-nv01,2026/2027,NOR1267"), "T3")
    assert run.summary["error_count"] == 2
    assert_nothing_imported()


@pytest.mark.django_db
def test_an_absence_percent_that_is_not_a_number_names_its_line(export):
    edit(export, "absence.csv", 'documented,"2,9"', "documented,abc")
    run = import_rejected(export)
    assert_error(run, "absence.csv", 2, "abc")
    assert_nothing_imported()


@pytest.mark.django_db
def test_taking_the_username_of_an_unrelated_account_is_an_error(export):
    stranger = User.objects.create_user("g.khaugland", password="x" * 20)
    before = snapshot()
    run = import_rejected(export)
    assert_error(run, "users.csv", line_of(export, "users.csv", "g-01"), "g.khaugland")
    assert snapshot() == before
    assert User.objects.get() == stranger


# --- the upload as a whole -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_as_a_zip_imports_as_the_folder(export, tmp_path):
    upload = zip_of(export, tmp_path / "export.zip", {name: f"eksport/{name}" for name in ("users.csv", "orgs.csv")})
    assert import_path(upload).status == ImportRun.Status.APPLIED
    assert import_path(SAMPLES / "base").summary["counts"] == {}


@pytest.mark.django_db
def test_a_path_traversal_member_is_read_past_and_nothing_is_written(export, tmp_path, monkeypatch):
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    upload = zip_of(export, tmp_path / "export.zip")
    with zipfile.ZipFile(upload, "a") as archive:
        for name in ("../../etc/users.csv", "/etc/users.csv", "..\\..\\etc\\users.csv"):
            archive.writestr(zipfile.ZipInfo(name), "sourcedId\nevil\n")
    assert "../../etc/users.csv" in zipfile.ZipFile(upload).namelist()
    run = import_path(upload)
    assert run.status == ImportRun.Status.APPLIED, run.summary  # the users.csv at the root was read
    assert Student.objects.count() == 12
    assert not (tmp_path / "etc").exists() and not (workdir / "etc").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a", "export-base", "export.zip"]


@pytest.mark.django_db
def test_a_zip_whose_only_users_csv_is_a_path_traversal_is_refused(export, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    upload = zip_of(export, tmp_path / "export.zip", {"users.csv": "../../etc/users.csv"})
    run = import_rejected(upload)
    assert_error(run, "users.csv", None, message("the file is missing: the roster files come together "
                                                 "(%(names)s).", names=", ".join(ROSTER_FILES)))
    assert not (tmp_path.parent.parent / "etc" / "users.csv").exists()
    assert_nothing_imported()


def bomb(target: Path, size: int) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.csv", b"sourcedId," + b"0" * size)
    assert target.stat().st_size < 100_000
    return target


@pytest.mark.django_db
def test_a_zip_bomb_is_refused(tmp_path, settings):
    settings.ROSTER_UNPACKED_MAX_BYTES = 2**20
    upload = bomb(tmp_path / "bomb.zip", 5 * 2**20)
    run = import_rejected(upload)
    assert_error(run, str(upload), None, message("The files unpack to more than %(mb)d MB together.", mb=1))
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_zip_bomb_that_lies_about_its_size_is_refused(tmp_path, settings):
    settings.ROSTER_UNPACKED_MAX_BYTES = 2**20
    data = bytearray(bomb(tmp_path / "bomb.zip", 5 * 2**20).read_bytes())
    size = (5 * 2**20 + len(b"sourcedId,")).to_bytes(4, "little")
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        at = data.index(header) + offset
        assert data[at:at + 4] == size
        data[at:at + 4] = (1000).to_bytes(4, "little")
    upload = tmp_path / "liar.zip"
    upload.write_bytes(bytes(data))
    run = import_rejected(upload)
    assert_error(run, str(upload), None, message("%(name)s in the zip cannot be unpacked (damaged or encrypted).",
                                                 name="users.csv"))
    assert_nothing_imported()


@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    upload = tmp_path / "export.zip"
    upload.write_text("sourcedId,name\nnvgs,Nordvik\n")
    run = import_rejected(upload)
    assert_error(run, str(upload), None, message("The file is not a zip archive."))
    assert_nothing_imported()


@pytest.mark.django_db
def test_an_empty_file_is_refused(tmp_path):
    upload = tmp_path / "export.zip"
    upload.write_bytes(b"")
    run = import_rejected(upload)
    assert_error(run, str(upload), None, message("The file is not a zip archive."))
    assert_nothing_imported()


# --- results without the roster ------------------------------------------------------------------------------


def results_zip(target: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return target


GRADES_HEADER = "studentSourcedId,schoolYear,subjectCode,term,grade\n"
ABSENCE_HEADER = "studentSourcedId,periodStart,periodEnd,subjectCode,kind,percent,days,hours\n"


def test_a_results_only_zip_updates_results_and_leaves_the_roster_alone(base, tmp_path):
    roster = roster_snapshot()
    upload = results_zip(tmp_path / "results.zip", {
        "grades.csv": GRADES_HEADER + "s-nv05,2026/2027,MAT1019,T1,2\ns-bu01,2026/2027,MAT0010,T1,4\n",
        "absence.csv": ABSENCE_HEADER + 's-nv08,2026-12-01,2026-12-20,,undocumented,"15,5",3,1\n',
    })
    run = import_path(upload)
    assert run.status == ImportRun.Status.APPLIED, run.summary
    assert run.summary["counts"] == {"grades": {"changed": 1, "new": 1}, "absence": {"new": 1}}
    assert roster_snapshot() == roster  # no student leaves though none is in the export
    assert Grade.objects.get(student__first_name="Nora", subject__code="MAT1019").grade == "2"
    assert Grade.objects.count() == 32  # results are never deleted by being absent


def test_results_for_an_unknown_student_are_an_error(base, tmp_path):
    before = snapshot()
    upload = results_zip(tmp_path / "results.zip", {
        "grades.csv": GRADES_HEADER + "s-nv05,2026/2027,MAT1019,T1,2\ns-zz99,2026/2027,MAT1019,T1,4\n"})
    run = import_rejected(upload)
    assert_error(run, "grades.csv", 3, "s-zz99")
    assert snapshot() == before


def test_results_with_more_decimals_than_stored_are_rounded_the_same_on_every_database(base, tmp_path):
    upload = results_zip(tmp_path / "results.zip", {
        "absence.csv": ABSENCE_HEADER + 's-nv08,2026-12-01,2026-12-20,,undocumented,"2,125","1,25",0.05\n'})
    assert import_path(upload).summary["counts"] == {"absence": {"new": 1}}
    again = import_path(upload)
    assert again.summary["counts"] == {}  # a second import compares equal to what was stored
    row = Absence.objects.get(period_start="2026-12-01")
    assert (str(row.percent), str(row.days), str(row.hours)) == ("2.13", "1.3", "0.1")


@pytest.mark.django_db
def test_a_damaged_zip_member_is_refused_not_a_crash(export, tmp_path):
    data = bytearray(zip_of(export, tmp_path / "export.zip").read_bytes())
    start = data.index(b"PK\x03\x04") + 30 + len("absence.csv")  # the first member's compressed data
    data[start + 2:start + 40] = bytes(b ^ 0x55 for b in data[start + 2:start + 40])
    upload = tmp_path / "damaged.zip"
    upload.write_bytes(bytes(data))
    run = import_rejected(upload)
    assert_error(run, str(upload), None, message(
        "%(name)s in the zip cannot be unpacked (damaged or encrypted).", name="absence.csv"))
    assert_nothing_imported()
