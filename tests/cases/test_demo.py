"""cases/demo.py, as `demo_data` runs it (`demo_cases`): school A's person cases, who sees them, re-runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import School, Student, User
from cases.access import cases_handled_by, cases_listed_for
from cases.models import Case, CoHandler, EventVersion
from cases.selectors import closing_due, overdue
from demo.management.commands.demo_data import SCHOOL_A

from ..test_demo_data import demo, model_counts  # noqa: F401  (the demo data fixture, built once per test)

pytestmark = pytest.mark.django_db

NOT_NAMED = ("iop", "laerer2", "rektor")


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=True"):
        call_command("demo_cases")
    assert not Case.objects.exists()


def test_needs_demo_data_first(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="demo_data"):
        call_command("demo_cases")
    assert not Case.objects.exists()


def test_school_a_person_cases(demo):  # noqa: F811
    today = timezone.localdate()
    cases = Case.objects.filter(school__org_number=SCHOOL_A.org_number)
    assert cases.count() >= 5 and cases.count() == Case.objects.count()

    # The case creator lists every case of school A, and reads none (she is named on none).
    creator = user("saksoppretter")
    assert set(cases_listed_for(creator)) == set(cases)
    assert not cases_handled_by(creator).exists()
    # The principal, the IOP admin and 1STB's contact teacher see no case and are named on none.
    for username in NOT_NAMED:
        assert not cases_listed_for(user(username)).exists(), username
    named = set(cases.values_list("handler__username", flat=True)) | set(
        CoHandler.objects.filter(case__in=cases).values_list("user__username", flat=True))
    assert named.isdisjoint(NOT_NAMED)

    # The contact teacher handles cases of his own students; the miljøarbeider is co-handler of one and
    # wrote an observation there that was corrected once (both versions kept).
    contact = user("kontaktlaerer")
    assert all(case.card.student.contact_teacher == contact for case in cases.filter(handler=contact))
    environment = cases.get(co_handler_rows__user__username="miljoarbeider")
    assert set(cases_listed_for(user("miljoarbeider"))) == {environment}
    corrected = EventVersion.objects.filter(event__case=environment, number=2, written_by__username="miljoarbeider")
    assert corrected.count() == 1
    assert EventVersion.objects.filter(event=corrected.get().event).count() == 2

    # One case closed with a note; the rest open.
    closed = cases.filter(status=Case.Status.CLOSED)
    assert closed.count() == 1 and closed.get().closing_note and closed.get().closed_on <= today

    # A student with an open case leaves within four weeks; one with an open case has left (overdue).
    leaving = Student.objects.filter(case_card__cases__status=Case.Status.OPEN, leaves_on__gt=today,
                                     leaves_on__lte=today + timedelta(days=28))
    assert leaving.exists()
    assert {case.card.student for case in closing_due(cases)} >= set(leaving)
    assert [case.card.student.left_on < today for case in overdue(cases)] == [True]

    # Dates in workflow order, within the school year so far.
    for case in cases:
        days = list(EventVersion.objects.filter(event__case=case).values_list("occurred_on", flat=True))
        assert days and all(case.opened_on <= day <= today for day in days), case.description
        assert case.closed_on is None or case.closed_on >= max(days)

    # Running it twice more changes nothing.
    before = model_counts()
    for _run in range(2):
        call_command("demo_cases", stdout=StringIO())
    assert model_counts() == before
