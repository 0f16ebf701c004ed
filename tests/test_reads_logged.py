"""Every page that shows a record writes the read to the access log (crawler-style, every app).

The IOP admin may open every page, so one walk covers every read path; the
logging is in the access helpers, the same for every role. Teacher and guardian
reads of the paths the review found unlogged are checked by name below.
"""

import pytest
from django.urls import reverse

from applications.models import Application
from audit.models import AccessEvent
from iop.models import Plan

from .crawl import URLS, kwarg_sets

NOT_RECORDS = {"health", "health_db", "start"}  # the start page is checked below; health shows nothing
# The password pages show no record (a change or reset request is logged as such: tests/accounts/test_password.py).
NOT_RECORDS |= {f"accounts:password_{page}" for page in ("change", "change_done", "reset", "reset_done",
                                                          "reset_confirm", "reset_complete")}
# The second factor's pages show no record (accounts/second_factor.py).
NOT_RECORDS |= {f"accounts:second_factor_{page}" for page in ("verify", "setup", "recovery_codes")}
# The list of imports shows files, dates and statuses; an import's own page (its changes) is a record.
NOT_RECORDS |= {"roster:imports"}
# A reporter's own concerns: empty for the crawler's user; logged per student shown (tests/followup/test_views.py).
NOT_RECORDS |= {"followup:concerns"}
# Students one may register in the case system: names and classes, no record.
NOT_RECORDS |= {"cases:students", "records:register_student", "records:dossier_students"}
# The retention table, its rules and the authority's settings hold no record; the retention page logs each student it lists as due for
# hand-over (none in the crawl: tests/records/test_retention_http.py).
NOT_RECORDS |= {"records:retention", "records:rule_edit", "records:settings"}
# One's own notices and e-mail choices: an event and a first name, never a record (notices/models.py).
NOT_RECORDS |= {"notices:list", "notices:preferences"}
# The goal bank (public Grep data) and the about page show no record.
NOT_RECORDS |= {"about", "curriculum:search", "curriculum:goal_page"}
READ_EVENTS = {AccessEvent.Action.VIEWED, AccessEvent.Action.DOWNLOADED}


def events_of(user, before: int):
    return AccessEvent.objects.filter(pk__gt=before, user=user, action__in=READ_EVENTS)


def last_event_pk() -> int:
    return AccessEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


GET_URLS = [(name, conv) for name, conv in URLS if name not in NOT_RECORDS]


@pytest.mark.parametrize("name,converters", GET_URLS, ids=[n for n, _ in GET_URLS])
def test_every_page_that_answers_writes_a_read_event(client, admin, objects, name, converters):
    client.force_login(admin)
    for kwargs in kwarg_sets(name, dict(converters), objects):
        if "x" in kwargs.values():
            continue
        before = last_event_pk()
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code != 200:
            continue  # a redirect or 405 (POST-only) shows no record
        events = events_of(admin, before)
        assert events.exists(), f"{name} {kwargs}: no read event"
        students = {event.student_id for event in events} - {None}
        schools = {event.school_id for event in events} - {None}
        assert students <= {objects["minor"].pk}, f"{name}: an event names another student"
        assert students or schools, f"{name}: the event names neither a student nor a school"


def test_the_admins_start_page_logs_every_student_it_shows(client, admin, minor, adult, other_child):
    client.force_login(admin)
    before = last_event_pk()
    assert client.get(reverse("start")).status_code == 200
    listed = events_of(admin, before).filter(object_type="student_list")
    assert sorted(listed.values_list("student_id", flat=True)) == sorted([minor.pk, adult.pk, other_child.pk])


def test_a_teachers_start_page_lists_names_only_and_logs_nothing(client, teacher, minor):
    client.force_login(teacher)
    before = last_event_pk()
    assert client.get(reverse("start")).status_code == 200
    assert not events_of(teacher, before).exists()


def test_a_decision_form_for_a_named_student_logs_the_student(client, admin, school_a, minor):
    client.force_login(admin)
    before = last_event_pk()
    url = reverse("applications:decision_add", args=[school_a.pk])
    assert client.get(url, {"elev": minor.pk}).status_code == 200
    assert events_of(admin, before).filter(student=minor).exists()


@pytest.fixture
def teachers_plan(objects):
    plan = objects["plan"]
    Plan.objects.filter(pk=plan.pk).update(stage=Plan.Stage.TEACHERS)
    return plan


@pytest.mark.parametrize("page", ["subject", "half_year", "annual", "goal_edit", "goal_delete", "log_edit"])
def test_a_teacher_opening_a_form_is_a_logged_read(client, teacher, objects, teachers_plan, page):
    subject, goal, log = objects["plan_subject"], objects["goal"], objects["log"]
    log.created_by = teacher
    log.save()
    url = {
        "subject": reverse("iop:subject_detail", args=[subject.pk]),
        "half_year": reverse("iop:assessment_edit", args=[subject.pk, "halvar"]),
        "annual": reverse("iop:assessment_edit", args=[subject.pk, "ar"]),
        "goal_edit": reverse("iop:goal_edit", args=[goal.pk]),
        "goal_delete": reverse("iop:goal_delete", args=[goal.pk]),
        "log_edit": reverse("iop:log_edit", args=[log.pk]),
    }[page]
    client.force_login(teacher)
    before = last_event_pk()
    assert client.get(url).status_code == 200
    assert events_of(teacher, before).filter(student=objects["minor"], detail=url).exists()


def test_a_guardian_reading_the_application_is_logged(client, guardian, objects):
    application = objects["application"]
    Application.objects.filter(pk=application.pk).update(status=Application.Status.AWAITING_APPROVAL)
    client.force_login(guardian)
    before = last_event_pk()
    assert client.get(reverse("applications:application_read", args=[application.pk])).status_code == 200
    assert events_of(guardian, before).filter(object_type="application", student=objects["minor"]).exists()


def test_a_teachers_list_of_iop_work_is_a_logged_read_of_each_student(client, teacher, objects, teachers_plan):
    client.force_login(teacher)
    before = last_event_pk()
    assert client.get(reverse("iop:my_work")).status_code == 200  # the crawler's admin teaches nobody (403)
    assert events_of(teacher, before).filter(object_type="iop_work_list", student=objects["minor"]).exists()


def test_a_post_is_logged_as_a_change_not_as_a_read(client, admin, objects):
    plan = objects["plan"]
    client.force_login(admin)
    before = last_event_pk()
    client.post(reverse("iop:log_add", args=[plan.pk]), {"text": "Samtale med foresatte."})
    assert not events_of(admin, before).exists()
    assert AccessEvent.objects.filter(pk__gt=before, action="created", object_type="iop_log").count() == 1
