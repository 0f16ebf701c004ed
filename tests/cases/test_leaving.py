"""Closing before leaving (the seed: close the cases of students who leave before the day they leave): the
warnings of selectors.py, and the Django admin's confirmation when a student with open cases is marked as
leaving by hand."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.leaving import open_matters
from accounts.models import Student
from audit.models import AccessEvent
from audit.selectors import events_for_student
from cases import selectors, services
from cases.models import Case

from ..admin.conftest import form_data
from ..admin.verified import force_login_verified
from .factories import make_case

pytestmark = pytest.mark.django_db


def leaving(student, *, leaves_on=None, left_on=None):
    Student.objects.filter(pk=student.pk).update(leaves_on=leaves_on, left_on=left_on)


def test_closing_due_takes_open_cases_of_students_leaving_within_four_weeks(case, minor, adult, teacher,
                                                                           case_creator):
    today = timezone.localdate()
    far = make_case(adult, teacher, by=case_creator)
    leaving(minor, leaves_on=today + timedelta(days=28))
    leaving(adult, leaves_on=today + timedelta(days=40))
    assert list(selectors.closing_due(Case.objects.all())) == [case]
    assert far not in selectors.closing_due(Case.objects.all())
    assert list(selectors.overdue(Case.objects.all())) == []


def test_closing_due_leaves_out_closed_cases_and_students_not_leaving(case, minor, adult, teacher, case_creator):
    make_case(adult, teacher, by=case_creator)  # Erik is not leaving
    leaving(minor, leaves_on=timezone.localdate() + timedelta(days=3))
    services.case_close(case=case, by=teacher, note="Ferdig")
    assert list(selectors.closing_due(Case.objects.all())) == []


def test_closing_due_sorts_soonest_first(case, minor, adult, teacher, case_creator):
    today = timezone.localdate()
    second = make_case(adult, teacher, by=case_creator)
    leaving(minor, leaves_on=today + timedelta(days=20))
    leaving(adult, leaves_on=today + timedelta(days=2))
    assert list(selectors.closing_due(Case.objects.all())) == [second, case]


@pytest.mark.parametrize("days", [0, -1, -30])
def test_overdue_when_the_leaving_day_has_come(case, minor, days):
    leaving(minor, leaves_on=timezone.localdate() + timedelta(days=days))
    assert list(selectors.overdue(Case.objects.all())) == [case]
    assert list(selectors.closing_due(Case.objects.all())) == [case]
    assert list(selectors.filter_cases(Case.objects.all(), status="overdue")) == [case]


def test_overdue_when_the_student_has_left(case, minor):
    leaving(minor, left_on=timezone.localdate() - timedelta(days=5))
    assert list(selectors.overdue(Case.objects.all())) == [case]


def test_not_overdue_before_the_day(case, minor):
    leaving(minor, leaves_on=timezone.localdate() + timedelta(days=1))
    assert list(selectors.overdue(Case.objects.all())) == []
    assert list(selectors.filter_cases(Case.objects.all(), status="overdue")) == []


def test_a_closed_case_is_never_overdue(case, minor, teacher):
    leaving(minor, left_on=timezone.localdate() - timedelta(days=5))
    services.case_close(case=case, by=teacher, note="Ferdig")
    assert list(selectors.overdue(Case.objects.all())) == []


def test_open_cases_on_leaving_counts(case, minor, adult, teacher, case_creator):
    assert selectors.open_cases_on_leaving(adult) is None
    sentence = selectors.open_cases_on_leaving(minor)
    assert sentence and "1" in sentence
    make_case(minor, teacher, by=case_creator, description="Fravær")
    assert "2" in selectors.open_cases_on_leaving(minor)
    for one in Case.objects.filter(card__student=minor):
        services.case_close(case=one, by=teacher, note="Ferdig")
    assert selectors.open_cases_on_leaving(minor) is None


def test_the_cases_app_registers_its_leaving_check(case, minor, adult):
    assert selectors.open_cases_on_leaving(minor) in open_matters(minor)
    assert open_matters(adult) == []


# --- The Django admin -----------------------------------------------------------------------------------


@pytest.fixture
def sysadmin(client, superuser):
    force_login_verified(client, superuser)
    return superuser


def change_url(student):
    return reverse("admin:accounts_student_change", args=[student.pk])


def test_marking_a_student_with_open_cases_as_leaving_needs_a_confirmation(client, sysadmin, case, minor):
    url = change_url(minor)
    day = timezone.localdate() + timedelta(days=10)
    data = {**form_data(client.get(url)), "leaves_on": day.isoformat()}
    data.pop("confirm_leaving", None)
    refused = client.post(url, data)
    assert refused.status_code == 200  # the form again, with the error
    assert "confirm_leaving" in refused.context["adminform"].form.errors
    minor.refresh_from_db()
    assert minor.leaves_on is None
    assert not AccessEvent.objects.filter(object_type="student_leaving_confirmed").exists()

    accepted = client.post(url, {**data, "confirm_leaving": "on"})
    assert accepted.status_code == 302
    minor.refresh_from_db()
    assert minor.leaves_on == day
    event = AccessEvent.objects.get(object_type="student_leaving_confirmed")
    assert (event.user, event.object_id, event.student_id) == (sysadmin, str(minor.pk), minor.pk)
    # The IOP admin's log of the student does not tell that a case exists.
    assert not events_for_student(minor.pk).filter(object_type="student_leaving_confirmed").exists()


def test_setting_left_on_by_hand_needs_the_confirmation_too(client, sysadmin, case, minor):
    url = change_url(minor)
    data = {**form_data(client.get(url)), "left_on": timezone.localdate().isoformat()}
    data.pop("confirm_leaving", None)
    assert client.post(url, data).status_code == 200
    minor.refresh_from_db()
    assert minor.left_on is None


def test_a_student_without_open_cases_needs_no_confirmation(client, sysadmin, adult):
    url = change_url(adult)
    day = timezone.localdate() + timedelta(days=10)
    data = {**form_data(client.get(url)), "leaves_on": day.isoformat()}
    data.pop("confirm_leaving", None)
    assert client.post(url, data).status_code == 302
    adult.refresh_from_db()
    assert adult.leaves_on == day
    assert not AccessEvent.objects.filter(object_type="student_leaving_confirmed").exists()


def test_a_student_whose_cases_are_closed_needs_no_confirmation(client, sysadmin, case, minor, teacher):
    services.case_close(case=case, by=teacher, note="Ferdig")
    url = change_url(minor)
    data = {**form_data(client.get(url)), "leaves_on": timezone.localdate().isoformat()}
    data.pop("confirm_leaving", None)
    assert client.post(url, data).status_code == 302
    minor.refresh_from_db()
    assert minor.leaves_on == timezone.localdate()


def test_saving_without_changing_the_leaving_day_asks_nothing(client, sysadmin, case, minor):
    leaving(minor, leaves_on=timezone.localdate() + timedelta(days=10))
    url = change_url(minor)
    data = {**form_data(client.get(url)), "group": "1STB"}
    data.pop("confirm_leaving", None)
    assert client.post(url, data).status_code == 302
    minor.refresh_from_db()
    assert minor.group == "1STB"
