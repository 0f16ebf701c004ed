"""Issue 17, items 6 and 18: sharing a document picks from the people a grant may go to; once the IOP is
published to the family (stage 3+), the IOP admin sees which documents the student and guardians can open
and gives them access in one click. Access itself is not widened."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from documents.access import family_recipients, grant_recipients
from iop.models import Plan

from ..factories import DocumentFactory
from ..iop.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(minor, admin):
    return DocumentFactory(student=minor, uploaded_by=admin, title="Sakkyndig vurdering")


def grants_url(document):
    return reverse("documents:document_grants", args=[document.pk])


def documents_page(client, user, student):
    client.force_login(user)
    return client.get(reverse("documents:student_documents", args=[student.pk]))


def download(client, user, document):
    client.force_login(user)
    return client.get(reverse("documents:document_download", args=[document.pk])).status_code


# --- Item 18: the picker -------------------------------------------------------------------------------


def test_the_picker_offers_only_people_related_to_the_student(client, cast, document):
    client.force_login(cast["admin"])
    offered = set(client.get(grants_url(document)).context["form"].fields["grantee"].queryset)
    related = {cast[name] for name in ("admin", "teacher", "coteacher", "other_teacher", "principal", "guardian",
                                       "minor_student")}
    assert offered == related  # not the IOP admin of another school, another child's guardian, a stranger


def test_an_adult_students_guardian_is_not_offered(adult, guardian):
    adult.guardianships.create(guardian=guardian)
    assert guardian not in grant_recipients(adult) and guardian not in family_recipients(adult)


@pytest.mark.parametrize("name", ["other_admin", "other_guardian", "stranger"])
def test_a_forged_id_gets_the_same_error_as_one_that_does_not_exist(client, cast, document, name):
    client.force_login(cast["admin"])
    forged = client.post(grants_url(document), {"grantee": cast[name].pk})
    missing = client.post(grants_url(document), {"grantee": 987654})
    assert forged.status_code == missing.status_code == 200
    assert forged.context["form"].errors == missing.context["form"].errors
    assert str(cast[name].pk) not in str(forged.context["form"].errors)
    assert not cast[name].has_perm("documents.download_document", document)


def test_a_picked_guardian_may_download(client, admin, guardian, document):
    client.force_login(admin)
    assert client.post(grants_url(document), {"grantee": guardian.pk}).status_code == 302
    assert download(client, guardian, document) == 200


def test_a_teacher_may_not_grant(client, teacher, guardian, document):
    document.visible_to_teachers = True
    document.save()
    client.force_login(teacher)
    assert client.post(grants_url(document), {"grantee": guardian.pk}).status_code == 403


# --- Item 6: the family's access at stage 3 ------------------------------------------------------------


@pytest.mark.parametrize("stage", [Plan.Stage.STUDENT_AND_GUARDIANS, Plan.Stage.ANNUAL_REPORT])
def test_from_stage_3_the_admin_sees_who_of_the_family_cannot_open_a_document(client, admin, guardian,
                                                                              minor_student, minor, document, stage):
    PlanFactory(student=minor, stage=stage)
    response = documents_page(client, admin, minor)
    [shown] = response.context["documents"]
    assert set(shown.family_cannot) == {guardian, minor_student} and shown.family_can == []
    assert b'name="family"' in response.content


def test_before_stage_3_the_family_is_not_shown(client, admin, guardian, minor, document):
    PlanFactory(student=minor, stage=Plan.Stage.TEACHERS)
    response = documents_page(client, admin, minor)
    assert response.context["family"] == [] and b'name="family"' not in response.content


def test_stage_3_alone_does_not_open_a_document_to_the_family(guardian, minor_student, minor, document, client):
    PlanFactory(student=minor, stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    assert download(client, guardian, document) == 404
    assert download(client, minor_student, document) == 404


def test_one_click_grants_the_document_to_the_student_and_guardians(client, admin, guardian, minor_student, minor,
                                                                   document):
    PlanFactory(student=minor, stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    client.force_login(admin)
    response = client.post(grants_url(document), {"family": "1"})
    assert response.status_code == 302
    assert response.url == reverse("documents:student_documents", args=[minor.pk])
    assert download(client, guardian, document) == 200 and download(client, minor_student, document) == 200
    granted = AccessEvent.objects.filter(action="granted", object_type="document", object_id=str(document.pk))
    assert sorted(granted.values_list("detail", flat=True)) == sorted([guardian.username, minor_student.username])
    [shown] = documents_page(client, admin, minor).context["documents"]
    assert set(shown.family_can) == {guardian, minor_student} and shown.family_cannot == []


def test_the_adult_student_gets_the_one_click_grant_alone(client, admin, adult_student, adult, guardian):
    adult.guardianships.create(guardian=guardian)
    document = DocumentFactory(student=adult, uploaded_by=admin)
    client.force_login(admin)
    assert client.post(grants_url(document), {"family": "1"}).status_code == 302
    assert download(client, adult_student, document) == 200 and download(client, guardian, document) == 404


@pytest.mark.parametrize(("name", "status"), [("teacher", 403), ("other_admin", 404), ("guardian", 404)])
def test_only_the_iop_admin_may_use_the_one_click_grant(client, cast, document, name, status):
    document.visible_to_teachers = True
    document.save()
    client.force_login(cast[name])
    assert client.post(grants_url(document), {"family": "1"}).status_code == status
    assert not AccessEvent.objects.filter(action="granted").exists()


def test_the_family_column_is_the_admins_only(client, teacher, minor, document):
    PlanFactory(student=minor, stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    document.visible_to_teachers = True
    document.save()
    response = documents_page(client, teacher, minor)
    assert response.context["family"] == [] and b'name="family"' not in response.content
