"""Each goal's progress over the year, on the school's scale: a small chart per subject (SVG drawn on the
server by documents.charts) and the same numbers as a table, for the IOP page and the IOP PDF.

`subject_progress` and `progress_chart` are pure: they take the goals (prefetched) and the scale, and make no query.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from documents.charts import Chart, Label, LegendItem, Rect, Tick, chart_svg, round1

from .deadlines import settings_for
from .models import Plan

# Half-year and annual bars: each at least 3:1 against white and against each other (3.9:1). Every bar's
# row is also labelled with its assessment, so the colours never carry the meaning alone.
HALF_YEAR_COLOUR = "#d9681a"  # 3.5:1 against white
ANNUAL_COLOUR = "#0b2a63"  # 15.2:1 against white


@dataclass(frozen=True)
class GoalProgress:
    number: int  # the goal's place in the subject, from 1
    summary: str
    half_year: str  # the step's name on the school's scale, "" when not assessed (or not to be shown)
    annual: str


@dataclass(frozen=True)
class SubjectProgress:
    goals: list[GoalProgress]
    show_half_year: bool
    show_annual: bool
    svg: SafeString | str  # "" when nothing is assessed yet


def subject_progress(subject, goals, scale: list[tuple[int, str]], *, half_year: bool,
                     annual: bool) -> SubjectProgress | None:
    """The progress of `subject`'s goals at the assessments the reader may see. None when there is
    no goal or no assessment to show."""
    goals = list(goals)
    if not goals or not (half_year or annual):
        return None
    names = dict(scale)
    rows = [GoalProgress(n, goal.summary, names.get(goal.progress_half_year, "") if half_year else "",
                         names.get(goal.progress_annual, "") if annual else "")
            for n, goal in enumerate(goals, 1)]
    values = [(n, goal.progress_half_year if half_year else None, goal.progress_annual if annual else None)
              for n, goal in enumerate(goals, 1)]
    chart = progress_chart(values, scale, half_year=half_year, annual=annual)
    title = _("Progress per goal in %(subject)s") % {"subject": subject.subject}
    svg = chart_svg(chart, f"progress-{subject.pk}", title) if chart else ""
    return SubjectProgress(rows, half_year, annual, svg)


def progress_chart(values: list[tuple[int, int | None, int | None]], scale: list[tuple[int, str]], *,
                   half_year: bool, annual: bool) -> Chart | None:
    """Horizontal bars, one row per goal and assessment, as long as the step reached.

    `values`: (goal number, half-year step, annual step). None when no step is set.
    """
    kinds = [(kind, label, colour) for kind, label, colour, shown in (
        (1, _("half-year"), HALF_YEAR_COLOUR, half_year), (2, _("annual"), ANNUAL_COLOUR, annual)) if shown]
    if not any(row[kind] for row in values for kind, _label, _colour in kinds):
        return None
    bar, inner_gap, goal_gap = 14, 2, 10
    per_goal = len(kinds) * bar + (len(kinds) - 1) * inner_gap
    width, left, right, top, bottom = 560, 130, 60, 8, 26
    plot_height = len(values) * (per_goal + goal_gap) - goal_gap
    plot = Rect(left, top, width - left - right, plot_height, "", "")
    step_width = plot.width / len(scale)
    names = dict(scale)
    ticks = [Tick(round1(plot.x + step * step_width), name) for step, name in scale]
    rects, labels = [], []
    for n, (number, *steps) in enumerate(values):
        for k, (kind, label, colour) in enumerate(kinds):
            y = plot.y + n * (per_goal + goal_gap) + k * (bar + inner_gap)
            name = _("Goal %(number)d, %(assessment)s") % {"number": number, "assessment": label}
            labels.append(Label(plot.x - 8, round1(y + bar / 2 + 4), (name,)))
            step = steps[kind - 1]
            if step:
                rects.append(Rect(plot.x, y, round1(step * step_width), bar, colour,
                                  f"{name}: {names.get(step, step)}"))
    summary = _("How far the student has come with %(n)d goals, on a scale from %(first)s to %(last)s.") % {
        "n": len(values), "first": scale[0][1], "last": scale[-1][1]}
    legend = [LegendItem(label, colour) for _kind, label, colour in kinds]
    return Chart("bars", width, top + plot_height + bottom, plot, ticks=ticks, rects=rects, labels=labels,
                 legend=legend, summary=summary)


def with_published_progress(plan, subjects) -> list:
    """The subjects with their `progress` as far as published, for the IOP PDF (which goes to the family):
    the half-year steps from stage 4 on, the annual ones at stage 5."""
    scale = settings_for(plan.student.school).scale()
    subjects = list(subjects)
    for subject in subjects:
        subject.progress = subject_progress(subject, subject.goals.all(), scale,
                                            half_year=plan.stage >= Plan.Stage.HALF_YEAR,
                                            annual=plan.stage >= Plan.Stage.ANNUAL_REPORT)
    return subjects
