"""Issue 17, item 17: a registered decision is corrected with a reason; the family then sees the right outcome."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from applications.models import Application, Decision, DecisionCorrection
from applications.services import decision_register
from audit.models import AccessEvent

from ..access_table import CAST
from ..iop.factories import PlanFactory
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def application(minor):
    return ApplicationFactory(student=minor, school_year=SchoolYear.objects.current(create=True),
                              status=Application.Status.UNDER_PROCESSING)


@pytest.fixture
def decision(application, admin):
    return decision_register(student=application.student, school_year=application.school_year,
                             outcome=Decision.Outcome.GRANTED, decided_on=TODAY - timedelta(days=3),
                             reference="2025/1", by=admin, application=application)


def correct_url(decision):
    return reverse("applications:decision_correct", args=[decision.pk])


def correct(client, user, decision, **data):
    client.force_login(user)
    payload = {"outcome": "rejected", "decided_on": (TODAY - timedelta(days=2)).isoformat(), "reference": "2025/1",
               "reason": "Feil utfall registrert.", **data}
    return client.post(correct_url(decision), payload)


def test_the_admin_corrects_the_outcome_and_date_and_the_old_values_are_kept(client, admin, decision, application):
    assert correct(client, admin, decision).status_code == 302
    decision.refresh_from_db()
    application.refresh_from_db()
    assert (decision.outcome, decision.decided_on) == ("rejected", TODAY - timedelta(days=2))
    assert application.status == Application.Status.REJECTED
    correction = DecisionCorrection.objects.get()
    assert (correction.previous_outcome, correction.previous_decided_on, correction.previous_reference) == (
        "granted", TODAY - timedelta(days=3), "2025/1")
    assert correction.reason == "Feil utfall registrert." and correction.by == admin
    event = AccessEvent.objects.get(action="changed", object_type="decision", object_id=str(decision.pk))
    assert "granted" in event.detail and (TODAY - timedelta(days=3)).isoformat() in event.detail


def test_the_detail_page_shows_the_correction_and_offers_it(client, admin, decision, application):
    correct(client, admin, decision)
    response = client.get(reverse("applications:application_detail", args=[application.pk]))
    assert list(response.context["corrections"]) == list(DecisionCorrection.objects.all())
    assert correct_url(decision).encode() in response.content


def test_the_guardian_then_sees_rejected(client, admin, guardian, decision, application):
    correct(client, admin, decision)
    client.force_login(guardian)
    response = client.get(reverse("applications:application_read", args=[application.pk]))
    assert response.context["application"].status == Application.Status.REJECTED
    assert response.context["decision"].outcome == Decision.Outcome.REJECTED
    assert b'data-color="danger"' in response.content  # the rejected tag, not a missing grant


def test_a_decision_without_an_application_is_corrected_from_the_list(client, admin, school_a, adult):
    decision = decision_register(student=adult, school_year=SchoolYear.objects.current(create=True),
                                 outcome="granted", decided_on=TODAY, reference="", by=admin)
    client.force_login(admin)
    listed = client.get(reverse("applications:application_list", args=[school_a.pk]))
    assert correct_url(decision).encode() in listed.content
    response = correct(client, admin, decision, decided_on=TODAY.isoformat(), outcome="granted", reference="2025/9")
    assert response.url == reverse("applications:application_list", args=[school_a.pk])
    decision.refresh_from_db()
    assert decision.reference == "2025/9"


@pytest.mark.parametrize("data", [{"reason": ""}, {"decided_on": (TODAY + timedelta(days=1)).isoformat()},
                                  {"outcome": "maybe"}, {"decided_on": "x"}])
def test_bad_input_re_shows_the_form_and_changes_nothing(client, admin, decision, data):
    response = correct(client, admin, decision, **data)
    assert response.status_code == 200 and response.context["form"].errors
    decision.refresh_from_db()
    assert decision.outcome == "granted" and not DecisionCorrection.objects.exists()


def test_no_change_is_refused_with_a_message(client, admin, decision):
    response = correct(client, admin, decision, outcome="granted",
                       decided_on=(TODAY - timedelta(days=3)).isoformat())
    assert response.status_code == 200 and not DecisionCorrection.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_outcome_of_a_decision_with_an_iop_is_not_changed(client, admin, decision, application):
    PlanFactory(student=application.student, school_year=application.school_year, decision=decision)
    correct(client, admin, decision)
    decision.refresh_from_db()
    assert decision.outcome == "granted" and not DecisionCorrection.objects.exists()


def test_the_admin_opens_the_page(client, admin, decision):
    client.force_login(admin)
    response = client.get(correct_url(decision))
    assert response.status_code == 200 and response.context["form"].initial["outcome"] == "granted"
    assert AccessEvent.objects.filter(action="viewed", object_type="decision", object_id=str(decision.pk)).exists()


@pytest.mark.parametrize("name", [n for n in CAST if n != "admin"])
def test_everyone_else_is_refused(client, cast, decision, name):
    expected = 403 if name in {"teacher", "coteacher"} else 404
    client.force_login(cast[name])
    assert client.get(correct_url(decision)).status_code == expected
    assert correct(client, cast[name], decision).status_code == expected
    assert not DecisionCorrection.objects.exists()


def test_archived_student_is_refused(client, admin, decision, minor):
    type(minor).objects.filter(pk=minor.pk).update(archived_on=date(2030, 1, 1))
    client.force_login(admin)
    assert client.get(correct_url(decision)).status_code == 403
