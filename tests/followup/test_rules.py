"""The IKO identification rules (seed 002): each at its boundary, the evidence kept, and runs that repeat."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import School, SchoolYear
from audit.models import AccessEvent
from followup.models import RuleSettings, Signal
from followup.rules import find_signals, vg_level
from followup.services import signals_find
from roster.models import Absence, Admission, Grade

from ..factories import SchoolFactory, SchoolYearFactory, StudentFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)  # school year 2026/2027
THIS, LAST = 2026, 2025
Rule = Signal.Rule


@pytest.fixture
def school(db):
    return SchoolFactory(name="Fjordbyen videregående skole")


@pytest.fixture
def vg1(school):
    return StudentFactory(school=school, group="1STA")


@pytest.fixture
def vg2(school):
    return StudentFactory(school=school, group="2STB")


@pytest.fixture
def vg3(school):
    return StudentFactory(school=school, group="3STC")


def grade(student, code, value, term=Grade.Term.T1, year=THIS):
    return Grade.objects.create(student=student, subject=SubjectFactory(code=code),
                                school_year=SchoolYearFactory(start_year=year), term=term, grade=value)


def absence(student, start, end, documented, undocumented, subject_code=""):
    for kind, percent in ((Absence.Kind.DOCUMENTED, documented), (Absence.Kind.UNDOCUMENTED, undocumented)):
        if percent is not None:
            Absence.objects.create(student=student, period_start=start, period_end=end, subject_code=subject_code,
                                   kind=kind, percent=Decimal(percent))


def admit(student, average, choice, year=THIS):
    return Admission.objects.create(student=student, school_year=SchoolYearFactory(start_year=year),
                                    grade_average=Decimal(average), choice=choice)


def run(school, today=TODAY):
    return find_signals(school=school, today=today)


def found(student, rule=None):
    """The keys found for the student (by one rule), sorted."""
    signals = Signal.objects.filter(student=student)
    if rule:
        signals = signals.filter(rule=rule)
    return sorted(signals.values_list("rule", "key") if rule is None else signals.values_list("key", flat=True))


def only(student, rule):
    return Signal.objects.get(student=student, rule=rule)


# --- The level -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("group, level", [
    ("1STA", 1), ("2STB", 2), ("3STC", 3), ("3", 3), (" 2ST", 2), ("STA", None), ("", None), ("4PB", None),
    ("ST1A", None),
])
def test_the_level_is_the_leading_digit_of_the_group(school, group, level):
    assert vg_level(StudentFactory.build(school=school, group=group)) == level


def test_a_school_that_is_not_upper_secondary_has_no_levels(db):
    school = SchoolFactory(kind=School.Kind.LOWER_SECONDARY, owner_kind=School.OwnerKind.MUNICIPALITY)
    assert vg_level(StudentFactory.build(school=school, group="1A")) is None


# --- Vg1: the admission -------------------------------------------------------------------------------

@pytest.mark.parametrize("average, flagged", [("2.49", True), ("2.50", False), ("1.00", True), ("4.20", False)])
def test_first_choice_below_two_and_a_half(school, vg1, average, flagged):
    admit(vg1, average, Admission.Choice.FIRST)
    counts = run(school)
    assert counts[Rule.FIRST_CHOICE_AVERAGE] == int(flagged)
    assert found(vg1) == ([(Rule.FIRST_CHOICE_AVERAGE, "")] if flagged else [])


@pytest.mark.parametrize("average, flagged", [("3.00", True), ("3.01", False), ("2.10", True)])
def test_lower_choice_at_most_three(school, vg1, average, flagged):
    admit(vg1, average, Admission.Choice.LOWER)
    run(school)
    assert found(vg1) == ([(Rule.LOWER_CHOICE_AVERAGE, "")] if flagged else [])


def test_the_admission_evidence(school, vg1):
    admit(vg1, "2.49", Admission.Choice.FIRST)
    run(school)
    signal = only(vg1, Rule.FIRST_CHOICE_AVERAGE)
    assert signal.evidence == {"school_year": "2026/2027", "grade_average": "2.49", "choice": "first",
                               "limit": {"below": "2.50"}}
    assert (signal.found_on, signal.school_year.start_year, signal.reported_by, signal.status) == (
        TODAY, THIS, None, Signal.Status.NEW)


def test_the_admission_counts_only_in_vg1_and_only_this_year(school, vg1, vg2):
    admit(vg2, "2.00", Admission.Choice.FIRST)
    admit(vg1, "2.00", Admission.Choice.FIRST, year=LAST)
    run(school)
    assert not Signal.objects.exists()


# --- Vg1: IV, 1 or 2 in maths, English, Norwegian -----------------------------------------------------

@pytest.mark.parametrize("code, value, flagged", [
    ("MAT1019", "IV", True), ("MAT1019", "1", True), ("MAT1019", "2", True), ("MAT1019", "3", False),
    ("ENG1007", "2", True), ("NOR1260", "1", True), ("NOR1260", "3", False),
    ("NAT1007", "1", False), ("KRO1019", "IV", False), ("SAF1001", "2", False),
])
def test_low_grade_in_a_core_subject(school, vg1, code, value, flagged):
    grade(vg1, code, value)
    counts = run(school)
    assert found(vg1, Rule.CORE_GRADE) == ([code] if flagged else [])
    assert counts[Rule.CORE_GRADE] == int(flagged)


@pytest.mark.parametrize("term, year, flagged", [
    (Grade.Term.T1, THIS, True), (Grade.Term.T2, THIS, True), (Grade.Term.ADMISSION, LAST, True),
    (Grade.Term.ADMISSION, THIS, True), (Grade.Term.FINAL, LAST, False), (Grade.Term.T2, LAST, False),
])
def test_core_grades_of_this_year_or_from_lower_secondary(school, vg1, term, year, flagged):
    grade(vg1, "MAT0010", "2", term=term, year=year)
    run(school)
    assert found(vg1, Rule.CORE_GRADE) == (["MAT0010"] if flagged else [])


def test_a_core_subject_is_one_finding_with_all_its_low_grades(school, vg1):
    grade(vg1, "MAT1019", "1", term=Grade.Term.T1)
    grade(vg1, "MAT1019", "2", term=Grade.Term.ADMISSION, year=LAST)
    grade(vg1, "ENG1007", "5")
    run(school)
    signal = only(vg1, Rule.CORE_GRADE)
    assert (signal.key, signal.evidence) == ("MAT1019", {
        "subject": "MAT1019",
        "grades": [{"subject": "MAT1019", "term": "inntak", "school_year": "2025/2026", "grade": "2"},
                   {"subject": "MAT1019", "term": "T1", "school_year": "2026/2027", "grade": "1"}],
        "low_grades": ["1", "2", "IV"]})


def test_core_grades_count_only_in_vg1(school, vg2, vg3):
    for student in (vg2, vg3):
        grade(student, "MAT1021", "2")
    run(school)
    assert not Signal.objects.filter(rule=Rule.CORE_GRADE).exists()


# --- Absence over 10 % -------------------------------------------------------------------------------

@pytest.mark.parametrize("documented, undocumented, flagged", [
    ("6.00", "4.00", False), ("6.00", "4.10", True), ("10.00", None, False), (None, "10.10", True),
    ("0", "0", False),
])
def test_absence_over_ten_percent_documented_and_undocumented_together(
        school, vg1, documented, undocumented, flagged):
    absence(vg1, date(2026, 8, 17), date(2026, 11, 30), documented, undocumented)
    counts = run(school)
    assert found(vg1, Rule.ABSENCE) == (["2026-08-17/2026-11-30"] if flagged else [])
    assert counts[Rule.ABSENCE] == int(flagged)


def test_the_absence_evidence(school, vg1):
    absence(vg1, date(2026, 8, 17), date(2026, 11, 30), "6.0", "4.1")
    run(school)
    assert only(vg1, Rule.ABSENCE).evidence == {
        "period": {"start": "2026-08-17", "end": "2026-11-30", "documented": "6.00", "undocumented": "4.10",
                   "total": "10.10"},
        "over_percent": "10.00"}


def test_absence_in_one_subject_or_an_earlier_year_does_not_count(school, vg1):
    absence(vg1, date(2026, 8, 17), date(2026, 11, 30), "30", "30", subject_code="MAT1019")
    absence(vg1, date(2026, 1, 5), date(2026, 6, 19), "20", "20")
    absence(vg1, date(2026, 8, 17), date(2026, 11, 30), "2", "2")
    run(school)
    assert found(vg1, Rule.ABSENCE) == []


def test_absence_counts_at_every_level_and_each_period_is_its_own_finding(school, vg2, vg3):
    nolevel = StudentFactory(school=school, group="PBA")
    for student in (vg2, vg3, nolevel):
        absence(student, date(2026, 8, 17), date(2026, 9, 30), "11", "0")
    absence(vg3, date(2026, 10, 1), date(2026, 11, 30), "0", "12")
    assert run(school)[Rule.ABSENCE] == 4
    assert found(vg3, Rule.ABSENCE) == ["2026-08-17/2026-09-30", "2026-10-01/2026-11-30"]


# --- Vg2 and Vg3: 1 or IV in T2, final assessment or exam -------------------------------------------

@pytest.mark.parametrize("group, flagged", [("1STA", False), ("2STA", True), ("3STA", True), ("VG2", False)])
def test_low_grade_from_an_earlier_year_in_vg2_and_vg3(school, group, flagged):
    student = StudentFactory(school=school, group=group)
    grade(student, "NAT1007", "1", term=Grade.Term.T2, year=LAST)
    run(school)
    assert found(student, Rule.LOW_GRADE) == (["NAT1007/2025/T2"] if flagged else [])


@pytest.mark.parametrize("term, year, value, flagged", [
    (Grade.Term.T2, LAST, "1", True), (Grade.Term.FINAL, LAST, "IV", True), (Grade.Term.EXAM, 2024, "1", True),
    (Grade.Term.T1, LAST, "1", False), (Grade.Term.ADMISSION, 2024, "1", False),
    (Grade.Term.T2, LAST, "2", False), (Grade.Term.FINAL, THIS, "1", False), (Grade.Term.T2, THIS, "IV", False),
])
def test_low_grade_terms_and_years(school, vg3, term, year, value, flagged):
    grade(vg3, "SAM3053", value, term=term, year=year)
    run(school)
    assert found(vg3, Rule.LOW_GRADE) == ([f"SAM3053/{year}/{term}"] if flagged else [])


def test_the_low_grade_evidence_and_one_finding_per_grade(school, vg2):
    grade(vg2, "MAT1021", "1", term=Grade.Term.FINAL, year=LAST)
    grade(vg2, "MAT1021", "IV", term=Grade.Term.EXAM, year=LAST)
    assert run(school)[Rule.LOW_GRADE] == 2
    signal = Signal.objects.get(student=vg2, key="MAT1021/2025/eksamen")
    assert signal.evidence == {
        "grades": [{"subject": "MAT1021", "term": "eksamen", "school_year": "2025/2026", "grade": "IV"}],
        "low_grades": ["1", "IV"]}


# --- Trends ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("now, flagged", [("8.00", True), ("7.99", False), ("9.50", True)])
def test_absence_rising_by_five_points(school, vg2, now, flagged):
    absence(vg2, date(2026, 8, 17), date(2026, 9, 30), "1.00", "2.00")
    absence(vg2, date(2026, 10, 1), date(2026, 11, 30), "0", now)
    run(school)
    assert found(vg2, Rule.ABSENCE_TREND) == (
        ["2026-08-17/2026-09-30→2026-10-01/2026-11-30"] if flagged else [])


def test_absence_rising_against_last_years_last_period(school, vg2):
    absence(vg2, date(2025, 8, 18), date(2025, 12, 19), "1", "1")  # two periods back: not compared
    absence(vg2, date(2026, 1, 5), date(2026, 6, 19), "2", "1")
    absence(vg2, date(2026, 8, 17), date(2026, 11, 30), "4", "4")
    run(school)
    signal = only(vg2, Rule.ABSENCE_TREND)
    assert signal.key == "2026-01-05/2026-06-19→2026-08-17/2026-11-30"
    assert signal.evidence == {
        "previous": {"start": "2026-01-05", "end": "2026-06-19", "documented": "2.00", "undocumented": "1.00",
                     "total": "3.00"},
        "period": {"start": "2026-08-17", "end": "2026-11-30", "documented": "4.00", "undocumented": "4.00",
                   "total": "8.00"},
        "rise": "5.00", "rise_at_least": "5.00"}


def test_absence_falling_or_rising_last_year_is_no_trend(school, vg2):
    absence(vg2, date(2025, 8, 18), date(2025, 12, 19), "0", "0")
    absence(vg2, date(2026, 1, 5), date(2026, 6, 19), "9", "9")  # rose last year
    absence(vg2, date(2026, 8, 17), date(2026, 11, 30), "1", "0")  # fell
    run(school)
    assert found(vg2, Rule.ABSENCE_TREND) == []


@pytest.mark.parametrize("t2, flagged", [(("3", "3"), True), (("3", "4"), False), (("2", "3"), True)])
def test_grade_average_falling_from_t1_to_t2(school, vg2, t2, flagged):
    for code, t1_value, t2_value in zip(("NOR1262", "SAM3053"), ("4", "4"), t2):
        grade(vg2, code, t1_value, term=Grade.Term.T1)
        grade(vg2, code, t2_value, term=Grade.Term.T2)
    run(school)
    assert found(vg2, Rule.GRADE_TREND) == (["T1→T2"] if flagged else [])


def test_grade_average_falling_from_last_years_final_grades_to_t1(school, vg2):
    grade(vg2, "NOR1260", "5", term=Grade.Term.FINAL, year=LAST)
    grade(vg2, "MAT1019", "4", term=Grade.Term.FINAL, year=LAST)
    grade(vg2, "MAT1019", "1", term=Grade.Term.T2, year=LAST)  # neither compared nor in the average
    grade(vg2, "NOR1262", "3", term=Grade.Term.T1)
    grade(vg2, "SAM3053", "IV", term=Grade.Term.T1)  # IV has no number
    run(school)
    signal = only(vg2, Rule.GRADE_TREND)
    assert signal.key == "standpunkt→T1"
    assert signal.evidence == {
        "before": {"term": "standpunkt", "school_year": "2025/2026", "average": "4.50",
                   "grades": [{"subject": "MAT1019", "term": "standpunkt", "school_year": "2025/2026", "grade": "4"},
                              {"subject": "NOR1260", "term": "standpunkt", "school_year": "2025/2026",
                               "grade": "5"}]},
        "after": {"term": "T1", "school_year": "2026/2027", "average": "3.00",
                  "grades": [{"subject": "NOR1262", "term": "T1", "school_year": "2026/2027", "grade": "3"}]},
        "drop": "1.50", "drop_at_least": "1.00"}


def test_a_drop_just_under_the_limit_with_thirds(school, vg2):
    # T1 average 11/3 = 3.67, T2 average 8/3 = 2.67: exactly 1, not rounded away.
    for code, t1_value, t2_value in (("A1", "4", "3"), ("B1", "4", "3"), ("C1", "3", "2")):
        grade(vg2, code, t1_value, term=Grade.Term.T1)
        grade(vg2, code, t2_value, term=Grade.Term.T2)
    run(school)
    assert found(vg2, Rule.GRADE_TREND) == ["T1→T2"]


# --- Runs that repeat, and whom the rules look at ---------------------------------------------------

def everything(student):
    admit(student, "2.00", Admission.Choice.FIRST)
    grade(student, "MAT1019", "2")
    absence(student, date(2026, 8, 17), date(2026, 11, 30), "8", "8")


def test_a_second_run_creates_nothing_new(school, vg1):
    everything(vg1)
    first = run(school)
    assert {rule: n for rule, n in first.items() if n} == {
        Rule.FIRST_CHOICE_AVERAGE: 1, Rule.CORE_GRADE: 1, Rule.ABSENCE: 1}
    assert set(first) == {Rule.FIRST_CHOICE_AVERAGE, Rule.LOWER_CHOICE_AVERAGE, Rule.CORE_GRADE, Rule.ABSENCE,
                          Rule.LOW_GRADE, Rule.ABSENCE_TREND, Rule.GRADE_TREND}
    assert not any(run(school, today=date(2026, 12, 14)).values())
    assert Signal.objects.count() == 3
    assert set(Signal.objects.values_list("found_on", flat=True)) == {TODAY}


def test_a_changed_grade_that_still_matches_is_the_same_finding_with_its_first_evidence(school, vg1):
    mat = grade(vg1, "MAT1019", "2")
    run(school)
    mat.grade = "1"
    mat.save()
    assert not any(run(school).values())
    assert only(vg1, Rule.CORE_GRADE).evidence["grades"][0]["grade"] == "2"


def test_a_dismissed_finding_is_not_found_again(school, vg1):
    grade(vg1, "MAT1019", "2")
    run(school)
    signal = only(vg1, Rule.CORE_GRADE)
    signal.assess(by=UserFactory(), take=False, reason="Known, followed up already")
    signal.save()
    assert not any(run(school).values())


def test_a_reported_concern_does_not_hide_a_finding(school, vg1):
    Signal.objects.create(student=vg1, school_year=SchoolYearFactory(start_year=THIS), rule=Rule.ABSENCE,
                          key="2026-08-17/2026-11-30", reported_by=UserFactory(), text="Often away")
    absence(vg1, date(2026, 8, 17), date(2026, 11, 30), "20", "0")
    assert run(school)[Rule.ABSENCE] == 1


def test_a_new_school_year_finds_again(school, vg1):
    grade(vg1, "MAT1019", "2", term=Grade.Term.ADMISSION, year=LAST)
    run(school)
    vg1.group = "1STB"  # repeating Vg1
    vg1.save()
    assert run(school, today=date(2027, 9, 1))[Rule.CORE_GRADE] == 1
    assert sorted(Signal.objects.values_list("school_year__start_year", flat=True)) == [2026, 2027]


def test_students_who_left_are_skipped(school, vg1):
    everything(vg1)
    vg1.left_on = date(2026, 11, 1)
    vg1.save()
    assert not any(run(school).values())
    assert not Signal.objects.exists()


def test_only_the_schools_own_students(school, vg1):
    everything(StudentFactory(school=SchoolFactory(), group="1STA"))
    assert not any(run(school).values())


def test_a_lower_secondary_school_gets_no_vg_rules(db):
    school = SchoolFactory(kind=School.Kind.LOWER_SECONDARY, owner_kind=School.OwnerKind.MUNICIPALITY,
                           owner_name="Bergen kommune")
    student = StudentFactory(school=school, group="1A")
    everything(student)
    grade(student, "MAT0010", "1", term=Grade.Term.T2, year=LAST)
    run(school)
    assert found(student) == [(Rule.ABSENCE, "2026-08-17/2026-11-30")]


def test_the_countys_settings_override_the_defaults(school, vg1):
    RuleSettings.objects.create(owner_name=school.owner_name, first_choice_average_below=Decimal("3.00"),
                                vg1_core_subjects="NOR", vg1_low_grades="1", absence_over_percent=Decimal("20"))
    admit(vg1, "2.90", Admission.Choice.FIRST)
    grade(vg1, "MAT1019", "1")
    grade(vg1, "NOR1260", "2")
    grade(vg1, "NOR1261", "1")
    absence(vg1, date(2026, 8, 17), date(2026, 11, 30), "10", "9")
    run(school)
    assert found(vg1) == [(Rule.CORE_GRADE, "NOR1261"), (Rule.FIRST_CHOICE_AVERAGE, "")]
    other = SchoolFactory(owner_name="Rogaland fylkeskommune")
    student = StudentFactory(school=other, group="1STA")
    admit(student, "2.90", Admission.Choice.FIRST)
    assert not any(run(other).values())


def test_no_school_year_row_is_made_when_nothing_is_found(school, vg1):
    assert not any(run(school).values())
    assert not SchoolYear.objects.exists()


def test_the_queries_do_not_grow_with_the_students(school):
    def queries():
        with CaptureQueriesContext(connection) as context:
            run(school)
        return len(context)

    everything(StudentFactory(school=school, group="1STA"))
    one = queries()
    Signal.objects.all().delete()
    for group in ("1STA", "1STB", "2STA", "3STA", "1STA"):
        student = StudentFactory(school=school, group=group)
        everything(student)
        grade(student, "NAT1007", "1", term=Grade.Term.T2, year=LAST)
    assert queries() == one


# --- The service and the command --------------------------------------------------------------------

def test_one_access_log_event_per_run_that_found_something(school, vg1):
    user = UserFactory(username="alice")
    everything(vg1)
    counts = signals_find(school=school, by=user, today=TODAY)
    assert sum(counts.values()) == 3
    event = AccessEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.school_id, event.user_id, event.student_id) == (
        "created", "iko_rules", str(school.pk), school.pk, user.pk, None)
    assert event.detail == "first_choice_average: 1, core_grade: 1, absence: 1"
    assert not any(signals_find(school=school, by=user, today=TODAY).values())
    assert AccessEvent.objects.count() == 1


def test_the_command_runs_for_every_upper_secondary_school(school, vg1):
    this_year = SchoolYear.start_year_of(timezone.localdate())
    SchoolYearFactory(start_year=this_year)
    lower = SchoolFactory(kind=School.Kind.LOWER_SECONDARY, owner_kind=School.OwnerKind.MUNICIPALITY)
    pupil = StudentFactory(school=lower, group="9B")
    for student in (vg1, pupil):
        absence(student, SchoolYear(start_year=this_year).starts_on, SchoolYear(start_year=this_year).starts_on,
                "20", "0")
    out = StringIO()
    call_command("run_iko_rules", stdout=out)
    assert f"{school.org_number} {school.name}: absence: 1" in out.getvalue()
    assert "1 new signal(s) at 1 school(s)." in out.getvalue()
    assert found(pupil) == []
    out = StringIO()
    call_command("run_iko_rules", "--school", lower.org_number, stdout=out)
    assert f"{lower.org_number} {lower.name}: absence: 1" in out.getvalue()
    out = StringIO()
    call_command("run_iko_rules", "--school", school.org_number, stdout=out)
    assert "nothing new" in out.getvalue()
    assert AccessEvent.objects.filter(object_type="iko_rules").count() == 2


def test_the_command_refuses_an_unknown_school(db):
    with pytest.raises(CommandError, match="123456789"):
        call_command("run_iko_rules", "--school", "123456789")


@pytest.mark.django_db
def test_the_year_of_schooling_from_the_import_decides_the_level_before_the_class_name(school_a):
    from followup.rules import vg_level

    from ..factories import StudentFactory

    assert vg_level(StudentFactory(school=school_a, group="ST-A", grade_level=12)) == 2
    assert vg_level(StudentFactory(school=school_a, group="1STA", grade_level=13)) == 3
    assert vg_level(StudentFactory(school=school_a, group="1STA", grade_level=10)) is None
    assert vg_level(StudentFactory(school=school_a, group="2STB")) == 2  # nothing imported: the class name
