"""The IOP admin's application pages: list, add, edit, detail, publish, reopen, mark sent, download."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolYear
from applications.models import Application, ApplicationAttachment, ApplicationSubject
from applications.services import application_approve
from audit.models import AccessEvent

from ..access_table import CAST, application_holds, application_status, school_page_status
from ..factories import DocumentFactory, EnrollmentFactory, StudentFactory, SubjectFactory
from .factories import ApplicationFactory, ApplicationSubjectFactory, SchoolBatchFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


@pytest.fixture
def year(minor):
    return SchoolYear.objects.current()


@pytest.fixture
def application(minor, year):
    return ApplicationFactory(student=minor, school_year=year)


@pytest.fixture
def maths(minor):
    return minor.enrollments.get().subject


def set_status(application, status, **fields):
    Application.objects.filter(pk=application.pk).update(status=status, **fields)
    application.refresh_from_db()


def error_messages(response):
    return [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def url(name, obj):
    return reverse(f"applications:{name}", args=[obj.pk])


def edit_data(maths=None, *, rows=(), attachments=(), **fields):
    """A valid POST for the edit page: text fields, subject rows, attachments."""
    data = {
        "expert_assessment_date": "2025-05-02",
        "expert_assessment_by": "PPT Fjordbyen",
        "expert_assessment_summary": "Behov for spesialundervisning i matematikk.",
        "student_goal": "Bestå matematikk.",
        "other_information": "",
        "attachments": [str(pk) for pk in attachments],
    }
    rows = list(rows) or ([(maths.pk, "2 timer i uka", "Liten gruppe")] if maths else [])
    data.update({"subjects-TOTAL_FORMS": str(len(rows)), "subjects-INITIAL_FORMS": "0"})
    for index, (subject, extent, organisation) in enumerate(rows):
        data.update({f"subjects-{index}-subject": str(subject), f"subjects-{index}-extent": extent,
                     f"subjects-{index}-organisation": organisation})
    data.update(fields)
    return data


# --- Access: every page for every role ------------------------------------------------

SCHOOL_PAGES = ["application_list", "application_add", "decision_add"]
APPLICATION_GET_PAGES = ["application_detail", "application_edit", "application_reopen", "application_download"]
APPLICATION_POST_ONLY = ["application_publish", "application_mark_sent", "application_decide"]
APPLICATION_PAGES = {
    **{page: ["get"] for page in APPLICATION_GET_PAGES},
    **{page: ["post"] for page in APPLICATION_POST_ONLY},
    "application_edit": ["get", "post"],
    "application_reopen": ["get", "post"],
}


def call(client, method, target):
    return getattr(client, method)(target)


@pytest.mark.parametrize("name", SCHOOL_PAGES)
def test_admin_opens_the_school_pages(client, admin, school_a, minor, name):
    client.force_login(admin)
    assert client.get(url(name, school_a)).status_code == school_page_status("admin")


# School pages: staff of the school are insiders (403), everyone else 404 (tests/access_table.py).
@pytest.mark.parametrize("page", SCHOOL_PAGES)
@pytest.mark.parametrize("name", [name for name in CAST if name != "admin"])
def test_school_pages_are_closed_to_everyone_else(client, cast, school_a, page, name):
    client.force_login(cast[name])
    assert client.get(url(page, school_a)).status_code == school_page_status(name)
    if page != "application_list":
        assert client.post(url(page, school_a), {"student": "1"}).status_code == school_page_status(name)


@pytest.mark.parametrize("page", APPLICATION_GET_PAGES)
def test_admin_opens_the_application_pages(client, admin, application, page):
    client.force_login(admin)
    assert client.get(url(page, application)).status_code == application_status("admin", "manage", Status.REGISTERED)


# Before publication only the student's teachers know of the application (403), after it the
# student and the guardian too; nobody but the admin manages it (tests/access_table.py).
@pytest.mark.parametrize("status", [Status.REGISTERED, Status.AWAITING_APPROVAL])
@pytest.mark.parametrize("page", APPLICATION_PAGES)
@pytest.mark.parametrize("name", [name for name in CAST if not application_holds(name, "manage", Status.REGISTERED)])
def test_application_pages_are_closed_to_everyone_else(client, cast, application, page, name, status):
    set_status(application, status)
    client.force_login(cast[name])
    for method in APPLICATION_PAGES[page]:
        expected = application_status(name, "manage", status)
        assert call(client, method, url(page, application)).status_code == expected, method
    application.refresh_from_db()
    assert application.status == status


@pytest.mark.parametrize("page", APPLICATION_POST_ONLY)
def test_get_on_a_post_only_view_is_405(client, admin, application, page):
    client.force_login(admin)
    assert client.get(url(page, application)).status_code == 405


@pytest.mark.parametrize("page", ["application_detail", "application_download"])
def test_post_on_a_get_only_view_is_405(client, admin, application, page):
    client.force_login(admin)
    assert client.post(url(page, application)).status_code == 405


def test_anonymous_is_sent_to_login(client, application, school_a):
    for target in (url("application_list", school_a), url("application_detail", application)):
        assert client.get(target).url.startswith(reverse("login"))


# --- The list -------------------------------------------------------------------------


def students_in(response):
    return [a.student.full_name for a in response.context["applications"]]


def test_list_shows_this_years_applications_of_the_school(client, admin, school_a, school_b, application, year):
    last_year, _ = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)
    ApplicationFactory(student=StudentFactory(school=school_a, first_name="Gammel"), school_year=last_year)
    ApplicationFactory(student=StudentFactory(school=school_b, first_name="Annen"), school_year=year)
    client.force_login(admin)
    response = client.get(url("application_list", school_a))
    assert students_in(response) == ["Emma Hansen"]
    assert AccessEvent.objects.filter(action="viewed", object_type="application_list", school=school_a).exists()


def test_list_filters_by_status_and_name(client, admin, school_a, application, adult, year):
    ApplicationFactory(student=adult, school_year=year, status=Status.APPROVED)
    client.force_login(admin)
    list_url = url("application_list", school_a)
    assert students_in(client.get(list_url, {"status": "approved"})) == ["Erik Berg"]
    assert students_in(client.get(list_url, {"status": "registered"})) == ["Emma Hansen"]
    assert students_in(client.get(list_url, {"q": "emma"})) == ["Emma Hansen"]
    assert sorted(students_in(client.get(list_url, {"status": "nonsense"}))) == ["Emma Hansen", "Erik Berg"]


def test_list_creates_the_school_year_when_missing(client, admin, school_a):
    SchoolYear.objects.all().delete()
    client.force_login(admin)
    response = client.get(url("application_list", school_a))
    assert response.status_code == 200
    assert response.context["year"] == SchoolYear.objects.current()


# --- Adding an application -------------------------------------------------------------


def test_add_lists_students_without_application(client, admin, school_a, minor, adult, other_child, year):
    ApplicationFactory(student=adult, school_year=year)
    client.force_login(admin)
    response = client.get(url("application_add", school_a))
    assert {s.full_name for s in response.context["page"]} == {"Emma Hansen", "Ola Nilsen"}
    assert [s.full_name for s in client.get(url("application_add", school_a), {"q": "ola"}).context["page"]] == [
        "Ola Nilsen"
    ]


def test_add_creates_and_redirects_to_edit(client, admin, school_a, minor, year):
    client.force_login(admin)
    response = client.post(url("application_add", school_a), {"student": minor.pk})
    application = Application.objects.get(student=minor)
    assert response.url == url("application_edit", application)
    assert application.school_year == year and application.created_by == admin
    assert AccessEvent.objects.filter(action="created", object_type="application", object_id=application.pk).exists()


def test_add_twice_gives_a_message_and_one_application(client, admin, school_a, minor, year):
    client.force_login(admin)
    client.post(url("application_add", school_a), {"student": minor.pk})
    response = client.post(url("application_add", school_a), {"student": minor.pk})
    assert response.status_code == 302 and error_messages(response)
    assert Application.objects.filter(student=minor).count() == 1


@pytest.mark.parametrize("forged", ["abc", "", "999999"])
def test_add_with_a_forged_student_is_404(client, admin, school_a, minor, forged):
    client.force_login(admin)
    assert client.post(url("application_add", school_a), {"student": forged}).status_code == 404
    assert not Application.objects.exists()


def test_add_a_student_of_another_school_is_404(client, admin, other_admin, school_a, school_b, year):
    foreign = StudentFactory(school=school_b)
    client.force_login(admin)
    assert client.post(url("application_add", school_a), {"student": foreign.pk}).status_code == 404
    client.force_login(other_admin)  # admin of B, but through A's page: A is closed to them
    assert client.post(url("application_add", school_a), {"student": foreign.pk}).status_code == 404
    assert not Application.objects.exists()


# --- Editing --------------------------------------------------------------------------


def test_edit_saves_fields_subjects_and_attachments(client, admin, application, maths):
    document = DocumentFactory(student=application.student)
    client.force_login(admin)
    response = client.post(url("application_edit", application), edit_data(maths, attachments=[document.pk]))
    assert response.url == url("application_detail", application)
    application.refresh_from_db()
    assert application.student_goal == "Bestå matematikk."
    assert str(application.expert_assessment_date) == "2025-05-02"
    assert [(s.subject, s.extent) for s in application.subjects.all()] == [(maths, "2 timer i uka")]
    assert [a.document for a in application.attachments.all()] == [document]
    assert AccessEvent.objects.filter(action="changed", object_id=application.pk, detail="edited").exists()


def test_edit_shows_existing_rows_and_removes_a_row(client, admin, application, maths):
    ApplicationSubjectFactory(application=application, subject=maths)
    client.force_login(admin)
    formset = client.get(url("application_edit", application)).context["formset"]
    assert formset.initial_form_count() == 1 and len(formset.forms) == 2
    data = edit_data(maths, **{"subjects-0-DELETE": "on"})
    client.post(url("application_edit", application), data)
    assert not application.subjects.exists()


def test_save_and_add_row_returns_to_the_edit_page(client, admin, application, maths):
    client.force_login(admin)
    response = client.post(url("application_edit", application), edit_data(maths, add_row=""))
    assert response.url == url("application_edit", application)


def test_edit_rejects_a_subject_the_student_does_not_take(client, admin, application, other_child):
    foreign_subject = other_child.enrollments.get().subject
    client.force_login(admin)
    response = client.post(url("application_edit", application),
                           edit_data(rows=[(foreign_subject.pk, "2 timer", "")]))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["subject"]
    assert not ApplicationSubject.objects.exists()


def test_edit_rejects_the_same_subject_twice(client, admin, application, maths):
    client.force_login(admin)
    response = client.post(url("application_edit", application),
                           edit_data(rows=[(maths.pk, "2 t", ""), (maths.pk, "3 t", "")]))
    assert response.status_code == 200 and response.context["formset"].non_form_errors()
    assert not ApplicationSubject.objects.exists()


def test_edit_rejects_a_document_of_another_student(client, admin, application, maths, other_child):
    foreign = DocumentFactory(student=other_child)
    client.force_login(admin)
    response = client.post(url("application_edit", application), edit_data(maths, attachments=[foreign.pk]))
    assert response.status_code == 200 and response.context["form"].errors["attachments"]
    assert not ApplicationAttachment.objects.exists()
    application.refresh_from_db()
    assert application.student_goal != "Bestå matematikk."  # nothing half-stored


def test_edit_with_tampered_management_form_is_a_form_error(client, admin, application, maths):
    client.force_login(admin)
    data = edit_data(maths)
    del data["subjects-TOTAL_FORMS"]
    response = client.post(url("application_edit", application), data)
    assert response.status_code == 200 and response.context["formset"].non_form_errors()


def test_edit_keeps_what_the_user_typed_on_error(client, admin, application, maths):
    client.force_login(admin)
    data = edit_data(maths, expert_assessment_date="not a date", student_goal="Nytt mål")
    response = client.post(url("application_edit", application), data)
    assert response.status_code == 200 and response.context["form"].errors["expert_assessment_date"]
    assert "Nytt mål" in response.content.decode()


def test_edit_rejects_an_expert_assessment_in_the_future(client, admin, application, maths):
    client.force_login(admin)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url("application_edit", application), edit_data(maths, expert_assessment_date=future))
    assert response.context["form"].errors["expert_assessment_date"]


def test_edit_while_awaiting_approval_is_allowed(client, admin, application, maths):
    set_status(application, Status.AWAITING_APPROVAL)
    client.force_login(admin)
    client.post(url("application_edit", application), edit_data(maths))
    assert application.subjects.count() == 1


@pytest.mark.parametrize("status", [Status.APPROVED, Status.UNDER_PROCESSING, Status.GRANTED])
def test_edit_after_approval_is_read_only(client, admin, application, maths, status):
    set_status(application, status)
    client.force_login(admin)
    page = client.get(url("application_edit", application))
    assert page.status_code == 200
    assert page.templates[0].name == "applications/manage/application_readonly.html"
    assert page.context["actions"]["reopen"] == (status == Status.APPROVED)
    response = client.post(url("application_edit", application), edit_data(maths))
    assert response.status_code == 302 and error_messages(response)
    application.refresh_from_db()
    assert not application.subjects.exists() and application.student_goal != "Bestå matematikk."


def test_edit_offers_only_the_students_subjects_and_documents(client, admin, application, maths, other_child):
    own = DocumentFactory(student=application.student)
    DocumentFactory(student=other_child)
    client.force_login(admin)
    response = client.get(url("application_edit", application))
    assert list(response.context["formset"].forms[0].fields["subject"].queryset) == [maths]
    assert list(response.context["form"].fields["attachments"].queryset) == [own]
    assert AccessEvent.objects.filter(action="viewed", object_type="application", object_id=application.pk).exists()


# --- Detail and transitions -------------------------------------------------------------


def test_detail_shows_the_actions_valid_now(client, admin, application):
    client.force_login(admin)
    actions = client.get(url("application_detail", application)).context["actions"]
    assert actions == {"edit": True, "publish": True, "reopen": False, "mark_sent": False, "decide": False}
    set_status(application, Status.APPROVED)
    actions = client.get(url("application_detail", application)).context["actions"]
    assert actions == {"edit": False, "publish": False, "reopen": True, "mark_sent": True, "decide": False}
    assert AccessEvent.objects.filter(action="viewed", object_type="application", object_id=application.pk).exists()


def test_publish(client, admin, application):
    client.force_login(admin)
    response = client.post(url("application_publish", application))
    assert response.url == url("application_detail", application)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_APPROVAL
    assert AccessEvent.objects.filter(action="changed", object_id=application.pk, detail="published").count() == 1


def test_publish_twice_gives_a_message_and_no_change(client, admin, application):
    client.force_login(admin)
    client.post(url("application_publish", application))
    response = client.post(url("application_publish", application))
    assert response.status_code == 302 and error_messages(response)
    application.refresh_from_db()
    assert application.status == Status.AWAITING_APPROVAL
    assert AccessEvent.objects.filter(action="changed", detail="published").count() == 1


def test_reopen_asks_first_then_removes_the_approval(client, admin, guardian, application):
    set_status(application, Status.APPROVED, approved_by=guardian, approved_at=timezone.now(), approved_hash="ab" * 32)
    client.force_login(admin)
    assert client.get(url("application_reopen", application)).context["actions"]["reopen"]
    response = client.post(url("application_reopen", application))
    assert response.url == url("application_edit", application)
    application.refresh_from_db()
    assert application.status == Status.REGISTERED and application.approved_by is None
    assert not application.approved_hash
    assert AccessEvent.objects.filter(action="changed", object_id=application.pk, detail="reopened").exists()


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.AWAITING_APPROVAL, Status.UNDER_PROCESSING])
def test_reopen_when_not_approved_gives_a_message_and_no_change(client, admin, application, status):
    set_status(application, status)
    client.force_login(admin)
    response = client.post(url("application_reopen", application))
    assert response.status_code == 302 and error_messages(response)
    application.refresh_from_db()
    assert application.status == status


def test_mark_sent(client, admin, application):
    set_status(application, Status.APPROVED)
    client.force_login(admin)
    day = timezone.localdate() - timedelta(days=1)
    client.post(url("application_mark_sent", application), {"sent_on": day.isoformat()})
    application.refresh_from_db()
    assert application.status == Status.UNDER_PROCESSING and application.sent_on == day
    assert AccessEvent.objects.filter(action="changed", object_id=application.pk, detail="sent").exists()


def test_mark_sent_in_a_batch_gives_a_message_and_no_change(client, admin, application, school_a):
    set_status(application, Status.APPROVED, batch=SchoolBatchFactory(school=school_a))
    client.force_login(admin)
    response = client.post(url("application_mark_sent", application), {"sent_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and error_messages(response)
    application.refresh_from_db()
    assert application.status == Status.APPROVED and application.sent_on is None


def test_mark_sent_with_a_bad_date_re_renders_with_the_error(client, admin, application):
    set_status(application, Status.APPROVED)
    client.force_login(admin)
    response = client.post(url("application_mark_sent", application), {"sent_on": "31.02.2025"})
    assert response.status_code == 200 and response.context["sent_form"].errors
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_mark_sent_when_registered_gives_a_message(client, admin, application):
    client.force_login(admin)
    response = client.post(url("application_mark_sent", application), {"sent_on": timezone.localdate().isoformat()})
    assert error_messages(response)
    application.refresh_from_db()
    assert application.status == Status.REGISTERED


def test_another_schools_application_is_404_for_the_admin(client, admin, school_b, year):
    foreign = ApplicationFactory(student=StudentFactory(school=school_b), school_year=year)
    client.force_login(admin)
    for page, methods in APPLICATION_PAGES.items():
        for method in methods:
            assert call(client, method, url(page, foreign)).status_code == 404


# --- Download ------------------------------------------------------------------------------


def assert_pdf_download(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_download_renders_a_draft_before_approval(client, admin, application):
    client.force_login(admin)
    body = assert_pdf_download(client.get(url("application_download", application)))
    assert body.startswith(b"%PDF")
    assert AccessEvent.objects.filter(action="downloaded", object_id=application.pk).exists()


def test_download_serves_the_approved_snapshot(client, admin, guardian, application):
    application.publish()
    application_approve(application=application, by=guardian)
    application.refresh_from_db()
    snapshot = application.snapshot.read()
    client.force_login(admin)
    assert assert_pdf_download(client.get(url("application_download", application))) == snapshot
    assert AccessEvent.objects.filter(action="downloaded", object_id=application.pk).exists()


def test_a_student_with_subjects_in_two_years_gets_only_this_years(client, admin, application, maths, year):
    last_year, _ = SchoolYear.objects.get_or_create(start_year=year.start_year - 1)
    EnrollmentFactory(student=application.student, subject=SubjectFactory(code="NOR1211"), school_year=last_year)
    client.force_login(admin)
    response = client.get(url("application_edit", application))
    assert list(response.context["formset"].forms[0].fields["subject"].queryset) == [maths]
