"""Publication stages: who sees the IOP page and may use each action, at every stage (DESIGN.md §4)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from audit.models import AccessEvent

from .factories import PlanFactory

pytestmark = pytest.mark.django_db

STAGES = [1, 2, 3, 4, 5]
MEMBERS = ["admin", "teacher", "coteacher", "other_teacher", "other_admin", "principal", "minor_student",
           "adult_student", "guardian", "other_guardian", "stranger"]


def sees(name, stage) -> bool:
    """§4 "IOP: see at all", for the plan of `minor`."""
    if name == "admin":
        return True
    if name in ("teacher", "coteacher"):
        return stage >= 2
    if name in ("guardian", "minor_student"):
        return stage >= 3
    return False


def admin_only(name, stage, ok) -> int:
    """Status for an action only the IOP admin may take."""
    if name == "admin":
        return ok
    return 403 if sees(name, stage) else 404


@pytest.fixture
def plan_at(minor):
    def make(stage):
        return PlanFactory(student=minor, school_year=SchoolYear.for_date(timezone.localdate()), stage=stage)
    return make


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", MEMBERS)
def test_plan_page(client, cast, plan_at, name, stage):
    plan = plan_at(stage)
    client.force_login(cast[name])
    response = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert response.status_code == (200 if sees(name, stage) else 404)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", MEMBERS)
def test_admin_actions(client, cast, plan_at, name, stage):
    plan = plan_at(stage)
    client.force_login(cast[name])
    assert client.get(reverse("iop:plan_edit_part1", args=[plan.pk])).status_code == admin_only(name, stage, 200)
    assert client.get(reverse("iop:plan_subjects", args=[plan.pk])).status_code == admin_only(name, stage, 200)
    response = client.post(reverse("iop:plan_set_stage", args=[plan.pk]), {"stage": 5 if stage != 5 else 1})
    assert response.status_code == admin_only(name, stage, 302)
    transfer = client.post(reverse("iop:plan_transfer_subjects", args=[plan.pk]))
    assert transfer.status_code == admin_only(name, stage, 302)
    plan.refresh_from_db()
    assert (plan.stage != stage) == (name == "admin")


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", MEMBERS)
def test_log_actions(client, cast, plan_at, name, stage):
    plan = plan_at(stage)
    client.force_login(cast[name])
    staff = name == "admin" or (name in ("teacher", "coteacher") and stage >= 2)
    expected = 302 if staff else (403 if sees(name, stage) else 404)
    assert client.post(reverse("iop:log_add", args=[plan.pk]), {"text": "Notat"}).status_code == expected
    assert plan.log_entries.exists() == staff


def test_admin_jumps_forward_and_back_and_every_change_is_logged(client, admin, plan_at):
    plan = plan_at(1)
    client.force_login(admin)
    for stage in (4, 2, 5, 1):
        client.post(reverse("iop:plan_set_stage", args=[plan.pk]), {"stage": stage})
        plan.refresh_from_db()
        assert plan.stage == stage
    details = list(AccessEvent.objects.filter(object_type="iop", action="changed").order_by("pk")
                   .values_list("detail", flat=True))
    assert details == ["stage 1 → 4", "stage 4 → 2", "stage 2 → 5", "stage 5 → 1"]


def test_unknown_stage_is_refused_with_a_message(client, admin, plan_at):
    plan = plan_at(2)
    client.force_login(admin)
    response = client.post(reverse("iop:plan_set_stage", args=[plan.pk]), {"stage": 9}, follow=True)
    assert response.status_code == 200 and [m.level_tag for m in response.context["messages"]] == ["error"]
    plan.refresh_from_db()
    assert plan.stage == 2


def rights_of(client, user, plan):
    client.force_login(user)
    response = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    return response.context["rights"] if response.status_code == 200 else None


def test_stage_changes_what_each_role_sees(client, admin, teacher, guardian, minor_student, plan_at):
    plan = plan_at(1)

    def set_stage(stage):
        client.force_login(admin)
        client.post(reverse("iop:plan_set_stage", args=[plan.pk]), {"stage": stage})

    assert rights_of(client, teacher, plan) is None and rights_of(client, guardian, plan) is None
    set_stage(3)
    assert rights_of(client, teacher, plan).read_log
    guardian_rights = rights_of(client, guardian, plan)
    assert guardian_rights.read_part1 and guardian_rights.read_goals and not guardian_rights.read_half_year
    set_stage(4)
    assert rights_of(client, minor_student, plan).read_half_year
    assert not rights_of(client, minor_student, plan).read_report
    set_stage(5)
    assert rights_of(client, guardian, plan).read_report and rights_of(client, guardian, plan).read_annual
    set_stage(2)  # back: the guardian loses the IOP again, the teacher keeps it
    assert rights_of(client, guardian, plan) is None and rights_of(client, teacher, plan).see
    set_stage(1)
    assert rights_of(client, teacher, plan) is None


def test_stage_control_marks_the_current_stage(client, admin, plan_at):
    plan = plan_at(3)
    client.force_login(admin)
    content = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
    assert content.count('aria-current="step"') == 1
    assert 'value="3" data-variant="primary" aria-current="step"' in content
