"""OneRoster's gradebook (results.csv with lineItems.csv and categories.csv) read as grades where it fits."""

import pytest

from roster.models import Grade, ImportRun
from roster.services import import_path

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_day")]

CATEGORIES = "sourcedId,status,dateLastModified,title\ncat-t2,,,T2\ncat-hw,,,Lekser\n"
LINE_ITEMS = ("sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,"
              "categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax\n"
              "li-t2,,,Halvårsvurdering,,2027-06-01,2027-06-15,cl-1sta-mat,cat-t2,t2027v,1,6\n"
              "li-hw,,,Lekse 3,,2027-02-01,2027-02-03,cl-1sta-mat,cat-hw,t2027v,0,10\n")
RESULTS_HEADER = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\n"


def with_gradebook(export, results: str):
    (export / "categories.csv").write_text(CATEGORIES, encoding="utf-8")
    (export / "lineItems.csv").write_text(LINE_ITEMS, encoding="utf-8")
    (export / "results.csv").write_text(RESULTS_HEADER + results, encoding="utf-8")
    return export


def test_a_term_result_is_a_grade_and_homework_is_read_past(copy_sample):
    export = with_gradebook(copy_sample(), "r1,,,li-t2,s-nv01,fully graded,4.0,2027-06-15,\n"
                                           "r2,,,li-hw,s-nv01,fully graded,8,2027-02-03,\n")
    run = import_path(export)
    assert run.status == ImportRun.Status.APPLIED, run.summary["errors"]
    grade = Grade.objects.get(term=Grade.Term.T2)
    assert (grade.grade, grade.subject.code, grade.school_year.start_year) == ("4", "MAT1019", 2026)


def test_a_score_that_is_no_grade_names_its_line(copy_sample):
    export = with_gradebook(copy_sample(), "r1,,,li-t2,s-nv01,fully graded,9,2027-06-15,\n")
    run = import_path(export)
    assert run.status == ImportRun.Status.REJECTED
    assert [(e["file"], e["line"]) for e in run.summary["errors"]] == [("results.csv", 2)]
    assert not Grade.objects.filter(term=Grade.Term.T2).exists()


def test_results_without_their_line_items_is_an_error(copy_sample):
    export = copy_sample()
    (export / "results.csv").write_text(RESULTS_HEADER, encoding="utf-8")
    run = import_path(export)
    assert run.status == ImportRun.Status.REJECTED
    assert "lineItems.csv" in run.summary["errors"][0]["message"]
