"""audit is the lowest floor: it imports nothing of ours."""

import re
from pathlib import Path

import audit

OUR_APPS = ("accounts", "documents", "applications", "iop")
IMPORT = re.compile(rf"^\s*(from|import)\s+({'|'.join(OUR_APPS)})\b", re.MULTILINE)


def test_audit_imports_none_of_our_apps():
    root = Path(audit.__file__).parent
    offenders = [
        f"{path.relative_to(root)}: {match.group(0).strip()}"
        for path in sorted(root.rglob("*.py"))
        for match in IMPORT.finditer(path.read_text())
    ]
    assert offenders == []
