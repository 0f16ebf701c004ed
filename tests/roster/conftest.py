"""Fixtures of the roster import tests: copies of the sample exports."""

import shutil
from pathlib import Path

import pytest

from .helpers import SAMPLES


@pytest.fixture
def copy_sample(tmp_path):
    """A copy of a sample export in tmp_path, to break or change."""

    def copy(name: str = "base") -> Path:
        target = tmp_path / f"export-{name}"
        shutil.copytree(SAMPLES / name, target)
        return target

    return copy
