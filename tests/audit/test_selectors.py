"""The per-student access log: the selector and the reusable template."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from audit.log import record
from audit.models import AccessEvent
from accounts.pagination import PER_PAGE as PAGE_SIZE
from accounts.pagination import paginate
from audit.selectors import events_for_student

pytestmark = pytest.mark.django_db


def test_newest_first_and_only_this_student(teacher, guardian, minor, adult):
    older = record(None, action="viewed", object_type="document", student=minor, user=teacher)
    newer = record(None, action="downloaded", object_type="document", student=minor, user=guardian)
    record(None, action="viewed", object_type="document", student=adult, user=teacher)
    assert list(events_for_student(minor.pk)) == [newer, older]


def test_the_order_follows_the_time(teacher, minor):
    now = timezone.now()
    AccessEvent.objects.bulk_create([
        AccessEvent(at=now - timedelta(days=2), action="viewed", object_type="a", student_id=minor.pk),
        AccessEvent(at=now, action="viewed", object_type="b", student_id=minor.pk),
        AccessEvent(at=now - timedelta(days=1), action="viewed", object_type="c", student_id=minor.pk),
    ])
    assert [e.object_type for e in events_for_student(minor.pk)] == ["b", "c", "a"]


def test_one_query_for_a_page_of_users(django_assert_num_queries, cast, minor):
    for user in cast.values():
        record(None, action="viewed", object_type="student", student=minor, user=user)
    with django_assert_num_queries(1):
        assert len({str(event.user) for event in events_for_student(minor.pk)}) == len(cast)


def render(rf, user, student, page_number=1):
    request = rf.get("/elever/1/tilgangslogg/", {"page": page_number})
    request.user = user
    paged = paginate(request, events_for_student(student.pk))
    context = {"student": student, "page": paged.page, "paged": paged}
    return render_to_string("audit/student_events.html", context, request=request)


def test_the_template_lists_events(rf, admin, teacher, minor):
    record(None, action="downloaded", object_type="document", student=minor, user=teacher, detail="Kartlegging")
    html = render(rf, admin, minor)
    assert "ds-table" in html and "Emma Hansen" in html
    assert teacher.get_full_name() in html and "Kartlegging" in html
    assert 'href="?page=' not in html  # one page: no pagination


def test_a_deleted_user_shows_by_username(rf, admin, teacher, minor):
    record(None, action="viewed", object_type="document", student=minor, user=teacher)
    teacher.delete()
    assert "bob" in render(rf, admin, minor)


def test_the_template_pages_by_fifty(rf, admin, minor):
    AccessEvent.objects.bulk_create(
        AccessEvent(action="viewed", object_type="document", student_id=minor.pk) for _ in range(PAGE_SIZE + 1)
    )
    first, second = render(rf, admin, minor, 1), render(rf, admin, minor, 2)
    assert first.count("<time ") == PAGE_SIZE and 'href="?page=2"' in first and 'href="?page=1"' not in first
    assert second.count("<time ") == 1 and 'href="?page=1"' in second
    assert render(rf, admin, minor, "nonsense").count("<time ") == PAGE_SIZE


def test_the_template_has_an_empty_state(rf, admin, minor):
    html = render(rf, admin, minor)
    assert "<table" not in html and "ds-paragraph" in html
