"""Reading the goal bank: which curricula a subject follows, and searching goals."""

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, When

from .forms import LEVELS, GoalSearchForm
from .models import PUBLISHED, CompetenceGoal, Curriculum

MAX_WORDS = 8
LIMIT = 25


def curricula_for_subject(subject_code: str) -> QuerySet[Curriculum]:
    """The curricula a subject code (accounts.Subject.code, e.g. MAT1019) is taught after, per Grep."""
    return Curriculum.objects.filter(subject_codes__subject_code=subject_code).distinct().order_by("code")


def search_goals(*, query: str, curriculum: Curriculum | None, language: str, level: str = "",
                 limit: int = LIMIT) -> list:
    """Published goals of `curriculum` (or of all), after `level` (or any), whose code or text in `language`
    (with fallback) holds every word of `query`, case-insensitively. No words and no curriculum: nothing."""
    words = query.casefold().split()[:MAX_WORDS]
    if not words and curriculum is None:
        return []
    goals = CompetenceGoal.objects.filter(status=PUBLISHED)
    if curriculum is not None:
        goals = goals.filter(curriculum=curriculum)
    if level:
        goals = goals.filter(at_level(level))
    for word in words:
        goals = goals.filter(**{f"search_{language}__contains": word})
    return list(goals.select_related("curriculum", "goal_set").order_by(
        "curriculum__code", level_order(), "goal_set__code", "position", "code")[:limit])


def level_order() -> Case:
    """A goal set's place among the levels (after year 1 … 10, Vg1 … Vg3; others last): year 2 before year 10,
    whatever their sets' codes."""
    return Case(*(When(goal_set__level=level, then=rank) for rank, (level, _label) in enumerate(LEVELS) if level),
                default=len(LEVELS), output_field=IntegerField())


def at_level(level: str) -> Q:
    """Goals of a goal set after `level`, also where the set names several (e.g. "vg1/vg2", one set for both)."""
    return (Q(goal_set__level=level) | Q(goal_set__level__startswith=f"{level}/")
            | Q(goal_set__level__endswith=f"/{level}") | Q(goal_set__level__contains=f"/{level}/"))


def bank_size() -> dict[str, int]:
    """How many curricula and published goals the bank holds (for the about page)."""
    return {"curricula": Curriculum.objects.count(),
            "goals": CompetenceGoal.objects.filter(status=PUBLISHED).count()}


def goal_by_code(code: str) -> CompetenceGoal | None:
    """The goal with this code, whatever its status (an IOP goal keeps the code it was taken with)."""
    return CompetenceGoal.objects.select_related("curriculum", "goal_set").filter(code=code).first()


def published_goal(code: str) -> CompetenceGoal | None:
    return CompetenceGoal.objects.filter(code=code, status=PUBLISHED).first() if code else None


@dataclass
class BankSearch:
    """The goal-bank search on a subject's page: the form, the subject's own curricula, the goal from the bank it
    starts from (the subject's last), the hits."""

    form: GoalSearchForm
    subject_curricula: list = field(default_factory=list)
    last_goal: CompetenceGoal | None = None
    results: list = field(default_factory=list)
    searched: bool = False
    limit: int = LIMIT


def bank_search(params, *, language: str, subject_code: str = "", last_code: str = "") -> BankSearch:
    """Search with the GET parameters q, laereplan and trinn. A parameter not given starts at the curriculum and
    level of `last_code`, the subject's last goal from the bank (a teacher adding goals goes on where the last one
    came from); without one, at the subject's own curriculum (Grep's link for its code), else at all."""
    subject_curricula = list(curricula_for_subject(subject_code)) if subject_code else []
    last_goal = goal_by_code(last_code) if last_code else None
    initial = _starting_point(subject_curricula, last_goal)
    searched = any(params.get(name) is not None for name in GoalSearchForm.base_fields)
    if searched and any(params.get(name) is None for name in initial):  # not chosen: the start ("" is all)
        params = params.copy()
        for name, value in initial.items():
            params.setdefault(name, value)
    form = GoalSearchForm(params if searched else None, initial=initial)
    search = BankSearch(form=form, subject_curricula=subject_curricula, last_goal=last_goal, searched=searched)
    if searched and form.is_valid():
        search.results = search_goals(query=form.cleaned_data["q"], curriculum=form.cleaned_data["laereplan"],
                                      level=form.cleaned_data["trinn"], language=language)
    return search


def _starting_point(subject_curricula: list, last_goal: CompetenceGoal | None) -> dict[str, str]:
    """The subject's last goal from the bank wins over the subject's own curriculum: an IOP in 1P often builds on
    the goals of year 7 in MAT01-06, and the next goal is most likely found where the last one was."""
    if last_goal is None:
        return {"laereplan": subject_curricula[0].code} if subject_curricula else {}
    initial = {"laereplan": last_goal.curriculum.code}
    level = last_goal.goal_set.level if last_goal.goal_set_id else ""
    if level and level in dict(LEVELS):
        initial["trinn"] = level
    return initial
