"""Publication stages: who sees the IOP page and may use each action, at every stage (docs/architecture.md §4)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from audit.models import AccessEvent
from iop.access import rights_for

from ..access_table import CAST, IOP, IOP_PAGES, STAGES, iop_holds, iop_status
from ..factories import SubjectFactory
from .factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_at(minor):
    def make(stage):
        return PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True), stage=stage)
    return make


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", CAST)
def test_plan_page(client, cast, plan_at, name, stage):
    plan = plan_at(stage)
    client.force_login(cast[name])
    response = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert response.status_code == iop_status(name, IOP_PAGES["plan"], stage)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", CAST)
def test_admin_actions(client, cast, plan_at, name, stage):
    plan = plan_at(stage)
    client.force_login(cast[name])

    def expected(page, ok):
        return iop_status(name, IOP_PAGES[page], stage, ok=ok)

    assert client.get(reverse("iop:plan_edit_part1", args=[plan.pk])).status_code == expected("part 1 edit", 200)
    assert client.get(reverse("iop:plan_subjects", args=[plan.pk])).status_code == expected("subjects edit", 200)
    response = client.post(reverse("iop:plan_set_stage", args=[plan.pk]), {"stage": 5 if stage != 5 else 1})
    assert response.status_code == expected("stage", 302)
    transfer = client.post(reverse("iop:plan_transfer_subjects", args=[plan.pk]))
    assert transfer.status_code == expected("transfer subjects", 302)
    plan.refresh_from_db()
    assert (plan.stage != stage) == iop_holds(name, IOP_PAGES["stage"], stage)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", CAST)
def test_log_actions(client, cast, plan_at, name, stage):
    plan = plan_at(stage)
    client.force_login(cast[name])
    staff = iop_holds(name, IOP_PAGES["log add"], stage)
    expected = iop_status(name, IOP_PAGES["log add"], stage, ok=302)
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


def held(rights, own_subject_id, other_subject_id) -> set[str]:
    """The rights of tests/access_table.py's IOP table that an iop.access.Rights grants."""
    names = {name for name in IOP if hasattr(rights, name) and getattr(rights, name)}
    if rights.writes_subject(own_subject_id):
        names.add("write_own_subject")
    if rights.writes_subject(other_subject_id):
        names.add("write_other_subject")
    return names


def expected_rights(name, stage) -> set[str]:
    return {right for right in IOP if iop_holds(name, right, stage)}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("name", CAST)
def test_rights_follow_the_table(cast, minor, plan_at, name, stage):
    plan = plan_at(stage)
    own, other = minor.enrollments.get().subject_id, SubjectFactory(code="NOR1021").pk
    assert held(rights_for(cast[name], plan), own, other) == expected_rights(name, stage)


def test_stage_changes_what_each_role_sees(client, cast, admin, minor, plan_at):
    """The admin moves the stage forward and back; what each reader's page offers follows."""
    plan = plan_at(1)
    own, other = minor.enrollments.get().subject_id, SubjectFactory(code="NOR1021").pk

    def set_stage(stage):
        client.force_login(admin)
        client.post(reverse("iop:plan_set_stage", args=[plan.pk]), {"stage": stage})

    for stage in (1, 3, 4, 5, 2, 1):  # forward, then back: readers lose what the stage gave them
        set_stage(stage)
        plan.refresh_from_db()
        assert plan.stage == stage
        for name in ("teacher", "coteacher", "guardian", "minor_student"):
            rights = rights_of(client, cast[name], plan)
            if iop_holds(name, "see", stage):
                assert held(rights, own, other) == expected_rights(name, stage), (name, stage)
            else:
                assert rights is None, (name, stage)


def test_stage_control_marks_the_current_stage(client, admin, plan_at):
    plan = plan_at(3)
    client.force_login(admin)
    content = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
    assert content.count('aria-current="step"') == 1
    assert 'value="3" data-variant="primary" aria-current="step"' in content
