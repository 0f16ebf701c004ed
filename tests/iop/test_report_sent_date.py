"""Issue 17, item 5: the annual report's sent date follows the school batch's rule: not in the future."""

import datetime

import pytest
from django.urls import reverse

import applications.forms
import iop.forms
from iop.models import Plan

from .factories import PlanFactory

pytestmark = pytest.mark.django_db


def post(client, admin, plan, sent_on):
    client.force_login(admin)
    return client.post(reverse("iop:report_edit", args=[plan.pk]), {
        "report_training": "Fire timer.", "report_assessment": "Godt.", "report_continued_need": "Ja.",
        "report_sent_on": sent_on.isoformat(), "version": plan.report_version,
    })


def test_a_sent_date_in_the_future_is_refused_and_nothing_stored(client, admin, minor):
    plan = PlanFactory(student=minor, report_training="Gammel.")
    response = post(client, admin, plan, datetime.date.today() + datetime.timedelta(days=1))
    assert response.status_code == 200 and "report_sent_on" in response.context["form"].errors
    plan.refresh_from_db()
    assert (plan.report_sent_on, plan.report_training, plan.report_version) == (None, "Gammel.", 0)


def test_today_is_accepted(client, admin, minor):
    plan = PlanFactory(student=minor)
    assert post(client, admin, plan, datetime.date.today()).status_code == 302
    assert Plan.objects.get(pk=plan.pk).report_sent_on == datetime.date.today()


def test_one_rule_for_the_batch_and_the_report():
    assert iop.forms.not_in_future is applications.forms.not_in_future
