"""AccessEvent is append-only, and outlives the users, students and schools it names."""

import pytest
from django.db import IntegrityError, transaction

from audit.log import record
from audit.models import AccessEvent, AppendOnlyError

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(teacher, minor):
    return record(None, action="viewed", object_type="student", object_id=minor.pk, student=minor, user=teacher)


def unchanged(event):
    fresh = AccessEvent.objects.get(pk=event.pk)
    return (fresh.action, fresh.detail, fresh.user_id) == (event.action, event.detail, event.user_id)


def test_saving_an_existing_event_raises(event):
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    fresh = AccessEvent.objects.get(pk=event.pk)
    with pytest.raises(AppendOnlyError):
        fresh.save(update_fields=["detail"])
    assert AccessEvent.objects.get(pk=event.pk).detail == ""


def test_a_copy_with_an_existing_pk_cannot_overwrite(event):
    copy = AccessEvent(pk=event.pk, action="deleted", object_type="student")
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()  # an INSERT, never an UPDATE: the primary key clashes
    assert unchanged(event)


def test_deleting_an_event_raises(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_bulk_changes_raise(event):
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.update(detail="x")
    event.detail = "x"
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update breaks the transaction
        AccessEvent.objects.bulk_update([event], ["detail"])
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.update_or_create(pk=event.pk, defaults={"detail": "x"})
    assert AccessEvent.objects.get(pk=event.pk).detail == ""


def test_deleting_the_student_keeps_its_events(event, minor, school_a):
    student_pk = minor.pk
    minor.delete()
    kept = AccessEvent.objects.select_related("student").get(pk=event.pk)
    assert (kept.student_id, kept.school_id) == (student_pk, school_a.pk)
    assert kept.student is None  # the link dangles harmlessly


def test_deleting_the_user_keeps_the_username(event, teacher):
    teacher_pk = teacher.pk
    teacher.delete()
    kept = AccessEvent.objects.select_related("user").get(pk=event.pk)
    assert (kept.user_id, kept.username, kept.user) == (teacher_pk, "bob", None)
