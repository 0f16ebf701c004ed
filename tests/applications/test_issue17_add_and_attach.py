"""Issue 17: the add page lists students without IOP, application or decision; a new upload on the form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import SchoolYear
from applications.models import Application
from audit.models import AccessEvent
from documents.models import Document

from ..factories import DocumentFactory, blank_pdf
from ..iop.factories import PlanFactory
from .factories import ApplicationFactory
from .test_manage import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(minor):
    return SchoolYear.objects.current()


def add_url(school):
    return reverse("applications:application_add", args=[school.pk])


def edit_url(application):
    return reverse("applications:application_edit", args=[application.pk])


# --- 1. Who is offered on "Add student application" ------------------------------------------


def test_a_student_with_an_iop_this_year_is_not_offered(client, admin, school_a, minor, adult, year):
    PlanFactory(student=adult, school_year=year)
    client.force_login(admin)
    assert [s.pk for s in client.get(add_url(school_a)).context["page"]] == [minor.pk]


def test_an_iop_of_an_earlier_year_does_not_hide_the_student(client, admin, school_a, adult, year):
    last_year, _ = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)
    PlanFactory(student=adult, school_year=last_year)
    client.force_login(admin)
    assert adult in client.get(add_url(school_a)).context["page"].object_list


def test_a_student_with_an_iop_cannot_be_added_by_a_forged_post(client, admin, school_a, adult, year):
    PlanFactory(student=adult, school_year=year)
    client.force_login(admin)
    response = client.post(add_url(school_a), {"student": adult.pk})
    assert response.status_code == 302 and not Application.objects.filter(student=adult).exists()


def test_the_filter_still_works(client, admin, school_a, minor, adult, year):
    client.force_login(admin)
    assert [s.pk for s in client.get(add_url(school_a), {"q": "erik"}).context["page"]] == [adult.pk]


# --- 2. Uploading a new document from the application form ---------------------------------


@pytest.fixture
def application(minor, year):
    return ApplicationFactory(student=minor, school_year=year)


@pytest.fixture
def maths(minor):
    return minor.enrollments.get().subject


def post_edit(client, application, maths, content, **upload):
    data = edit_data(maths, **{"upload-file": SimpleUploadedFile("Vurdering PPT.pdf", content, "application/pdf"),
                               **upload})
    return client.post(edit_url(application), data)


def test_the_edit_form_offers_an_upload(client, admin, application):
    client.force_login(admin)
    response = client.get(edit_url(application))
    assert b'enctype="multipart/form-data"' in response.content
    assert b'name="upload-file"' in response.content


def test_a_new_upload_becomes_a_document_of_the_student_and_an_attachment(client, admin, application, maths):
    old = DocumentFactory(student=application.student)
    client.force_login(admin)
    response = post_edit(client, application, maths, blank_pdf(2), attachments=[str(old.pk)],
                         **{"upload-title": "PPT-rapport"})
    assert response.status_code == 302
    new = Document.objects.get(title="PPT-rapport")
    assert new.student == application.student and new.page_count == 2 and new.uploaded_by == admin
    assert set(application.attachments.values_list("document_id", flat=True)) == {old.pk, new.pk}
    assert AccessEvent.objects.filter(action="created", object_type="document", object_id=str(new.pk)).exists()
    listed = client.get(reverse("documents:student_documents", args=[application.student.pk]))
    assert new in listed.context["documents"]


def test_the_title_defaults_to_the_file_name(client, admin, application, maths):
    client.force_login(admin)
    post_edit(client, application, maths, blank_pdf())
    assert application.attachments.get().document.title == "Vurdering PPT"


def test_a_file_that_is_not_a_pdf_re_shows_the_form_and_stores_nothing(client, admin, application, maths):
    client.force_login(admin)
    response = post_edit(client, application, maths, b"MZ not a pdf at all")
    assert response.status_code == 200
    assert response.context["upload"].errors["file"]
    assert not Document.objects.exists() and not application.attachments.exists()
    application.refresh_from_db()
    assert application.student_goal != "Bestå matematikk."  # nothing of the form was saved either


def test_a_title_without_a_file_is_a_form_error(client, admin, application, maths):
    client.force_login(admin)
    response = client.post(edit_url(application), edit_data(maths, **{"upload-title": "Uten fil"}))
    assert response.status_code == 200 and response.context["upload"].errors["file"]
    assert not Document.objects.exists()


def test_no_upload_when_the_application_can_no_longer_change(client, admin, application, maths):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.APPROVED)
    client.force_login(admin)
    response = post_edit(client, application, maths, blank_pdf())
    assert response.status_code == 302 and not Document.objects.exists()


def test_the_teacher_cannot_upload_through_the_form(client, teacher, application, maths):
    client.force_login(teacher)
    assert post_edit(client, application, maths, blank_pdf()).status_code == 403
    assert not Document.objects.exists()
