"""The IOP log: staff read and add; teachers edit their own entries; students and guardians never see it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from audit.models import AccessEvent
from iop.models import LogEntry, Plan

from .factories import LogEntryFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True),
                       stage=Plan.Stage.STUDENT_AND_GUARDIANS)


def edit(client, entry, text, version=None):
    version = entry.version if version is None else version
    return client.post(reverse("iop:log_edit", args=[entry.pk]), {"text": text, "version": version})


def test_teacher_adds_and_sees_created_by(client, teacher, plan):
    client.force_login(teacher)
    response = client.post(reverse("iop:log_add", args=[plan.pk]), {"text": "Samtale med eleven."})
    assert response.url == reverse("iop:plan_detail", args=[plan.pk])
    entry = LogEntry.objects.get(plan=plan)
    assert (entry.text, entry.created_by, entry.changed_by) == ("Samtale med eleven.", teacher, teacher)
    assert AccessEvent.objects.filter(action="created", object_type="iop_log", object_id=str(entry.pk)).exists()
    entries = client.get(reverse("iop:plan_detail", args=[plan.pk])).context["log_entries"]
    assert entries == [entry] and entries[0].editable


def test_empty_entry_re_renders_with_errors(client, teacher, plan):
    client.force_login(teacher)
    response = client.post(reverse("iop:log_add", args=[plan.pk]), {"text": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert not LogEntry.objects.exists()


def test_teacher_edits_own_entry(client, teacher, admin, plan):
    entry = LogEntryFactory(plan=plan, created_by=teacher)
    client.force_login(teacher)
    assert client.get(reverse("iop:log_edit", args=[entry.pk])).status_code == 200
    assert edit(client, entry, "Rettet tekst.").status_code == 302
    entry.refresh_from_db()
    assert (entry.text, entry.changed_by, entry.version) == ("Rettet tekst.", teacher, 1)
    assert AccessEvent.objects.filter(action="changed", object_type="iop_log", object_id=str(entry.pk)).exists()


def test_teacher_cannot_edit_the_admins_entry(client, teacher, admin, plan):
    entry = LogEntryFactory(plan=plan, created_by=admin)
    client.force_login(teacher)
    assert client.get(reverse("iop:log_edit", args=[entry.pk])).status_code == 403
    assert edit(client, entry, "Overskrevet").status_code == 403
    entry.refresh_from_db()
    assert entry.text != "Overskrevet"
    entries = client.get(reverse("iop:plan_detail", args=[plan.pk])).context["log_entries"]
    assert not entries[0].editable


def test_admin_edits_a_teachers_entry_and_becomes_last_changer(client, teacher, admin, plan):
    entry = LogEntryFactory(plan=plan, created_by=teacher)
    client.force_login(admin)
    edit(client, entry, "Presisert av IOP-ansvarlig.")
    entry.refresh_from_db()
    assert (entry.created_by, entry.changed_by) == (teacher, admin)
    assert entry.changed_at >= entry.created_at


def test_stale_log_edit_is_refused_and_keeps_the_text(client, teacher, plan):
    entry = LogEntryFactory(plan=plan, created_by=teacher)
    client.force_login(teacher)
    edit(client, entry, "Første lagring.")
    response = edit(client, entry, "Min andre tekst.", version=0)
    assert response.status_code == 409 and "Min andre tekst." in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == "Første lagring."


@pytest.mark.parametrize("name", ["guardian", "minor_student"])
def test_student_and_guardian_never_see_the_log(client, cast, admin, plan, name):
    entry = LogEntryFactory(plan=plan, created_by=admin)
    client.force_login(cast[name])
    response = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert response.status_code == 200 and response.context["log_entries"] == []
    assert 'id="log"' not in response.content.decode() and entry.text not in response.content.decode()
    assert client.get(reverse("iop:log_edit", args=[entry.pk])).status_code == 403
    assert client.post(reverse("iop:log_add", args=[plan.pk]), {"text": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["other_admin", "stranger", "other_teacher"])
def test_outsiders_get_404_on_log_entries(client, cast, admin, plan, name):
    entry = LogEntryFactory(plan=plan, created_by=admin)
    client.force_login(cast[name])
    assert client.get(reverse("iop:log_edit", args=[entry.pk])).status_code == 404


def test_log_add_is_post_only(client, teacher, plan):
    client.force_login(teacher)
    assert client.get(reverse("iop:log_add", args=[plan.pk])).status_code == 405


def test_log_textarea_keeps_a_draft(client, teacher, plan):
    client.force_login(teacher)
    content = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
    assert f'data-draft-key="iop-{plan.pk}-log-new-text"' in content
