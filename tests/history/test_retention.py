"""Retention: when a records officer's approved destruction erases a student's access log, the history of the
student's texts (who saved what when) goes with it, in the same transaction; the texts themselves stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application, ApplicationSubject
from audit.log import record
from history import services as history_services
from iop.models import Goal, LogEntry, Plan, PlanSubject
from records import services as records_services
from records.models import DestructionItem

from ..applications.factories import ApplicationFactory, ApplicationSubjectFactory
from ..factories import request_as, years_ago
from ..iop.factories import GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory
from ..records.factories import make_authority, make_officer
from ..records.test_retention import _backdate

pytestmark = pytest.mark.django_db

TRACKED = (Plan, PlanSubject, Goal, LogEntry, Application, ApplicationSubject)


def history_of(student_id):
    """How many history rows of each tracked model belong to the student."""
    plans = Plan.history.filter(student_id=student_id).values("id")
    subjects = PlanSubject.history.filter(plan_id__in=plans).values("id")
    return {
        "plan": Plan.history.filter(student_id=student_id).count(),
        "subject": subjects.count(),
        "goal": Goal.history.filter(plan_subject_id__in=subjects).count(),
        "log": LogEntry.history.filter(plan_id__in=plans).count(),
        "application": Application.history.filter(student_id=student_id).count(),
        "application subject": ApplicationSubject.history.filter(application__student_id=student_id).count(),
    }


def texts_of(student, admin):
    plan = PlanFactory(student=student)
    subject = PlanSubjectFactory(plan=plan)
    deleted = GoalFactory(plan_subject=subject)
    deleted.delete()  # its history stays until retention
    LogEntryFactory(plan=plan, created_by=admin)
    ApplicationSubjectFactory(application=ApplicationFactory(student=student))
    return plan


def test_erase_for_student_deletes_only_that_students_rows(minor, other_child, admin):
    texts_of(minor, admin)
    texts_of(other_child, admin)
    before = history_of(minor.pk)
    assert all(before.values()) and before["goal"] == 2  # created and deleted
    erased = history_services.erase_for_student(student_id=minor.pk)
    assert erased == sum(before.values())
    assert not any(history_of(minor.pk).values())
    assert all(history_of(other_child.pk).values())
    assert Plan.objects.filter(student=minor).exists()  # the texts themselves are not touched


def test_approved_destruction_of_the_access_log_erases_the_text_history(minor, school_a, admin):
    authority = make_authority(school_a)
    officer = make_officer("otto", authority)
    minor.left_on = years_ago(6)
    minor.save(update_fields=["left_on"])
    plan = texts_of(minor, admin)
    long_ago = timezone.now() - timedelta(days=365 * 5 + 100)
    for model in TRACKED:
        model.history.all().update(history_date=long_ago)
    _backdate(record(request_as(admin), action="viewed", object_type="iop", object_id=plan.pk, student=minor),
              years=5, days=100)
    records_services.retention_run(authority=authority)
    item = DestructionItem.objects.get(kind="access_log", student=minor)
    plan.goal_text = "Skrevet etter fristen"
    plan.save()  # a version from after the due day stays, as the access log's later events do

    records_services.destruction_approve(destruction_list=item.destruction_list, by=officer)

    assert Plan.history.filter(student_id=minor.pk).count() == 1
    assert Plan.history.get(student_id=minor.pk).goal_text == "Skrevet etter fristen"
    assert history_of(minor.pk) == {"plan": 1, "subject": 0, "goal": 0, "log": 0, "application": 0,
                                    "application subject": 0}
