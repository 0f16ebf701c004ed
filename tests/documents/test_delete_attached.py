"""Issue 17, item 3: the delete confirmation says, before confirming, that an attached document stays, and where."""

import pytest
from django.urls import reverse

from applications.models import ApplicationAttachment
from documents.models import Document

from ..applications.factories import ApplicationFactory
from ..factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(minor):
    return DocumentFactory(student=minor, title="Sakkyndig vurdering")


def delete_url(document):
    return reverse("documents:document_delete", args=[document.pk])


def test_an_attached_document_names_its_application_and_offers_no_delete(client, admin, minor, document):
    application = ApplicationFactory(student=minor)
    ApplicationAttachment.objects.create(application=application, document=document)
    client.force_login(admin)
    response = client.get(delete_url(document))
    assert response.status_code == 200
    assert [holder.application for holder in response.context["held_by"]] == [application]
    detail = reverse("applications:application_detail", args=[application.pk]).encode()
    assert b'id="document-held"' in response.content and detail in response.content
    assert b'data-color="danger" type="submit"' not in response.content
    assert client.post(delete_url(document)).status_code == 302
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_free_document_is_offered_for_deletion(client, admin, document):
    client.force_login(admin)
    response = client.get(delete_url(document))
    assert response.context["held_by"] == []
    assert b'data-color="danger" type="submit"' in response.content and b'id="document-held"' not in response.content


def test_the_teacher_is_still_refused(client, teacher, document):
    Document.objects.filter(pk=document.pk).update(visible_to_teachers=True)
    client.force_login(teacher)
    assert client.get(delete_url(document)).status_code == 403
