"""Changing the goal bank: a refresh from a Grep dump. The bank is public reference data, not a
student record, so nothing here goes to the access log."""

from pathlib import Path

from django.db import connection, transaction

from . import bank
from .grep import read_dump


def bank_refresh(*, path: Path) -> dict[str, int]:
    """Load a Grep dump (folder, zip or JSON file) into the bank; see bank.sync for what changes.
    Raises grep.DumpError when the path holds no competence goals, so a wrong path expires nothing."""
    data = read_dump(path)
    with transaction.atomic():
        counts = bank.sync(data)
    if connection.vendor == "postgresql":  # fresh statistics, or the planner scans every goal for a while
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE curriculum_curriculum, curriculum_goalset, curriculum_competencegoal")
    return {"curricula": len(data.curricula), "goal_sets": len(data.goal_sets), **counts}
