"""Fixtures of the roster import tests: a fixed import day, and copies of the sample exports."""

import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from .helpers import IMPORT_DAY, SAMPLES


@pytest.fixture
def import_day(monkeypatch):
    """Every "today" (the import's leaving dates, access rules, birth-date checks) is a day in 2026/2027,
    the school year of the sample exports (used by the modules that import them)."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return IMPORT_DAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return IMPORT_DAY


@pytest.fixture
def copy_sample(tmp_path):
    """A copy of a sample export in tmp_path, to break or change."""

    def copy(name: str = "base") -> Path:
        target = tmp_path / f"export-{name}"
        shutil.copytree(SAMPLES / name, target)
        return target

    return copy
