"""Guidance for the free-text fields staff write about a student (seed 003, «Fritextfält»).

Two parts, both gentle, neither ever blocks saving:

- a guidance line per kind of text, appended to the field's help text (so it is shown by
  templates/includes/field.html and tied to the field by aria-describedby);
- a per-language word list (judgements of character, offensive words): static/js/guidance.js
  checks what is typed against it in the browser and shows a polite warning next to the field.
  Nothing about the check is sent to the server or logged.

A form opts in with `GuidedTextMixin` and a class attribute `guidance = {"field_name": "kind"}`.
The word list is `GuidanceWord`: the default list (owner blank) plus the additions of the student's
school's owner (county or municipality), edited by its records officer (records' settings page) or in the
Django admin.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# What belongs in a text, and what does not: one line per kind.
GUIDANCE = {
    "observation": _("Describe what you saw and heard, not what you think of the student."),
    "assessment": _(
        "About the student's learning and development, measured against the goals. No judgements of personality."
    ),
    "goal": _("What the student is to learn or master. Write about the learning, not about what the student is like."),
    "student_view": _("The student's own view, in the student's words where you can, not your interpretation of it."),
    "measure": _("What the school will do and how it went. Describe the help, not what the student is like."),
    "sensitive": _(
        "Sensitive details (health, family) only when they are needed for the case. No judgements of personality."
    ),
}

# The attribute static/js/guidance.js looks for on a textarea.
CHECK_ATTRIBUTE = "data-guidance-check"

WARNING = _(
    "The text contains words that may be a judgement of the student's personality, or offensive: %(words)s. "
    "Consider writing what you observed instead."
)

CACHE_SECONDS = 300
VERSION_KEY = "guidance-words-version"


class GuidedTextMixin:
    """Append the guidance line of its kind to each field named in `guidance`, and mark its widget.

    An existing help text is kept: the guidance comes after it.
    """

    guidance: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in self.guidance.items():
            guide(self.fields[name], kind)


def guide(field, kind: str) -> None:
    """Give one form field the guidance line of `kind` and the attribute the browser check looks for."""
    line = GUIDANCE[kind]
    field.help_text = format_lazy("{} {}", field.help_text, line) if field.help_text else line
    field.widget.attrs[CHECK_ATTRIBUTE] = "1"


def is_guided(field) -> bool:
    """Whether a (bound) form field carries guidance: the template then adds the word list and the script."""
    widget = getattr(getattr(field, "field", None), "widget", None)
    return bool(widget is not None and widget.attrs.get(CHECK_ATTRIBUTE))


def current_language() -> str:
    """The active language as one of settings.LANGUAGES' codes."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def words_for(language: str, owner_name: str = "") -> list[str]:
    """The word list for a language: the default list plus the owner's additions, sorted, no repeats.

    Cached per (language, owner) for a few minutes; an edit in the admin calls forget_words().
    """
    version = cache.get_or_set(VERSION_KEY, 1)
    owner_hash = hashlib.sha256(owner_name.encode()).hexdigest()[:16]
    key = f"guidance-words:{version}:{language}:{owner_hash}"
    words = cache.get(key)
    if words is None:
        from .models import GuidanceWord

        owners = {"", owner_name}
        words = sorted({
            word.strip().lower()
            for word in GuidanceWord.objects.filter(language=language, owner_name__in=owners)
            .values_list("word", flat=True)
            if word.strip()
        })
        cache.set(key, words, CACHE_SECONDS)
    return words


def forget_words() -> None:
    """Make the next page read the word lists afresh (after an edit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2)


def quoted(language: str) -> tuple[str, str]:
    return ("“", "”") if language == "en" else ("«", "»")


def page_data(owner_name: str = "") -> dict:
    """What static/js/guidance.js needs, for the active language: the words and the warning text."""
    language = current_language()
    return {
        "words": words_for(language, owner_name or ""),
        "message": str(WARNING),
        "quotes": quoted(language),
    }


# Where the student's school is found in a page's context: the first of these that is set.
OWNER_CONTEXT = ("student", "plan", "case", "application", "talk", "measure", "school")


def owner_from_context(context) -> str:
    """The owner (county or municipality) of the school of the student the page is about, or "".

    Looks at the page's usual context names: a school has `owner_name`, a student a `school`,
    a plan, case or application a `student`.
    """
    for name in OWNER_CONTEXT:
        obj = context.get(name)
        for _step in range(3):
            if obj is None or isinstance(obj, (str, int)):
                break
            owner = getattr(obj, "owner_name", None)
            if isinstance(owner, str):
                return owner
            obj = getattr(obj, "school", None) if hasattr(obj, "school") else getattr(obj, "student", None)
    return ""
