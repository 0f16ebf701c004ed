"""An approved application's content is frozen in the admin: it must keep matching the approved hash."""

import pytest
from django.urls import reverse

from applications.models import Application

from .builders import application as application_of
from .conftest import events, form_data

pytestmark = pytest.mark.django_db

TEXTS = ["expert_assessment_by", "expert_assessment_summary", "student_goal", "other_information"]


@pytest.mark.parametrize("status", [s for s in Application.Status if s not in ("registered", "awaiting_approval")])
def test_an_approved_application_cannot_be_changed(client, sysadmin, minor, adult, status):
    application = application_of(minor)
    Application.objects.filter(pk=application.pk).update(status=status)
    before = Application.objects.filter(pk=application.pk).values().get()
    page = reverse("admin:applications_application_change", args=[application.pk])
    response = client.get(page)
    assert not set(TEXTS + ["student", "school_year"]) & set(response.context["adminform"].form.fields)
    data = form_data(response) | {name: "Endret i admin" for name in TEXTS} | {
        "student": adult.pk, "subjects-0-extent": "10 timer", "subjects-0-DELETE": "on",
    }
    assert client.post(page, data).status_code == 302
    after = Application.objects.filter(pk=application.pk).values().get()
    assert {k: after[k] for k in TEXTS + ["student_id"]} == {k: before[k] for k in TEXTS + ["student_id"]}
    assert application.subjects.get().extent == "2 timer i uka"


@pytest.mark.parametrize("status", ["registered", "awaiting_approval"])
def test_an_application_not_yet_approved_can_be_corrected(client, sysadmin, minor, status):
    application = application_of(minor)
    Application.objects.filter(pk=application.pk).update(status=status)
    page = reverse("admin:applications_application_change", args=[application.pk])
    data = form_data(client.get(page)) | {"student_goal": "Studiekompetanse", "subjects-0-extent": "3 timer"}
    assert client.post(page, data).status_code == 302
    application.refresh_from_db()
    assert (application.student_goal, application.subjects.get().extent) == ("Studiekompetanse", "3 timer")
    [event] = events(action="changed")
    assert event.detail == "student_goal, subjects.extent"
