"""A per-document grant only narrows a relation: it ends the moment the relation ends (docs/architecture.md §4)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.models import Guardianship, StaffMembership

from ..factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(minor):
    return DocumentFactory(student=minor, title="Sakkyndig vurdering", visible_to_teachers=False)


def download(client, user, document):
    client.force_login(user)
    return client.get(reverse("documents:document_download", args=[document.pk])).status_code


def listing(client, user, student):
    client.force_login(user)
    return client.get(reverse("documents:student_documents", args=[student.pk])).status_code


def test_a_guardians_grant_counts_while_the_guardianship_lasts(client, guardian, minor, document):
    assign_perm("download_document", guardian, document)
    assert download(client, guardian, document) == 200
    Guardianship.objects.filter(guardian=guardian, student=minor).delete()  # custody changes
    assert download(client, guardian, document) == 404
    assert listing(client, guardian, minor) == 404


def test_a_guardians_grant_ends_on_the_18th_birthday(client, guardian, minor, document):
    assign_perm("download_document", guardian, document)
    assert download(client, guardian, document) == 200
    minor.birth_date = minor.birth_date - timedelta(days=366 * 3)  # the student is now 18 or more
    minor.save()
    assert download(client, guardian, document) == 404


def test_a_staff_grant_ends_when_the_person_leaves_the_school(client, other_teacher, minor, document):
    assign_perm("download_document", other_teacher, document)
    assert download(client, other_teacher, document) == 200
    StaffMembership.objects.filter(user=other_teacher, school=minor.school).delete()
    assert download(client, other_teacher, document) == 404


def test_the_students_own_grant_counts(client, minor_student, document):
    assign_perm("download_document", minor_student, document)
    assert download(client, minor_student, document) == 200


def test_a_grant_is_refused_to_someone_without_a_relation(client, admin, document):
    outsider = UserFactory(username="ppt")
    client.force_login(admin)
    response = client.post(reverse("documents:document_grants", args=[document.pk]), {"grantee": outsider.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert not outsider.has_perm("documents.download_document", document)


def test_a_grant_to_a_guardian_is_accepted(client, admin, guardian, document):
    client.force_login(admin)
    response = client.post(reverse("documents:document_grants", args=[document.pk]), {"grantee": guardian.pk})
    assert response.status_code == 302
    assert download(client, guardian, document) == 200


def test_a_teacher_who_leaves_the_school_loses_the_students(client, teacher, minor):
    assert listing(client, teacher, minor) == 200
    StaffMembership.objects.filter(user=teacher, school=minor.school).delete()
    assert listing(client, teacher, minor) == 404  # the enrollment still names them
