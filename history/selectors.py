"""A text's versions, read from its history table, and the difference between two of them."""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from .texts import Text


@dataclass(frozen=True)
class Version:
    number: int  # 1 = the oldest kept
    history_id: int | None  # None: the current text, saved without a history row (before history was kept)
    saved_at: datetime | None
    saved_by: object  # a User, or None
    values: dict[str, str]
    current: bool = False


def versions(text: Text, instance) -> list[Version]:
    """The text's versions, oldest first; a save that left the text as it was is not a version.

    The last is always the text as it stands now.
    """
    rows = instance.history.select_related("history_user").order_by("history_date", "history_id")
    kept: list[Version] = []
    for row in rows:
        values = {name: getattr(row, name) for name in text.fields}
        if not kept or kept[-1].values != values:
            kept.append(Version(len(kept) + 1, row.history_id, row.history_date, row.history_user, values))
    now = {name: getattr(instance, name) for name in text.fields}
    if kept and kept[-1].values == now:
        last = kept.pop()
        kept.append(Version(last.number, last.history_id, last.saved_at, last.saved_by, last.values, current=True))
    else:
        kept.append(Version(len(kept) + 1, None, None, None, now, current=True))
    return kept


def latest_history_id(instance) -> int:
    """The newest history row of `instance` (0 if none): what a restore of a text without a version
    counter checks, to tell whether someone saved since the versions page was opened."""
    newest = instance.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True).first()
    return newest or 0


@dataclass(frozen=True)
class Part:
    text: str
    changed: bool = False  # removed (on the older side) or added (on the newer side)


@dataclass(frozen=True)
class Row:
    label: str
    older: list[list[Part]]  # lines of parts
    newer: list[list[Part]]
    changed: bool


def difference(text: Text, older: Version, newer: Version) -> list[Row]:
    """Per field, the two versions side by side, line by line, the changed words marked."""
    rows = []
    for name in text.fields:
        label = text.model._meta.get_field(name).verbose_name
        before, after = older.values[name] or "", newer.values[name] or ""
        left, right = _lines_compared(before.splitlines(), after.splitlines())
        rows.append(Row(label, left, right, before != after))
    return rows


def _lines_compared(before: list[str], after: list[str]) -> tuple[list, list]:
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            left += [[Part(line)] for line in before[i1:i2]]
            right += [[Part(line)] for line in after[j1:j2]]
        elif op == "replace" and i2 - i1 == j2 - j1:  # the same lines, changed: mark the words
            for old, new in zip(before[i1:i2], after[j1:j2]):
                old_parts, new_parts = _words_compared(old, new)
                left.append(old_parts)
                right.append(new_parts)
        else:
            left += [[Part(line, changed=True)] for line in before[i1:i2]]
            right += [[Part(line, changed=True)] for line in after[j1:j2]]
    return left, right


def _words_compared(old: str, new: str) -> tuple[list[Part], list[Part]]:
    words_old, words_new = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, words_old, words_new, autojunk=False).get_opcodes():
        changed = op != "equal"
        if i2 > i1:
            left.append(Part("".join(words_old[i1:i2]), changed))
        if j2 > j1:
            right.append(Part("".join(words_new[j1:j2]), changed))
    return left, right
