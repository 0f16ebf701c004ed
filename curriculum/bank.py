"""The goal bank's data in one shape, and writing it to the database.

Both sources end up as `BankData`: the subset shipped in data/grep_subset.json
(`shipped_data`) and a Grep dump (`curriculum.grep.read_dump`). `sync` writes
it; `add_missing` only adds what the database lacks (for data migrations after the
first). Both take the model classes as arguments so a data migration can run them
with the historical models.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace

LANGUAGES = ("nb", "nn", "en")
PUBLISHED = "publisert"
EXPIRED = "utgaatt"
SHIPPED = Path(__file__).resolve().parent / "data" / "grep_subset.json"
BATCH = 500


@dataclass
class BankData:
    """Curricula, goal sets and goals by code. Titles are {"nb": …, "nn": …, "en": …}."""

    curricula: dict[str, dict] = field(default_factory=dict)
    goal_sets: dict[str, dict] = field(default_factory=dict)
    goals: dict[str, dict] = field(default_factory=dict)


def shipped_data(path: Path = SHIPPED) -> BankData:
    """The curated subset in the repository (its source and licence are in the file)."""
    data = BankData()
    for curriculum in json.loads(path.read_text(encoding="utf-8"))["curricula"]:
        code = curriculum["code"]
        data.curricula[code] = {
            "status": curriculum["status"], "titles": curriculum["title"],
            "valid_from": parse_date(curriculum["valid_from"]), "valid_to": parse_date(curriculum["valid_to"]),
            "subject_codes": set(curriculum["subject_codes"]),
        }
        for goal_set in curriculum["goal_sets"]:
            data.goal_sets[goal_set["code"]] = {"curriculum": code, "level": goal_set["level"],
                                                "status": curriculum["status"], "titles": goal_set["title"]}
            for position, goal in enumerate(goal_set["goals"], start=1):
                data.goals[goal["code"]] = {
                    "curriculum": code, "goal_set": goal_set["code"], "status": curriculum["status"],
                    "position": position, "titles": {language: goal[language] for language in LANGUAGES},
                    "url_data": "",
                }
    return data


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def title_in(titles: dict, language: str) -> str:
    order = {"nb": ("nb", "nn", "en"), "nn": ("nn", "nb", "en"), "en": ("en", "nb", "nn")}[language]
    return next((titles[candidate] for candidate in order if titles.get(candidate)), "")


def search_fields(code: str, titles: dict) -> dict[str, str]:
    """What search matches, per language: the code and the title shown in that language, casefolded."""
    return {f"search_{language}": f"{code} {title_in(titles, language)}".casefold() for language in LANGUAGES}


def title_fields(titles: dict) -> dict[str, str]:
    return {f"title_{language}": titles.get(language, "") for language in LANGUAGES}


def real_models() -> SimpleNamespace:
    from django.apps import apps

    return historical_models(apps)


def historical_models(apps) -> SimpleNamespace:
    """The bank's models from an app registry: a data migration's historical one, or Django's."""
    return SimpleNamespace(**{name: apps.get_model("curriculum", name)
                              for name in ("Curriculum", "CurriculumSubject", "GoalSet", "CompetenceGoal")})


def on_shipped_subset(step: Callable[[BankData, SimpleNamespace], object]) -> Callable:
    """A data migration's RunPython body: `step` (add_missing, fill_missing_titles, fill_missing_subject_codes)
    with the shipped subset and the migration's historical models. The migrations after the first may run after
    manage.py grep_refresh has loaded the whole of Grep, so each step only adds what the database lacks."""
    def run(apps, schema_editor) -> None:
        step(shipped_data(), historical_models(apps))
    return run


def fill_missing_subject_codes(data: BankData, models: SimpleNamespace | None = None) -> int:
    """Give the curricula of `data` that the database has without any subject code the codes `data` gives them,
    and change nothing else: a curriculum with subject codes keeps them (manage.py grep_refresh's are Grep's
    own). Returns how many curricula gained codes."""
    models = models or real_models()
    linked = set(models.CurriculumSubject.objects.values_list("curriculum_id", flat=True))
    bare = {obj.code: obj for obj in models.Curriculum.objects.all()
            if obj.code in data.curricula and obj.pk not in linked and data.curricula[obj.code]["subject_codes"]}
    codes = BankData(curricula={code: data.curricula[code] for code in bare})
    _sync_subject_codes(models.CurriculumSubject, bare, codes)
    return len(bare)


def fill_missing_titles(data: BankData, models: SimpleNamespace | None = None) -> int:
    """Give the goals the database has without a text in a language the text `data` has for them, and change
    nothing else: a text the database has is kept (manage.py grep_refresh's may be newer). Returns how many goals
    gained a text."""
    models = models or real_models()
    changed = []
    for goal in models.CompetenceGoal.objects.all():  # no IN of 40,000 codes
        shipped = data.goals.get(goal.code)
        if shipped is None:
            continue
        titles = {language: getattr(goal, f"title_{language}") for language in LANGUAGES}
        gained = {language: text for language, text in shipped["titles"].items() if text and not titles[language]}
        if gained:
            for name, value in {**title_fields(titles | gained), **search_fields(goal.code, titles | gained)}.items():
                setattr(goal, name, value)
            changed.append(goal)
    fields = [*title_fields({}), *search_fields("", {})]
    models.CompetenceGoal.objects.bulk_update(changed, fields=fields, batch_size=BATCH)
    return len(changed)


def sync(data: BankData, models: SimpleNamespace | None = None) -> dict[str, int]:
    """Create and update what `data` holds; mark goals it no longer holds expired (never delete them:
    IOP goals keep their codes). Returns counts of goals created, changed, expired and unchanged."""
    models = models or real_models()
    curricula = _upsert(models.Curriculum, _curriculum_rows(data))
    _sync_subject_codes(models.CurriculumSubject, curricula, data)
    goal_sets = _upsert(models.GoalSet, _goal_set_rows(data, curricula))
    counts = _upsert(models.CompetenceGoal, _goal_rows(data, curricula, goal_sets), count=True)
    gone = [pk for pk, code in models.CompetenceGoal.objects.exclude(status=EXPIRED).values_list("pk", "code")
            if code not in data.goals]
    for start in range(0, len(gone), BATCH):
        models.CompetenceGoal.objects.filter(pk__in=gone[start:start + BATCH]).update(status=EXPIRED)
    counts["expired"] = len(gone)
    return counts


def add_missing(data: BankData, models: SimpleNamespace | None = None) -> dict[str, int]:
    """Create the curricula, goal sets and goals of `data` that the database lacks, and nothing else: rows it
    has keep their values and subject codes, and no goal is expired. For a data migration that may run after
    manage.py grep_refresh has loaded the whole of Grep (newer texts, every language, goals the subset lacks).
    Returns how many of each were created."""
    models = models or real_models()
    known = {model: set(model.objects.values_list("code", flat=True))
             for model in (models.Curriculum, models.GoalSet, models.CompetenceGoal)}
    new = BankData(curricula={code: c for code, c in data.curricula.items() if code not in known[models.Curriculum]})
    created = _upsert(models.Curriculum, _curriculum_rows(new))
    _sync_subject_codes(models.CurriculumSubject, created, new)
    curricula = {obj.code: obj for obj in models.Curriculum.objects.all() if obj.code in data.curricula}
    new.goal_sets = {code: s for code, s in data.goal_sets.items() if code not in known[models.GoalSet]}
    _upsert(models.GoalSet, _goal_set_rows(new, curricula))
    goal_sets = {obj.code: obj for obj in models.GoalSet.objects.all() if obj.code in data.goal_sets}
    new.goals = {code: g for code, g in data.goals.items() if code not in known[models.CompetenceGoal]}
    _upsert(models.CompetenceGoal, _goal_rows(new, curricula, goal_sets))
    return {"curricula": len(new.curricula), "goal_sets": len(new.goal_sets), "goals": len(new.goals)}


add_shipped_subset = on_shipped_subset(add_missing)  # the RunPython of migrations 0004-0009


def _curriculum_rows(data: BankData) -> dict[str, dict]:
    return {code: {"status": c["status"], "valid_from": c["valid_from"], "valid_to": c["valid_to"],
                   **title_fields(c["titles"])}
            for code, c in data.curricula.items()}


def _goal_set_rows(data: BankData, curricula: dict) -> dict[str, dict]:
    return {code: {"curriculum_id": curricula[s["curriculum"]].pk, "level": s["level"], "status": s["status"],
                   **title_fields(s["titles"])}
            for code, s in data.goal_sets.items()}


def _goal_rows(data: BankData, curricula: dict, goal_sets: dict) -> dict[str, dict]:
    return {code: {"curriculum_id": curricula[g["curriculum"]].pk,
                   "goal_set_id": goal_sets[g["goal_set"]].pk if g["goal_set"] in goal_sets else None,
                   "status": g["status"], "position": g["position"], "url_data": g["url_data"],
                   **title_fields(g["titles"]), **search_fields(code, g["titles"])}
            for code, g in data.goals.items()}


def _upsert(model, rows: dict[str, dict], count: bool = False):
    """Make the table's rows with these codes hold these values, in batches. Returns the objects by
    code, or (count=True) how many were created, changed and unchanged."""
    existing = {obj.code: obj for obj in model.objects.all() if obj.code in rows}  # no IN of 40,000 codes
    new = [model(code=code, **values) for code, values in rows.items() if code not in existing]
    changed = []
    for code, obj in existing.items():
        values = rows[code]
        if any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            changed.append(obj)
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        model.objects.bulk_update(changed, fields=list(next(iter(rows.values()))), batch_size=BATCH)
    if count:
        return {"created": len(new), "changed": len(changed), "unchanged": len(existing) - len(changed)}
    return {obj.code: obj for obj in model.objects.all() if obj.code in rows}


def _sync_subject_codes(model, curricula: dict, data: BankData) -> None:
    """Each curriculum in `data` gets exactly the subject codes `data` gives it."""
    model.objects.filter(curriculum_id__in=[curricula[code].pk for code in data.curricula]).delete()
    model.objects.bulk_create(
        [model(curriculum_id=curricula[code].pk, subject_code=subject_code)
         for code, c in data.curricula.items() for subject_code in sorted(c["subject_codes"])],
        batch_size=BATCH,
    )
