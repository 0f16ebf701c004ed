"""Two more demo schools, made the way a real school's come in: by importing a OneRoster export.

The export in `demo/oneroster/base/` (its story in `demo/oneroster/README.md`) is written for
school year 2026/2027; it is imported with every date moved to this school year, so the people
are the same age and the timetable current whenever the demo is built. `demo/oneroster/next_term/`
is the same schools a term later: upload it (zipped) on the import page to see what changes.
"""

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from accounts.access import is_iop_admin
from accounts.models import School, SchoolYear, User
from accounts.services import iop_admin_grant
from roster.models import ImportRun
from roster.services import import_path

EXPORT = Path(__file__).parent / "oneroster" / "base"
EXPORT_YEAR = 2026  # the school year 2026/2027 the export was written in
DATE = re.compile(r"\b(\d{4})(?=-\d\d-\d\d)|\b(\d{4})/(\d{4})\b")


@dataclass(frozen=True)
class ImportedLogin:
    username: str
    role: str
    sees: str


IMPORTED_LOGINS = (
    ImportedLogin("hallvard.nygard@nordvik.vlfk.no", "Principal, Nordvik (imported)",
                  "Has made Kari Lunde IOP admin at Nordvik vidaregåande skule"),
    ImportedLogin("kari.lunde@nordvik.vlfk.no", "IOP admin + contact teacher 1STA, Nordvik (imported)",
                  "Every student at Nordvik, and the import page"),
    ImportedLogin("arne.saelensminde@nordvik.vlfk.no", "Contact teacher 1STB, maths, Nordvik (imported)",
                  "The students he teaches maths (1STA, 1STB)"),
    ImportedLogin("g.hauge", "Guardian at two schools (imported)",
                  "Jonas Hauge (Nordvik) and Emma Hauge (Bakketun)"),
)
IOP_ADMIN, PRINCIPAL = "kari.lunde@nordvik.vlfk.no", "hallvard.nygard@nordvik.vlfk.no"


def shifted(text: str, years: int) -> str:
    """Every date (YYYY-MM-DD) and school year (YYYY/YYYY) in the text, `years` later."""
    def later(match):
        if match.group(1):
            return str(int(match.group(1)) + years)
        return f"{int(match.group(2)) + years}/{int(match.group(3)) + years}"

    return DATE.sub(later, text)


def import_demo_roster(today) -> None:
    """Import the export, moved to this school year, unless that very export was the last one applied."""
    years = SchoolYear.start_year_of(today) - EXPORT_YEAR
    files = {path.name: shifted(path.read_text(encoding="utf-8"), years).encode() for path in EXPORT.glob("*.csv")}
    last = ImportRun.objects.filter(status=ImportRun.Status.APPLIED).order_by("-applied_at").first()
    if last is None or {(f["name"], f["sha256"]) for f in last.files} != {
            (name, hashlib.sha256(data).hexdigest()) for name, data in files.items()}:
        with tempfile.TemporaryDirectory() as folder:
            for name, data in files.items():
                (Path(folder) / name).write_bytes(data)
            run = import_path(folder)
        if run.status != ImportRun.Status.APPLIED:
            raise RuntimeError(f"the demo export did not import: {run.summary.get('errors')}")
    _grant_iop_admin()


def _grant_iop_admin() -> None:
    """As the principal would on the Tilgang page."""
    kari = User.objects.get(username=IOP_ADMIN)
    school = School.objects.get(staff_memberships__user=kari)
    if not is_iop_admin(kari, school):
        iop_admin_grant(school=school, user=kari, request=None)


def imported_login_users() -> list[User]:
    return list(User.objects.filter(username__in=[login.username for login in IMPORTED_LOGINS]))
