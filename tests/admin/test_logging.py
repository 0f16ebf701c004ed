"""Every admin page that shows or changes a student's data writes the access log."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Student
from audit.admin_logging import LoggedViewsMixin
from audit.models import AccessEvent

from ..iop.factories import PlanFactory
from .builders import EDITABLE, OBJECT_TYPE, STUDENT_DATA, batch
from .conftest import events, form_data

pytestmark = pytest.mark.django_db


def url(name: str, view: str, *args) -> str:
    return reverse(f"admin:{name.replace('.', '_')}_{view}", args=args)


@pytest.mark.parametrize("name", STUDENT_DATA)
def test_opening_a_change_page_writes_viewed_naming_the_student(client, sysadmin, minor, school_a, name):
    obj = STUDENT_DATA[name](minor)
    assert client.get(url(name, "change", obj.pk)).status_code == 200
    [event] = events()
    assert (event.action, event.object_type, event.object_id) == ("viewed", OBJECT_TYPE[name], str(obj.pk))
    assert (event.user, event.student_id, event.school_id) == (sysadmin, minor.pk, school_a.pk)


@pytest.mark.parametrize("name", EDITABLE)
def test_saving_writes_changed(client, sysadmin, minor, name):
    obj = STUDENT_DATA[name](minor)
    data = form_data(client.get(url(name, "change", obj.pk)))
    response = client.post(url(name, "change", obj.pk), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert [(e.action, e.object_id, e.student_id) for e in events(action="changed")] == [("changed", str(obj.pk), minor.pk)]


def test_changed_names_the_fields_never_the_values(client, sysadmin, minor):
    plan = PlanFactory(student=minor)
    data = form_data(client.get(url("iop.plan", "change", plan.pk)))
    data.update(goal_text="Eleven har angst og trenger skjermet rom.")
    client.post(url("iop.plan", "change", plan.pk), data)
    [event] = events(action="changed")
    assert event.detail == "goal_text"
    assert "angst" not in event.detail


def test_changed_names_inline_rows(client, sysadmin, minor):
    plan = STUDENT_DATA["iop.plan"](minor)
    page = url("iop.plan", "change", plan.pk)
    client.post(page, {**form_data(client.get(page)), "subjects-0-extent": "5 timer i uka"})
    client.post(page, {**form_data(client.get(page)), "subjects-0-DELETE": "on"})
    assert [e.detail for e in events(action="changed")] == ["subjects.extent", "subjects(deleted)"]


def test_adding_writes_created(client, sysadmin, minor):
    plan = PlanFactory(student=minor)
    response = client.post(url("iop.annexrow", "add"), {
        "plan": plan.pk, "position": 0, "extent": 140, "subject_topic": "Matematikk", "year": "2027", "assessment": "",
    })
    assert response.status_code == 302
    [event] = events(action="created")
    assert (event.object_type, event.student_id) == ("admin:iop.annexrow", minor.pk)
    assert event.object_id == str(plan.annex_rows.get().pk)


@pytest.mark.parametrize("name", ["iop.plan", "iop.goal", "iop.logentry", "iop.annexrow", "accounts.guardianship"])
def test_deleting_writes_deleted(client, sysadmin, minor, name):
    obj = STUDENT_DATA[name](minor)
    assert client.post(url(name, "delete", obj.pk), {"post": "yes"}).status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert [(e.action, e.object_id, e.student_id) for e in events(action="deleted")] == [("deleted", str(obj.pk), minor.pk)]


def test_the_delete_selected_action_writes_deleted_for_each(client, sysadmin, minor, adult):
    plans = [PlanFactory(student=minor), PlanFactory(student=adult)]
    client.post(url("iop.plan", "changelist"),
                {"action": "delete_selected", "_selected_action": [p.pk for p in plans], "post": "yes"})
    assert not PlanFactory._meta.model.objects.exists()
    assert sorted(e.student_id for e in events(action="deleted")) == sorted([minor.pk, adult.pk])


def test_a_list_page_writes_viewed_per_student_shown(client, sysadmin, minor, adult):
    PlanFactory(student=minor)
    PlanFactory(student=adult)
    assert client.get(url("iop.plan", "changelist")).status_code == 200
    assert sorted((e.student_id, e.detail) for e in events(action="viewed")) == sorted(
        [(minor.pk, "list"), (adult.pk, "list")]
    )


def test_a_batch_is_logged_with_its_school(client, sysadmin, school_a):
    school_batch = batch(school_a)
    client.get(url("applications.schoolbatch", "change", school_batch.pk))
    [event] = events()
    assert (event.action, event.school_id, event.student_id) == ("viewed", school_a.pk, None)


def test_a_user_change_is_logged_with_the_field_names(client, sysadmin, teacher):
    page = url("accounts.user", "change", teacher.pk)
    data = form_data(client.get(page))
    data.update(is_superuser="on", is_staff="on")
    assert client.post(page, data).status_code == 302
    [event] = events(action="changed")
    assert (event.object_type, event.object_id) == ("user", str(teacher.pk))
    assert set(event.detail.split(", ")) == {"is_staff", "is_superuser"}


def test_setting_a_password_writes_changed_without_the_password(client, sysadmin, teacher):
    page = reverse("admin:auth_user_password_change", args=[teacher.pk])
    password = "Fjordbyen-sommer-2027"
    response = client.post(page, {"password1": password, "password2": password, "usable_password": "true"})
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password(password)
    [event] = events(action="changed")
    assert (event.object_type, event.object_id, event.detail) == ("user", str(teacher.pk), "password set in admin")
    assert not AccessEvent.objects.filter(detail__contains="sommer").exists()


def test_a_refused_password_writes_nothing(client, sysadmin, teacher):
    page = reverse("admin:auth_user_password_change", args=[teacher.pk])
    assert client.post(page, {"password1": "kort", "password2": "kort", "usable_password": "true"}).status_code == 200
    assert events(action="changed") == []


def test_every_admin_of_a_model_that_leads_to_a_student_logs():
    """A guard for models added later: up to three foreign keys away from a student counts."""
    unlogged = [
        model._meta.label for model, model_admin in admin.site._registry.items()
        if _leads_to_student(model) and model is not AccessEvent and not isinstance(model_admin, LoggedViewsMixin)
    ]
    assert unlogged == []


def _leads_to_student(model, hops: int = 3) -> bool:
    if model is Student:
        return True
    return hops > 0 and any(
        _leads_to_student(field.related_model, hops - 1)
        for field in model._meta.get_fields()
        if (field.many_to_one or field.one_to_one) and field.concrete and field.related_model is not None
    )
