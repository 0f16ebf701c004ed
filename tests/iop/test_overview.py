"""The coordinator's IOP overview of a school: who may open it, its filters, sorting, deadlines and CSV export."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from applications.models import Application, Decision
from audit.models import AccessEvent
from iop.models import SchoolYearDeadlines

from ..conftest import make_staff
from ..factories import EnrollmentFactory, StudentFactory, SubjectFactory
from .factories import PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return SchoolYear.objects.current(create=True)


@pytest.fixture
def open_plan(minor, year):
    """Emma's IOP: maths, goals not done yet."""
    plan = PlanFactory(student=minor, school_year=year, stage=2)
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    return plan


@pytest.fixture
def done_plan(adult, year):
    """Erik's IOP: maths with goals, half-year and annual assessments done."""
    plan = PlanFactory(student=adult, school_year=year, stage=4)
    PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"), goals_done=True, half_year_done=True,
                       annual_done=True)
    return plan


def url(school, **query):
    base = reverse("iop:school_overview", args=[school.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def shown_plans(response) -> list[int]:
    """The plans on the page, in order, once each."""
    ids = [int(pk) for pk in re.findall(r'data-plan="(\d+)"', response.content.decode())]
    return list(dict.fromkeys(ids))


@pytest.mark.parametrize("name,status", [
    ("admin", 200), ("teacher", 403), ("other_teacher", 403), ("principal", 403),
    ("other_admin", 404), ("guardian", 404), ("minor_student", 404), ("stranger", 404),
])
def test_only_the_schools_iop_admins_open_the_overview(client, cast, school_a, open_plan, name, status):
    client.force_login(cast[name])
    assert client.get(url(school_a)).status_code == status
    assert client.get(reverse("iop:school_overview_csv", args=[school_a.pk])).status_code == status
    assert client.get(reverse("iop:school_settings", args=[school_a.pk])).status_code == status


def test_every_iop_of_the_year_is_listed_and_logged_as_read(client, admin, school_a, open_plan, done_plan):
    client.force_login(admin)
    response = client.get(url(school_a))
    assert set(shown_plans(response)) == {open_plan.pk, done_plan.pk}
    listed = AccessEvent.objects.filter(object_type="iop_overview", action="viewed")
    assert set(listed.values_list("student_id", flat=True)) == {open_plan.student_id, done_plan.student_id}


def test_the_coordinator_filters_to_not_done(client, admin, school_a, open_plan, done_plan):
    client.force_login(admin)
    assert shown_plans(client.get(url(school_a, not_done="on"))) == [open_plan.pk]


def test_not_done_includes_an_assessment_whose_date_has_come(client, admin, school_a, year, done_plan):
    subject = done_plan.subjects.get()
    subject.half_year_done = False
    subject.save()
    SchoolYearDeadlines.objects.create(school=school_a, school_year=year, half_year_due=timezone.localdate())
    client.force_login(admin)
    response = client.get(url(school_a, not_done="on"))
    assert shown_plans(response) == [done_plan.pk]
    assert 'data-overdue' not in response.content.decode()  # due today: not yet overdue


def test_an_assessment_after_its_date_is_marked_overdue(client, admin, school_a, year, open_plan):
    SchoolYearDeadlines.objects.create(school=school_a, school_year=year,
                                       half_year_due=timezone.localdate() - timedelta(days=1))
    client.force_login(admin)
    html = client.get(url(school_a)).content.decode()
    assert f'data-plan="{open_plan.pk}" data-overdue' in html
    assert 'data-work="half_year"><span class="ds-tag" data-color="danger" data-status="overdue"' in html


@pytest.mark.parametrize("stage,expected", [(2, "open"), (4, "done"), (5, None)])
def test_filter_by_stage(client, admin, school_a, open_plan, done_plan, stage, expected):
    client.force_login(admin)
    plans = {"open": [open_plan.pk], "done": [done_plan.pk], None: []}
    assert shown_plans(client.get(url(school_a, stage=stage))) == plans[expected]


def test_filter_by_teacher(client, admin, teacher, coteacher, school_a, open_plan, done_plan):
    client.force_login(admin)
    assert set(shown_plans(client.get(url(school_a, teacher=teacher.pk)))) == {open_plan.pk, done_plan.pk}
    assert shown_plans(client.get(url(school_a, teacher=coteacher.pk))) == [open_plan.pk]


def test_the_chosen_filters_stay_chosen_in_the_menus(client, admin, coteacher, school_a, open_plan):
    client.force_login(admin)
    page = client.get(url(school_a, teacher=coteacher.pk, stage=2)).content.decode()
    assert re.findall(r'<option value="([^"]*)" selected>', page) == ["2", str(coteacher.pk)]


def test_sorting_by_name_both_ways(client, admin, school_a, open_plan, done_plan):
    client.force_login(admin)
    # Berg (Erik) before Hansen (Emma)
    assert shown_plans(client.get(url(school_a, sort="name"))) == [done_plan.pk, open_plan.pk]
    assert shown_plans(client.get(url(school_a, sort="-name"))) == [open_plan.pk, done_plan.pk]
    assert shown_plans(client.get(url(school_a, sort="-stage"))) == [done_plan.pk, open_plan.pk]


@pytest.mark.parametrize("query", [
    {"stage": "9"}, {"stage": "x"}, {"teacher": "999999"}, {"teacher": "abc"}, {"sort": "password"},
])
def test_bad_filter_values_are_a_400_with_the_form_errors(client, admin, other_admin, school_a, open_plan, query):
    client.force_login(admin)
    response = client.get(url(school_a, **query))
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get(reverse("iop:school_overview_csv", args=[school_a.pk]) + "?" + "&".join(
        f"{k}={v}" for k, v in query.items())).status_code == 400


def test_a_teacher_of_another_school_is_not_a_filter_choice(client, admin, other_admin, school_a, open_plan):
    client.force_login(admin)
    assert client.get(url(school_a, teacher=other_admin.pk)).status_code == 400


def test_csv_export_has_a_line_per_subject_and_is_logged_as_downloaded(client, admin, school_a, open_plan,
                                                                       done_plan):
    client.force_login(admin)
    response = client.get(reverse("iop:school_overview_csv", args=[school_a.pk]) + "?not_done=on")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2  # the header and Emma's maths
    assert rows[1][0] == open_plan.student.full_name
    downloaded = AccessEvent.objects.filter(object_type="iop_overview", action="downloaded")
    assert list(downloaded.values_list("student_id", flat=True)) == [open_plan.student_id]


def test_a_granted_decision_without_an_iop_is_overdue_after_the_schools_weeks(client, admin, school_a, year):
    today = timezone.localdate()
    late = StudentFactory(school=school_a)
    on_time = StudentFactory(school=school_a)
    Decision.objects.create(student=late, school_year=year, outcome="granted", decided_on=today - timedelta(weeks=3, days=1))
    Decision.objects.create(student=on_time, school_year=year, outcome="granted", decided_on=today - timedelta(weeks=3))
    Decision.objects.create(student=StudentFactory(school=school_a), school_year=year, outcome="rejected",
                            decided_on=today - timedelta(weeks=8))
    client.force_login(admin)
    html = client.get(url(school_a)).content.decode()
    assert f'data-student="{late.pk}" data-overdue' in html
    assert f'data-student="{on_time.pk}">' in html
    assert html.count("data-student=") == 2
    assert AccessEvent.objects.filter(object_type="iop_overview", student=late).exists()


def test_an_application_waiting_longer_than_the_schools_days_is_overdue(client, admin, school_a, year, minor):
    application = Application.objects.create(student=minor, school_year=year,
                                             status=Application.Status.AWAITING_APPROVAL)
    Application.objects.filter(pk=application.pk).update(changed_at=timezone.now() - timedelta(days=15))
    client.force_login(admin)
    html = client.get(url(school_a)).content.decode()
    assert f'data-student="{minor.pk}" data-overdue' in html


def test_the_overview_is_linked_from_the_admins_start_page(client, admin, school_a):
    client.force_login(admin)
    assert url(school_a) in client.get(reverse("start")).content.decode()


def test_a_name_that_looks_like_a_formula_is_written_as_text(client, admin, school_a, open_plan):
    student = open_plan.student
    student.first_name = "=HYPERLINK(\"http://x\")"
    student.save()
    client.force_login(admin)
    response = client.get(reverse("iop:school_overview_csv", args=[school_a.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_an_annual_report_not_sent_after_the_annual_date_is_marked(client, admin, school_a, year, done_plan):
    SchoolYearDeadlines.objects.create(school=school_a, school_year=year,
                                       annual_due=timezone.localdate() - timedelta(days=1))
    client.force_login(admin)
    html = client.get(url(school_a)).content.decode()
    assert f'data-plan="{done_plan.pk}" data-overdue' in html
    assert 'data-status="report-overdue"' in html
    done_plan.report_sent_on = timezone.localdate()
    done_plan.save()
    assert 'data-status="report-overdue"' not in client.get(url(school_a)).content.decode()


def test_a_plan_spans_its_subjects_rows_and_one_without_subjects_says_so(client, admin, school_a, year, open_plan,
                                                                           adult):
    PlanSubjectFactory(plan=open_plan, subject=SubjectFactory(code="NOR1206"))
    empty = PlanFactory(student=adult, school_year=year, stage=1)
    client.force_login(admin)
    html = client.get(url(school_a)).content.decode()
    rows = {plan.pk: re.findall(rf'<tr data-plan="{plan.pk}".*?</tr>', html, re.S) for plan in (open_plan, empty)}
    assert len(rows[open_plan.pk]) == 2 and 'rowspan="2"' in rows[open_plan.pk][0]
    assert "rowspan" not in rows[open_plan.pk][1] and "NOR1206" in rows[open_plan.pk][1]
    assert len(rows[empty.pk]) == 1 and 'rowspan="1"' in rows[empty.pk][0]
    assert '<td colspan="5">Ingen fag med spesialundervisning ennå.</td>' in rows[empty.pk][0]


def test_names_in_the_table_are_escaped(client, admin, teacher, school_a, open_plan):
    """The rows are built in Python, not by the template engine: every text in them must still be escaped."""
    open_plan.student.first_name, open_plan.student.group = '<script>alert("x")</script>', "10A & B"
    open_plan.student.save()
    teacher.last_name = "<i>Lærer</i>"
    teacher.save()
    client.force_login(admin)
    html = client.get(url(school_a)).content.decode()
    row = re.search(rf'<tr data-plan="{open_plan.pk}".*?</tr>', html, re.S).group(0)
    assert "<script>" not in html and "<i>" not in row
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in row and "10A &amp; B" in row
    assert "&lt;i&gt;Lærer&lt;/i&gt;" in row


def test_each_subject_row_names_that_subjects_teachers_only(client, admin, teacher, coteacher, other_teacher,
                                                              school_a, year, open_plan, done_plan, minor):
    """Emma's maths has two teachers and her Norwegian one; her English (not in the IOP) and an ended
    enrollment (her social studies) name nobody; Erik's maths has only his own teacher."""
    EnrollmentFactory(student=minor, subject=SubjectFactory(code="NOR1206"), teachers=[other_teacher])
    PlanSubjectFactory(plan=open_plan, subject=SubjectFactory(code="NOR1206"))
    EnrollmentFactory(student=minor, subject=SubjectFactory(code="ENG1007"),
                      teachers=[make_staff("ulrik", school_a)])
    PlanSubjectFactory(plan=open_plan, subject=SubjectFactory(code="SAF1001"))
    EnrollmentFactory(student=minor, subject=SubjectFactory(code="SAF1001"), ended_on=timezone.localdate(),
                      teachers=[make_staff("tidligere", school_a)])
    client.force_login(admin)
    html = client.get(url(school_a)).content.decode()

    def teachers_by_subject(plan):
        rows = re.findall(rf'<tr data-plan="{plan.pk}".*?</tr>', html, re.S)
        return dict(re.findall(r'>(\w+)[^<]*</a></td><td>([^<]*)</td>', "".join(rows)))

    names = {user: user.get_full_name() for user in (teacher, coteacher, other_teacher)}
    assert teachers_by_subject(open_plan) == {
        "MAT1019": ", ".join(sorted((names[teacher], names[coteacher]), key=lambda n: n.split()[-1])),
        "NOR1206": names[other_teacher], "SAF1001": "–"}
    assert teachers_by_subject(done_plan) == {"MAT1019": names[teacher]}
