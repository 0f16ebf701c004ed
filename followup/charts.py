"""Small server-rendered charts for the IKO pages (templates/followup/_charts.html).

Two kinds of function:

- `student_absence`, `student_grade_averages` and `school_signal_counts` fetch what a chart needs,
  each in one query, whatever the number of rows;
- `absence_chart`, `grade_chart` and `signals_chart` turn that data into geometry ready for SVG:
  rectangles and points with their coordinates, axis ticks and labels. They are pure (no queries,
  nothing but their arguments), so they are tested with known data.

Coordinates are in the SVG's user units (its `viewBox`), rounded to one decimal. Every colour has
a contrast of at least 3:1 against the white page (WCAG 2.1 AA, 1.4.11); the two absence colours
also 3:1 against each other, and the segments of a stacked bar are parted by a white line. The
chart is never the only way to the numbers: the template puts a table beside it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.models import Student
from documents.charts import LINE_COLOUR, Chart, Label, LegendItem, Point, Rect, Tick, nice_ceiling
from documents.charts import chart_svg as documents_chart_svg
from documents.charts import round1 as _r
from roster.models import Absence, Grade

from .models import Signal
from .rules import NUMERIC_GRADES, AbsencePeriod

# --- Colours --------------------------------------------------------------------------------------

DOCUMENTED_COLOUR = "#0b2a63"  # 15.2:1 against white, 3.9:1 against the undocumented colour
UNDOCUMENTED_COLOUR = "#d9681a"  # 3.5:1 against white
# One colour per rule, in the order of Signal.Rule; each at least 4.5:1 against white.
RULE_COLOURS = dict(zip(Signal.Rule.values, [
    "#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207", "#be185d", "#4d7c0f",
    "#1e3a8a", "#57534e",
]))

# The terms whose average the grade chart follows, in their order within a school year.
CHART_TERMS = (Grade.Term.T1, Grade.Term.T2, Grade.Term.FINAL)
MAX_PERIODS = 8  # the absence chart shows the latest periods
MAX_TERMS = 9  # three school years of T1, T2 and final grades


# --- Data, as the charts take it ------------------------------------------------------------------

@dataclass(frozen=True)
class TermAverage:
    start_year: int
    term: str
    average: Decimal  # over the numeric grades; IV has no number
    count: int  # numeric grades in the average

    @property
    def term_label(self) -> str:
        return f"{Grade.Term(self.term).label} {self.start_year}/{self.start_year + 1}"


@dataclass(frozen=True)
class SignalCount:
    group: str
    rule: str
    count: int


def chart_svg(chart: Chart, chart_id: str, title: str) -> str:
    """The IKO chart's SVG (documents.charts draws it)."""
    return documents_chart_svg(chart, chart_id, title, css_class="iko-chart__svg")


def _number(value, decimals: int = 1) -> str:
    return formats.number_format(Decimal(value), decimals)


def _period_lines(period: AbsencePeriod) -> tuple[str, str]:
    months = f"{date_format(period.start, 'b')}–{date_format(period.end, 'b')}"
    return months, str(period.end.year) if period.start.year == period.end.year else (
        f"{period.start.year}/{str(period.end.year)[2:]}")


def absence_chart(periods: list[AbsencePeriod]) -> Chart | None:
    """Stacked columns: each period's absence in %, documented below, undocumented on top. None without data."""
    if not periods:
        return None
    width, height = 560, 220
    left, right, top, bottom = 44, 8, 10, 40
    plot = Rect(left, top, width - left - right, height - top - bottom, "", "")
    top_value, step = nice_ceiling(max(period.total for period in periods), 10)
    scale = plot.height / top_value

    def y_of(value) -> float:
        return _r(plot.y + plot.height - float(value) * scale)

    ticks = [Tick(y_of(value), f"{value} %") for value in range(0, top_value + 1, step)]
    slot = plot.width / len(periods)
    bar = min(48.0, slot * 0.6)
    rects, labels = [], []
    for n, period in enumerate(periods):
        x = _r(plot.x + slot * n + (slot - bar) / 2)
        name = " ".join(_period_lines(period))
        base = period.documented
        if period.documented:
            rects.append(Rect(x, y_of(base), _r(bar), _r(float(base) * scale), DOCUMENTED_COLOUR,
                              _("%(period)s: documented %(percent)s %%") % {
                                  "period": name, "percent": _number(period.documented)}))
        if period.undocumented:
            rects.append(Rect(x, y_of(period.total), _r(bar), _r(float(period.undocumented) * scale),
                              UNDOCUMENTED_COLOUR, _("%(period)s: undocumented %(percent)s %%") % {
                                  "period": name, "percent": _number(period.undocumented)}))
        labels.append(Label(_r(plot.x + slot * n + slot / 2), plot.y + plot.height + 16, _period_lines(period)))
    latest = periods[-1]
    summary = _("Absence in %(n)d periods; the latest, %(period)s, %(percent)s %% in all.") % {
        "n": len(periods), "period": " ".join(_period_lines(latest)), "percent": _number(latest.total)}
    return Chart("columns", width, height, plot, ticks=ticks, rects=rects, labels=labels, summary=summary,
                 legend=[LegendItem(_("Documented"), DOCUMENTED_COLOUR),
                         LegendItem(_("Undocumented"), UNDOCUMENTED_COLOUR)])


SHORT_TERMS = {"T1": "T1", "T2": "T2"}


def _term_lines(average: TermAverage) -> tuple[str, str]:
    short = SHORT_TERMS.get(average.term) or _("Final")
    return short, f"{average.start_year}/{str(average.start_year + 1)[2:]}"


def grade_chart(averages: list[TermAverage]) -> Chart | None:
    """A line through each term's grade average, on the scale 1 to 6. None without data."""
    if not averages:
        return None
    width, height = 560, 220
    left, right, top, bottom = 36, 16, 14, 40
    plot = Rect(left, top, width - left - right, height - top - bottom, "", "")
    scale = plot.height / 5  # 1 at the bottom, 6 at the top

    def y_of(value) -> float:
        return _r(plot.y + plot.height - (float(value) - 1) * scale)

    ticks = [Tick(y_of(value), str(value)) for value in range(1, 7)]
    slot = plot.width / len(averages)
    points, labels = [], []
    for n, average in enumerate(averages):
        x = _r(plot.x + slot * n + slot / 2)
        value = _number(average.average, 2)
        points.append(Point(x, y_of(average.average), f"{average.term_label}: {value}", value))
        labels.append(Label(x, plot.y + plot.height + 16, _term_lines(average)))
    latest = averages[-1]
    summary = _("Grade average in %(n)d terms; the latest, %(term)s, %(average)s.") % {
        "n": len(averages), "term": latest.term_label, "average": _number(latest.average, 2)}
    return Chart("line", width, height, plot, ticks=ticks, points=points, labels=labels, summary=summary)


def signals_chart(counts: list[SignalCount]) -> Chart | None:
    """Stacked horizontal bars: the new signals of each class, a segment per rule. None without signals."""
    counts = [count for count in counts if count.count > 0]
    if not counts:
        return None
    by_group: dict[str, dict[str, int]] = defaultdict(dict)
    for count in counts:
        by_group[count.group][count.rule] = by_group[count.group].get(count.rule, 0) + count.count
    groups = sorted(by_group)
    rules = [rule for rule in Signal.Rule.values if any(rule in row for row in by_group.values())]
    row, gap = 22, 10
    width = 560
    left, right, top, bottom = 90, 16, 8, 26
    plot_height = len(groups) * (row + gap) - gap
    height = top + plot_height + bottom
    plot = Rect(left, top, width - left - right, plot_height, "", "")
    top_value, step = nice_ceiling(max(sum(row_counts.values()) for row_counts in by_group.values()), 5)
    scale = plot.width / top_value
    ticks = [Tick(_r(plot.x + value * scale), str(value)) for value in range(0, top_value + 1, step)]
    rects, labels = [], []
    for n, group in enumerate(groups):
        y = plot.y + n * (row + gap)
        x = float(plot.x)
        for rule in rules:
            count = by_group[group].get(rule, 0)
            if not count:
                continue
            rects.append(Rect(_r(x), y, _r(count * scale), row, RULE_COLOURS[rule],
                              f"{group or '–'}: {Signal.Rule(rule).label}, {count}"))
            x += count * scale
        labels.append(Label(plot.x - 8, _r(y + row / 2 + 4), (group or "–",)))
    total = sum(count.count for count in counts)
    summary = _("%(n)d new signals in %(groups)d classes.") % {"n": total, "groups": len(groups)}
    return Chart("bars", width, height, plot, ticks=ticks, rects=rects, labels=labels, summary=summary,
                 legend=[LegendItem(Signal.Rule(rule).label, RULE_COLOURS[rule]) for rule in rules])


def signals_table(counts: list[SignalCount]) -> dict:
    """The table beside the signals chart: a row per class, a column per rule that occurs, and the totals."""
    by_group: dict[str, dict[str, int]] = defaultdict(dict)
    for count in counts:
        by_group[count.group][count.rule] = by_group[count.group].get(count.rule, 0) + count.count
    rules = [rule for rule in Signal.Rule.values if any(rule in row for row in by_group.values())]
    return {
        "columns": [Signal.Rule(rule).label for rule in rules],
        "rows": [(group or "–", [by_group[group].get(rule, 0) for rule in rules], sum(by_group[group].values()))
                 for group in sorted(by_group)],
    }


# --- Fetching (one query each) --------------------------------------------------------------------

def student_absence(student: Student) -> list[AbsencePeriod]:
    """The student's absence in all subjects, per period (the latest MAX_PERIODS), in one query."""
    rows = (Absence.objects.filter(student=student, subject_code="").order_by()
            .values_list("period_start", "period_end", "kind", "percent"))
    sums: dict[tuple[date, date], dict[str, Decimal]] = defaultdict(dict)
    for start, end, kind, percent in rows:
        sums[start, end][kind] = percent
    zero = Decimal("0")
    periods = [AbsencePeriod(start, end, kinds.get(Absence.Kind.DOCUMENTED, zero),
                             kinds.get(Absence.Kind.UNDOCUMENTED, zero))
               for (start, end), kinds in sorted(sums.items())]
    return periods[-MAX_PERIODS:]


def student_grade_averages(student: Student) -> list[TermAverage]:
    """The student's grade average per term (T1, T2, final; the latest MAX_TERMS), in one query."""
    rows = (Grade.objects.filter(student=student, term__in=CHART_TERMS, grade__in=list(NUMERIC_GRADES)).order_by()
            .values_list("school_year__start_year", "term", "grade"))
    grades: dict[tuple[int, str], list[int]] = defaultdict(list)
    for start_year, term, grade in rows:
        grades[start_year, term].append(NUMERIC_GRADES[grade])
    order = {term: n for n, term in enumerate(CHART_TERMS)}
    averages = [TermAverage(start_year, term, (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01")),
                            len(values))
                for (start_year, term), values in sorted(grades.items(), key=lambda item: (item[0][0],
                                                                                          order[item[0][1]]))]
    return averages[-MAX_TERMS:]


def school_signal_counts(students: QuerySet) -> list[SignalCount]:
    """New signals of `students` per class and rule, in one query."""
    rows = (Signal.objects.filter(student__in=students, status=Signal.Status.NEW).order_by()
            .values_list("student__group", "rule").annotate(n=Count("pk")))
    return [SignalCount(group, rule, n) for group, rule, n in rows]
