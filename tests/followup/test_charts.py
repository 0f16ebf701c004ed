"""The IKO charts: the geometry for known data, the pages showing the SVG and its table, the empty state."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import SchoolYear
from followup import charts
from followup.charts import AbsencePeriod, SignalCount, TermAverage
from followup.models import Signal
from roster.models import Absence, Grade
from tests.factories import StudentFactory, SubjectFactory

D = Decimal


# --- Geometry (pure: no database) -------------------------------------------------------------------


def test_absence_columns_stack_documented_below_undocumented():
    chart = charts.absence_chart([
        AbsencePeriod(date(2026, 8, 15), date(2026, 10, 31), D("4"), D("2")),
        AbsencePeriod(date(2026, 11, 1), date(2026, 12, 20), D("6"), D("11")),
    ])
    # The plot is 508 × 170 from (44, 10); the axis goes to 20 % (17 rounded up to a step of 5).
    assert (chart.kind, chart.width, chart.height) == ("columns", 560, 220)
    assert [tick.label for tick in chart.ticks] == ["0 %", "5 %", "10 %", "15 %", "20 %"]
    assert [tick.position for tick in chart.ticks] == [180.0, 137.5, 95.0, 52.5, 10.0]
    documented, undocumented, documented2, undocumented2 = chart.rects
    # Two slots of 254; bars 48 wide in their middle.
    assert (documented.x, documented.width) == (147.0, 48.0)
    assert (documented.y, documented.height) == (146.0, 34.0)  # 4 % of 170/20 = 8.5 per %
    assert (undocumented.y, undocumented.height) == (129.0, 17.0)  # on top of it
    assert undocumented.y + undocumented.height == documented.y
    assert (documented2.x, documented2.y, documented2.height) == (401.0, 129.0, 51.0)
    assert (undocumented2.y, undocumented2.height) == (35.5, 93.5)
    assert documented.fill == charts.DOCUMENTED_COLOUR and undocumented.fill == charts.UNDOCUMENTED_COLOUR
    assert [label.x for label in chart.labels] == [171.0, 425.0]


def test_a_period_without_undocumented_absence_has_one_segment():
    chart = charts.absence_chart([AbsencePeriod(date(2026, 8, 15), date(2026, 10, 31), D("3"), D("0"))])
    assert len(chart.rects) == 1
    assert chart.ticks[-1].label == "10 %"  # the axis goes to 10 % at least


def test_grade_line_on_the_scale_1_to_6():
    chart = charts.grade_chart([TermAverage(2025, "standpunkt", D("4.00"), 5),
                                TermAverage(2026, "T1", D("3.50"), 6),
                                TermAverage(2026, "T2", D("2.25"), 6)])
    assert chart.kind == "line"
    assert [tick.label for tick in chart.ticks] == ["1", "2", "3", "4", "5", "6"]
    # The plot is 508 × 166 from (36, 14): 1 at y 180, 6 at y 14, 33.2 per grade.
    assert (chart.ticks[0].position, chart.ticks[-1].position) == (180.0, 14.0)
    assert [(point.x, point.y) for point in chart.points] == [(120.7, 80.4), (290.0, 97.0), (459.3, 138.5)]
    assert chart.polyline == "120.7,80.4 290.0,97.0 459.3,138.5"
    with translation.override("nb"):
        assert charts.grade_chart([TermAverage(2026, "T1", D("3.50"), 6)]).points[0].label == "3,50"
    assert chart.labels[0].lines[1] == "2025/26"


def test_signals_bars_per_class_with_a_segment_per_rule():
    chart = charts.signals_chart([SignalCount("1STA", "absence", 2), SignalCount("1STA", "wellbeing", 1),
                                  SignalCount("2STB", "core_grade", 4)])
    assert chart.kind == "bars"
    assert [label.lines for label in chart.labels] == [("1STA",), ("2STB",)]
    # The plot starts at x 90, 454 wide; the axis goes to 5 (4 rounded up, at least 5).
    assert [tick.label for tick in chart.ticks] == ["0", "1", "2", "3", "4", "5"]
    first, second, third = chart.rects
    # Segments in the order of Signal.Rule: absence before wellbeing; core_grade in the second row.
    assert (first.x, first.y, first.width, first.height) == (90.0, 8, 181.6, 22)
    assert (second.x, second.width) == (271.6, 90.8)
    assert (third.x, third.y, third.width) == (90.0, 40, 363.2)
    assert first.fill == charts.RULE_COLOURS["absence"] != second.fill
    assert chart.height == 8 + 2 * 22 + 10 + 26
    assert [item.label for item in chart.legend] == [Signal.Rule.CORE_GRADE.label, Signal.Rule.ABSENCE.label,
                                                     Signal.Rule.WELLBEING.label]
    table = charts.signals_table([SignalCount("1STA", "absence", 2), SignalCount("2STB", "core_grade", 4)])
    assert table["rows"] == [("1STA", [0, 2], 2), ("2STB", [4, 0], 4)]


def test_no_data_no_chart():
    assert charts.absence_chart([]) is None
    assert charts.grade_chart([]) is None
    assert charts.signals_chart([]) is None


def test_nice_ceiling():
    assert charts.nice_ceiling(0, 10) == (10, 2)
    assert charts.nice_ceiling(23, 10) == (25, 5)
    assert charts.nice_ceiling(87, 5) == (100, 20)


def contrast(colour: str, other: str = "#ffffff") -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(colour), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_colours_stand_out_against_the_page_and_each_other():
    colours = [charts.DOCUMENTED_COLOUR, charts.UNDOCUMENTED_COLOUR, charts.LINE_COLOUR,
               *charts.RULE_COLOURS.values()]
    assert all(contrast(colour) >= 3 for colour in colours)  # WCAG 1.4.11, non-text contrast
    assert contrast(charts.DOCUMENTED_COLOUR, charts.UNDOCUMENTED_COLOUR) >= 3
    assert set(charts.RULE_COLOURS) == set(Signal.Rule.values)
    assert len(set(charts.RULE_COLOURS.values())) == len(Signal.Rule.values)


# --- Fetching and the pages ---------------------------------------------------------------------------


@pytest.fixture
def results(minor):
    """Emma's absence in two periods (one subject's line left out) and grades in two terms."""
    def absence(start, end, kind, percent, subject_code=""):
        Absence.objects.create(student=minor, period_start=start, period_end=end, kind=kind, percent=percent,
                               subject_code=subject_code)

    absence(date(2026, 8, 15), date(2026, 10, 31), Absence.Kind.DOCUMENTED, "4.00")
    absence(date(2026, 8, 15), date(2026, 10, 31), Absence.Kind.UNDOCUMENTED, "2.50")
    absence(date(2026, 11, 1), date(2026, 12, 20), Absence.Kind.UNDOCUMENTED, "12.00")
    absence(date(2026, 11, 1), date(2026, 12, 20), Absence.Kind.UNDOCUMENTED, "40.00", "MAT1019")
    year = SchoolYear.objects.get_or_create(start_year=2026)[0]
    last_year = SchoolYear.objects.get_or_create(start_year=2025)[0]
    for code, t1, t2 in [("MAT1019", "2", "IV"), ("NOR1260", "4", "3"), ("ENG1007", "3", "2")]:
        subject = SubjectFactory(code=code)
        Grade.objects.create(student=minor, subject=subject, school_year=year, term="T1", grade=t1)
        Grade.objects.create(student=minor, subject=subject, school_year=year, term="T2", grade=t2)
        Grade.objects.create(student=minor, subject=subject, school_year=last_year, term="standpunkt", grade="5")
        Grade.objects.create(student=minor, subject=subject, school_year=year, term="eksamen", grade="1")


@pytest.mark.django_db
def test_the_student_data_is_read_in_one_query_each(minor, results):
    with CaptureQueriesContext(connection) as queries:
        absence = charts.student_absence(minor)
    assert len(queries) == 1
    assert absence == [AbsencePeriod(date(2026, 8, 15), date(2026, 10, 31), D("4.00"), D("2.50")),
                       AbsencePeriod(date(2026, 11, 1), date(2026, 12, 20), D("0"), D("12.00"))]
    with CaptureQueriesContext(connection) as queries:
        averages = charts.student_grade_averages(minor)
    assert len(queries) == 1
    # Final grades last year, then T1 and T2 (IV does not count); exams are not in the chart.
    assert averages == [TermAverage(2025, "standpunkt", D("5.00"), 3), TermAverage(2026, "T1", D("3.00"), 3),
                        TermAverage(2026, "T2", D("2.50"), 2)]


def svg_of(html: str, chart_id: str) -> str:
    match = re.search(rf'<div class="iko-chart stack" data-testid="chart-{chart_id}">(.*?)</div>\s*\n', html, re.S)
    assert match, chart_id
    return match.group(1)


@pytest.mark.django_db
def test_the_student_page_shows_the_charts_and_their_tables(client, iko_cast, minor, iko_team, results):
    client.force_login(iko_team)
    html = client.get(reverse("followup:student", args=[minor.pk])).content.decode()
    for chart_id in ("absence", "grades"):
        assert f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
        assert f'<title id="{chart_id}-title">' in html
    assert html.count("<details") >= 2 and "<table" in html
    assert "<rect" in html and "<polyline" in html
    assert "12,0 %" in html  # the table, in Norwegian
    assert "3,00" in html and "2,50" in html
    assert not re.search(r'(x|y|width|height)="\d+,\d', html)  # coordinates are not localised
    assert "style=" not in html


@pytest.mark.django_db
def test_the_student_page_without_results_says_so(client, iko_cast, minor, iko_team):
    client.force_login(iko_team)
    html = client.get(reverse("followup:student", args=[minor.pk])).content.decode()
    assert html.count('data-testid="chart-empty"') == 2
    assert 'role="img"' not in html


@pytest.mark.django_db
def test_the_overview_shows_new_signals_per_class_and_rule(client, iko_cast, minor, iko_team, school_a):
    other = StudentFactory(school=school_a, group="2STB")
    year = SchoolYear.objects.current(create=True)
    minor.group = "1STA"
    minor.save()
    for student, rule, key in [(minor, "absence", "a"), (minor, "absence", "b"), (other, "grade_trend", "")]:
        Signal.objects.create(student=student, school_year=year, rule=rule, key=key)
    Signal.objects.create(student=other, school_year=year, rule="absence", status=Signal.Status.DISMISSED)
    assert sorted(charts.school_signal_counts(school_a.students.all()), key=lambda c: c.group) == [
        SignalCount("1STA", "absence", 2), SignalCount("2STB", "grade_trend", 1)]
    client.force_login(iko_team)
    html = client.get(reverse("followup:overview", args=[school_a.pk])).content.decode()
    assert 'aria-labelledby="signals-chart-title signals-chart-desc"' in html
    assert html.count('<rect x=') == 2
    assert '<th scope="row">1STA</th><td>2</td><td>0</td><td>2</td>' in html


@pytest.mark.django_db
def test_the_overview_without_signals_says_so(client, iko_cast, iko_team, school_a):
    client.force_login(iko_team)
    html = client.get(reverse("followup:overview", args=[school_a.pk])).content.decode()
    assert 'data-testid="chart-empty"' in html and 'role="img"' not in html


@pytest.mark.django_db
def test_a_contact_teacher_sees_only_their_class_in_the_chart(client, iko_cast, minor, contact, school_a):
    year = SchoolYear.objects.current(create=True)
    Signal.objects.create(student=minor, school_year=year, rule="absence")
    Signal.objects.create(student=StudentFactory(school=school_a, group="9ZZ"), school_year=year, rule="absence")
    client.force_login(contact)
    html = client.get(reverse("followup:overview", args=[school_a.pk])).content.decode()
    assert "9ZZ" not in html


def test_the_svg_escapes_every_text_and_keeps_numbers_unlocalised():
    chart = charts.grade_chart([TermAverage(2026, "T1", D("3.50"), 2), TermAverage(2026, "T2", D("2.25"), 2)])
    svg = charts.chart_svg(chart, "grades", 'Snitt <script>alert("x")</script>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-labelledby="grades-title grades-desc"' in svg and "<polyline points=" in svg
    assert not re.search(r'(x|y|cx|cy|width|height)="\d+,\d', svg)
