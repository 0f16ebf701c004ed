"""Decisions: on an application under processing, and registered directly without one."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from applications.models import Application, DecidedSubject, Decision
from audit.models import AccessEvent

from ..access_table import CAST, school_page_status
from ..factories import StudentFactory, SubjectFactory
from .factories import ApplicationFactory, ApplicationSubjectFactory

pytestmark = pytest.mark.django_db

Status = Application.Status
YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()


@pytest.fixture
def year(minor):
    return SchoolYear.objects.current()


@pytest.fixture
def maths(minor):
    return minor.enrollments.get().subject


@pytest.fixture
def sent_application(minor, year, maths):
    application = ApplicationFactory(student=minor, school_year=year, status=Status.UNDER_PROCESSING)
    ApplicationSubjectFactory(application=application, subject=maths, extent="3 timer i uka", organisation="Alene")
    return application


def granted(application) -> bool:
    return Decision.objects.filter(
        student=application.student, school_year=application.school_year, outcome=Decision.Outcome.GRANTED
    ).exists()


def decide_url(application):
    return reverse("applications:application_decide", args=[application.pk])


def add_url(school):
    return reverse("applications:decision_add", args=[school.pk])


def has_error_message(response):
    return any(m.level_tag == "error" for m in get_messages(response.wsgi_request))


# --- On an application ---------------------------------------------------------------


def test_granted_decision_gives_special_education_and_copies_the_subjects(client, admin, sent_application, maths):
    client.force_login(admin)
    response = client.post(decide_url(sent_application),
                           {"outcome": "granted", "decided_on": YESTERDAY, "reference": "2025/123"})
    assert response.url == reverse("applications:application_detail", args=[sent_application.pk])
    sent_application.refresh_from_db()
    assert sent_application.status == Status.GRANTED
    decision = sent_application.decision
    assert (decision.reference, decision.registered_by) == ("2025/123", admin)
    assert [(s.subject, s.extent, s.organisation) for s in decision.subjects.all()] == [
        (maths, "3 timer i uka", "Alene")
    ]
    assert granted(sent_application)
    assert AccessEvent.objects.filter(action="created", object_type="decision", object_id=decision.pk).exists()


def test_rejected_decision(client, admin, sent_application):
    client.force_login(admin)
    client.post(decide_url(sent_application), {"outcome": "rejected", "decided_on": YESTERDAY})
    sent_application.refresh_from_db()
    assert sent_application.status == Status.REJECTED
    assert not granted(sent_application)


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.AWAITING_APPROVAL, Status.APPROVED, Status.GRANTED])
def test_deciding_when_not_under_processing_gives_a_message_and_no_change(client, admin, sent_application, status):
    Application.objects.filter(pk=sent_application.pk).update(status=status)
    client.force_login(admin)
    response = client.post(decide_url(sent_application), {"outcome": "granted", "decided_on": YESTERDAY})
    assert response.status_code == 302 and has_error_message(response)
    sent_application.refresh_from_db()
    assert sent_application.status == status
    assert not Decision.objects.exists()


@pytest.mark.parametrize("data", [
    {"outcome": "maybe", "decided_on": YESTERDAY},
    {"outcome": "granted", "decided_on": ""},
    {"outcome": "granted", "decided_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
])
def test_a_bad_decision_form_re_renders_with_errors(client, admin, sent_application, data):
    client.force_login(admin)
    response = client.post(decide_url(sent_application), data)
    assert response.status_code == 200 and response.context["decision_form"].errors
    assert not Decision.objects.exists()


@pytest.mark.parametrize("name", ["teacher", "guardian"])
def test_only_the_admin_decides(client, cast, sent_application, name):
    client.force_login(cast[name])
    assert client.post(decide_url(sent_application), {"outcome": "granted", "decided_on": YESTERDAY}).status_code \
        == 403
    assert not Decision.objects.exists()


def test_the_decision_shows_in_the_list(client, admin, school_a, sent_application):
    client.force_login(admin)
    client.post(decide_url(sent_application), {"outcome": "granted", "decided_on": YESTERDAY})
    response = client.get(reverse("applications:application_list", args=[school_a.pk]))
    [row] = response.context["applications"]
    assert row.decision.outcome == "granted"


# --- Without an application ------------------------------------------------------------


def decision_data(student, *rows, **fields):
    data = {"elev": str(student.pk), "outcome": "granted", "decided_on": YESTERDAY, "reference": "VLFK 25/77",
            "subjects-TOTAL_FORMS": str(max(1, len(rows))), "subjects-INITIAL_FORMS": "0"}
    for index, (subject, extent, organisation) in enumerate(rows):
        data.update({f"subjects-{index}-subject": str(subject.pk), f"subjects-{index}-extent": extent,
                     f"subjects-{index}-organisation": organisation})
    data.update(fields)
    return data


def test_decision_add_offers_students_without_application_or_decision(client, admin, school_a, school_b, minor,
                                                                        adult, other_child, year):
    ApplicationFactory(student=adult, school_year=year)
    StudentFactory(school=school_b)
    client.force_login(admin)
    response = client.get(add_url(school_a))
    assert response.context["student"] is None
    assert {s.full_name for s in response.context["choice"].fields["elev"].queryset} == {"Emma Hansen", "Ola Nilsen"}


def test_decision_add_step_two_offers_the_students_subjects(client, admin, school_a, minor, maths, year):
    client.force_login(admin)
    response = client.get(add_url(school_a), {"elev": minor.pk})
    assert response.context["student"] == minor
    assert list(response.context["formset"].forms[0].fields["subject"].queryset) == [maths]


def test_decision_without_application(client, admin, school_a, minor, maths, year):
    client.force_login(admin)
    response = client.post(add_url(school_a), decision_data(minor, (maths, "4 timer i uka", "I klassen")))
    assert response.url == reverse("applications:application_list", args=[school_a.pk])
    decision = Decision.objects.get(student=minor)
    assert decision.application is None and decision.school_year == year and decision.reference == "VLFK 25/77"
    assert [(s.subject, s.extent) for s in decision.subjects.all()] == [(maths, "4 timer i uka")]
    assert Decision.objects.filter(student=minor, school_year=year, outcome=Decision.Outcome.GRANTED).exists()
    assert AccessEvent.objects.filter(action="created", object_type="decision", object_id=decision.pk).exists()
    listed = client.get(reverse("applications:application_list", args=[school_a.pk])).context["decisions"]
    assert [d.student for d in listed] == [minor]


def test_decision_without_subjects_is_allowed(client, admin, school_a, minor, year):
    client.force_login(admin)
    client.post(add_url(school_a), decision_data(minor, outcome="rejected"))
    assert Decision.objects.get(student=minor).outcome == "rejected"
    assert not DecidedSubject.objects.exists()


def test_decision_add_rejects_a_subject_the_student_does_not_take(client, admin, school_a, minor, year):
    client.force_login(admin)
    response = client.post(add_url(school_a), decision_data(minor, (SubjectFactory(code="FSP6237"), "2 t", "")))
    assert response.status_code == 200 and response.context["formset"].forms[0].errors["subject"]
    assert not Decision.objects.exists()


def test_decision_add_refuses_a_student_who_has_an_application(client, admin, school_a, minor, maths, year):
    ApplicationFactory(student=minor, school_year=year)
    client.force_login(admin)
    response = client.post(add_url(school_a), decision_data(minor))
    assert response.status_code == 200 and response.context["choice"].errors
    assert not Decision.objects.exists()


def test_decision_add_twice_gives_one_decision(client, admin, school_a, minor, year):
    client.force_login(admin)
    client.post(add_url(school_a), decision_data(minor))
    response = client.post(add_url(school_a), decision_data(minor))
    assert response.status_code == 200 and response.context["choice"].errors
    assert Decision.objects.filter(student=minor).count() == 1


@pytest.mark.parametrize("forged", ["abc", "999999"])
def test_decision_add_with_a_forged_student_is_a_form_error(client, admin, school_a, minor, forged):
    client.force_login(admin)
    response = client.post(add_url(school_a), decision_data(minor, elev=forged))
    assert response.status_code == 200 and response.context["choice"].errors
    assert not Decision.objects.exists()


def test_decision_add_for_a_student_of_another_school_is_refused(client, admin, school_a, school_b, year):
    foreign = StudentFactory(school=school_b)
    client.force_login(admin)
    response = client.post(add_url(school_a), decision_data(foreign))
    assert response.status_code == 200 and response.context["choice"].errors
    assert not Decision.objects.exists()


@pytest.mark.parametrize("name", [name for name in CAST if name != "admin"])
def test_decision_add_is_for_the_admin_only(client, cast, school_a, minor, name):
    client.force_login(cast[name])
    assert client.post(add_url(school_a), decision_data(minor)).status_code == school_page_status(name)
    assert not Decision.objects.exists()
