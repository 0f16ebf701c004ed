"""Retention erases uploaded documents with their download grants and files, and nothing else."""

import pytest
from guardian.shortcuts import assign_perm

from accounts.models import SchoolYear
from applications.services import application_create, application_set_attachments
from audit.models import AccessEvent
from documents.models import DOWNLOAD_PERMISSION, Document, DocumentUserObjectPermission
from documents.services import DocumentInUse, erase_for_retention

from ..factories import DocumentFactory

pytestmark = pytest.mark.django_db


def stored(document) -> bool:
    return document.file.storage.exists(document.file.name)


def exists(document) -> bool:
    return Document.objects.filter(pk=document.pk).exists()


@pytest.fixture
def granted(minor, guardian):
    document = DocumentFactory(student=minor, title="Sakkyndig vurdering")
    assign_perm(DOWNLOAD_PERMISSION, guardian, document)
    return document


@pytest.fixture
def other(adult):
    return DocumentFactory(student=adult, title="Vedtak")


def erase(django_capture_on_commit_callbacks, **ids) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return erase_for_retention(**ids)


def test_erases_the_document_its_grants_and_its_file(granted, django_capture_on_commit_callbacks):
    assert stored(granted)
    assert erase(django_capture_on_commit_callbacks, document_ids=[granted.pk]) == 1
    assert not exists(granted) and not stored(granted)
    assert not DocumentUserObjectPermission.objects.filter(content_object_id=granted.pk).exists()


def test_keeps_other_documents(granted, other, django_capture_on_commit_callbacks):
    erase(django_capture_on_commit_callbacks, document_ids=[granted.pk])
    assert exists(other) and stored(other)


def test_the_file_stays_until_the_transaction_commits(granted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erase_for_retention(document_ids=[granted.pk])
    assert stored(granted) and callbacks


def test_unknown_or_already_erased_ids_are_skipped(granted, other, django_capture_on_commit_callbacks):
    erase(django_capture_on_commit_callbacks, document_ids=[granted.pk])
    assert erase(django_capture_on_commit_callbacks, document_ids=[granted.pk, 987654]) == 0
    assert erase(django_capture_on_commit_callbacks) == 0
    assert exists(other)


def test_writes_no_access_events(granted, django_capture_on_commit_callbacks):
    before = AccessEvent.objects.count()
    erase(django_capture_on_commit_callbacks, document_ids=[granted.pk])
    assert AccessEvent.objects.count() == before


def test_a_document_attached_to_an_application_stops_the_whole_erasure(granted, other, adult, admin,
                                                                       django_capture_on_commit_callbacks):
    application = application_create(student=adult, school_year=SchoolYear.objects.current(create=True), by=admin)
    application_set_attachments(application=application, documents=[other])
    with pytest.raises(DocumentInUse), django_capture_on_commit_callbacks(execute=True) as callbacks:
        erase_for_retention(document_ids=[granted.pk, other.pk])
    assert not callbacks
    assert exists(granted) and stored(granted) and exists(other) and stored(other)
