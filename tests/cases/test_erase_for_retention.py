"""Retention erases person cases with everything in them, and single attachments, files included."""

import pytest

from audit.models import AccessEvent
from cases.models import Attachment, Case, CaseStudent, CoHandler, Event, EventVersion
from cases.services import erase_for_retention

from .factories import add_event, add_event_with_attachment, make_case

pytestmark = pytest.mark.django_db


def stored(attachment):
    return attachment.file.storage.exists(attachment.file.name)


@pytest.fixture
def emmas(case, teacher):
    """Emma's case with a plain event, an event with an attachment, and a correction."""
    add_event(case, teacher)
    event = add_event_with_attachment(case, teacher)
    EventVersion.objects.create(event=event, number=2, category=event.versions.get().category,
                                occurred_on=event.versions.get().occurred_on, title="Rettet", text="Rettet tekst",
                                written_by=teacher)
    return case


@pytest.fixture
def eriks(adult, teacher, case_creator):
    case = make_case(adult, teacher, by=case_creator)
    add_event_with_attachment(case, teacher)
    return case


def erase(django_capture_on_commit_callbacks, **ids) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return erase_for_retention(**ids)


def test_erases_the_case_and_everything_in_it(emmas, django_capture_on_commit_callbacks):
    attachment = Attachment.objects.get(event__case=emmas)
    assert stored(attachment)
    assert erase(django_capture_on_commit_callbacks, case_ids=[emmas.pk]) == 1
    assert not Case.objects.filter(pk=emmas.pk).exists()
    assert not Event.objects.filter(case_id=emmas.pk).exists()
    assert not EventVersion.objects.filter(event__case_id=emmas.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists() and not stored(attachment)
    assert not CoHandler.objects.filter(case_id=emmas.pk).exists()


def test_keeps_the_card_and_other_cases(emmas, eriks, minor, django_capture_on_commit_callbacks):
    kept = Attachment.objects.get(event__case=eriks)
    erase(django_capture_on_commit_callbacks, case_ids=[emmas.pk])
    assert CaseStudent.objects.filter(student=minor).exists()
    assert Case.objects.filter(pk=eriks.pk).exists() and EventVersion.objects.filter(event__case=eriks).exists()
    assert Attachment.objects.filter(pk=kept.pk).exists() and stored(kept)


def test_erases_a_single_attachment_and_its_file(emmas, eriks, django_capture_on_commit_callbacks):
    attachment, kept = Attachment.objects.get(event__case=emmas), Attachment.objects.get(event__case=eriks)
    assert erase(django_capture_on_commit_callbacks, attachment_ids=[attachment.pk]) == 1
    assert not Attachment.objects.filter(pk=attachment.pk).exists() and not stored(attachment)
    assert Event.objects.filter(pk=attachment.event_id).exists() and stored(kept)


def test_counts_cases_and_named_attachments(emmas, eriks, django_capture_on_commit_callbacks):
    attachment = Attachment.objects.get(event__case=eriks)
    assert erase(django_capture_on_commit_callbacks, case_ids=[emmas.pk], attachment_ids=[attachment.pk]) == 2


def test_files_stay_until_the_transaction_commits(emmas, django_capture_on_commit_callbacks):
    attachment = Attachment.objects.get(event__case=emmas)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        erase_for_retention(case_ids=[emmas.pk])
    assert stored(attachment) and callbacks


def test_unknown_or_already_erased_ids_are_skipped(emmas, django_capture_on_commit_callbacks):
    erase(django_capture_on_commit_callbacks, case_ids=[emmas.pk])
    assert erase(django_capture_on_commit_callbacks, case_ids=[emmas.pk, 987654], attachment_ids=[987655]) == 0
    assert erase(django_capture_on_commit_callbacks) == 0


def test_writes_no_access_events(emmas, django_capture_on_commit_callbacks):
    before = AccessEvent.objects.count()
    erase(django_capture_on_commit_callbacks, case_ids=[emmas.pk])
    assert AccessEvent.objects.count() == before
