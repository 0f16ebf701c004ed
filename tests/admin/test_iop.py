"""The IOP admin: the stage and the version counters cannot be changed there."""

import pytest
from django.urls import reverse

from iop.models import Plan

from .builders import plan as plan_of
from .conftest import form_data

pytestmark = pytest.mark.django_db


def test_the_stage_cannot_be_changed_through_the_admin(client, sysadmin, minor):
    plan = plan_of(minor)
    page = reverse("admin:iop_plan_change", args=[plan.pk])
    response = client.get(page)
    assert "stage" not in response.context["adminform"].form.fields
    data = form_data(response) | {
        "stage": Plan.Stage.ANNUAL_REPORT, "part1_version": 7, "report_version": 7,
        "subjects-0-half_year_version": 7, "subjects-0-annual_version": 7,
    }
    assert client.post(page, data).status_code == 302
    plan.refresh_from_db()
    subject = plan.subjects.get()
    assert plan.stage == Plan.Stage.DRAFT
    assert (plan.part1_version, plan.report_version) == (0, 0)
    assert (subject.half_year_version, subject.annual_version) == (0, 0)


@pytest.mark.parametrize("name", ["goal", "logentry"])
def test_a_version_cannot_be_changed_through_the_admin(client, sysadmin, minor, name):
    from .builders import STUDENT_DATA

    obj = STUDENT_DATA[f"iop.{name}"](minor)
    page = reverse(f"admin:iop_{name}_change", args=[obj.pk])
    response = client.get(page)
    assert "version" not in response.context["adminform"].form.fields
    assert client.post(page, form_data(response) | {"version": 7}).status_code == 302
    obj.refresh_from_db()
    assert obj.version == 0
