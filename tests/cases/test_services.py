"""cases/services.py: creating, naming, handing over, closing; events and their corrections; every change
logged against the case and kept out of the student's log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.exceptions import Refused
from accounts.models import StaffMembership
from audit.models import AccessEvent
from audit.selectors import events_for_student
from cases import services
from cases.models import Case, CaseStudent, CaseType, CoHandler, EventVersion

from ..conftest import make_staff
from .factories import add_event, add_event_with_attachment, case_type, make_case

pytestmark = pytest.mark.django_db


def correct(event, by, based_on, **changes):
    current = event.versions.order_by("-number").first()
    fields = {"category": current.category, "kind": current.kind, "occurred_on": current.occurred_on,
              "title": current.title, "text": current.text, **changes}
    return services.event_correct(event=event, by=by, based_on=based_on, **fields)


# --- The card and the case types ------------------------------------------------------------------


def test_registering_twice_changes_nothing(minor, teacher):
    first = services.card_register(student=minor, by=teacher)
    second = services.card_register(student=minor, by=teacher)
    assert first == second and CaseStudent.objects.count() == 1
    assert AccessEvent.objects.filter(object_type="person_case_card", action="created").count() == 1


def test_the_school_starts_with_the_default_case_types_once(school_a, school_b):
    types = services.case_types_of(school_a)
    assert len(types) >= 5 and all(t.school == school_a for t in types)
    assert len(services.case_types_of(school_a)) == len(types)
    assert CaseType.objects.filter(school=school_b).count() == 0


def test_a_case_type_name_is_unique_per_school(school_a):
    services.case_type_add(school=school_a, name="Mobbing")
    with pytest.raises(Refused):
        services.case_type_add(school=school_a, name="Mobbing ")


# --- Creating a case -------------------------------------------------------------------------------


def test_a_case_needs_the_card_first(minor, teacher, case_creator):
    with pytest.raises(Refused):
        services.case_create(student=minor, case_type=case_type(minor.school), category="care",
                             description="x", handler=teacher, by=case_creator)
    assert not Case.objects.exists()


def test_the_case_type_of_another_school_is_refused(minor, teacher, case_creator, school_b):
    services.card_register(student=minor, by=case_creator)
    with pytest.raises(Refused):
        services.case_create(student=minor, case_type=case_type(school_b), category="care", description="x",
                             handler=teacher, by=case_creator)
    assert not Case.objects.exists()


def test_a_retired_case_type_is_refused(minor, teacher, case_creator):
    services.card_register(student=minor, by=case_creator)
    retired = case_type(minor.school)
    services.case_type_set_active(case_type=retired, active=False)
    retired.refresh_from_db()
    with pytest.raises(Refused):
        services.case_create(student=minor, case_type=retired, category="care", description="x", handler=teacher,
                             by=case_creator)


@pytest.mark.parametrize("name", ["other_admin", "stranger", "guardian"])
def test_the_handler_must_be_staff_of_the_school(case_cast, minor, case_creator, name):
    with pytest.raises(Refused):
        make_case(minor, case_cast[name], by=case_creator)
    assert not Case.objects.exists()


def test_a_co_handler_must_be_staff_of_the_school(case_cast, minor, teacher, case_creator):
    with pytest.raises(Refused):
        make_case(minor, teacher, [case_cast["other_admin"]], by=case_creator)
    assert not Case.objects.exists()


def test_an_inactive_handler_is_refused(minor, teacher, case_creator):
    teacher.is_active = False
    teacher.save()
    with pytest.raises(Refused):
        make_case(minor, teacher, by=case_creator)


def test_the_handler_named_as_co_handler_too_is_listed_once(minor, teacher, case_creator):
    case = make_case(minor, teacher, [teacher], by=case_creator)
    assert not CoHandler.objects.filter(case=case).exists()


def test_creating_a_case_is_logged_against_it(case, teacher, other_teacher, case_creator, minor, school_a):
    events = AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk)).order_by("pk")
    assert [(e.action, e.detail) for e in events] == [("created", f"handler {teacher.username}"),
                                                     ("granted", f"co-handler {other_teacher.username}")]
    assert {(e.student_id, e.school_id) for e in events} == {(minor.pk, school_a.pk)}
    assert case.school == school_a and case.created_by == case_creator and case.is_open


# --- Co-handlers and hand-over ---------------------------------------------------------------------


def test_co_handler_add_names_a_co_handler(case, teacher, coteacher):
    services.co_handler_add(case=case, user=coteacher, by=teacher)
    assert case.co_handler_rows.filter(user=coteacher, added_by=teacher).exists()
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk), action="granted",
                                      detail=f"co-handler {coteacher.username}").exists()


def test_co_handler_add_refuses_the_handler(case, teacher):
    # A refusal, not an error: `_` in co_handler_add must stay gettext (it once was rebound by `_, created = ...`).
    with pytest.raises(Refused):
        services.co_handler_add(case=case, user=teacher, by=teacher)
    assert not case.co_handler_rows.filter(user=teacher).exists()


def test_co_handler_add_refuses_a_repeat(case, teacher, other_teacher):
    with pytest.raises(Refused):
        services.co_handler_add(case=case, user=other_teacher, by=teacher)
    assert case.co_handler_rows.filter(user=other_teacher).count() == 1


def test_co_handler_add_refuses_someone_not_on_the_staff(case, case_cast, teacher):
    with pytest.raises(Refused):
        services.co_handler_add(case=case, user=case_cast["other_admin"], by=teacher)
    assert list(case.co_handler_rows.values_list("user", flat=True)) == [case_cast["other_teacher"].pk]


def test_co_handler_add_on_a_closed_case_is_refused(case, teacher, coteacher):
    services.case_close(case=case, by=teacher, note="Ferdig")
    with pytest.raises(Refused):
        services.co_handler_add(case=case, user=coteacher, by=teacher)


def test_co_handler_remove_is_logged(case, other_teacher):
    services.co_handler_remove(case=case, user=other_teacher)
    assert not CoHandler.objects.filter(case=case).exists()
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk), action="revoked",
                                      detail=f"co-handler {other_teacher.username}").exists()


def test_co_handler_remove_works_on_a_closed_case(case, teacher, other_teacher):
    services.case_close(case=case, by=teacher, note="Ferdig")
    services.co_handler_remove(case=case, user=other_teacher)
    assert not CoHandler.objects.filter(case=case).exists()


def test_hand_over_to_someone_not_on_the_staff_is_refused(case, case_cast, teacher):
    with pytest.raises(Refused):
        services.case_hand_over(case=case, to=case_cast["other_admin"])
    case.refresh_from_db()
    assert case.handler == teacher


def test_hand_over_is_logged(case, teacher, coteacher):
    services.case_hand_over(case=case, to=coteacher)
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk), action="changed",
                                      detail=f"handler {teacher.username} → {coteacher.username}").exists()


def test_hand_over_of_a_co_handler_drops_their_co_handler_row(case, other_teacher, teacher):
    services.case_hand_over(case=case, to=other_teacher)
    case.refresh_from_db()
    assert case.handler == other_teacher
    assert list(case.co_handler_rows.all()) == []


# --- Closing -----------------------------------------------------------------------------------------


def test_close_needs_a_note(case, teacher):
    with pytest.raises(Refused):
        services.case_close(case=case, by=teacher, note="  \n")
    case.refresh_from_db()
    assert case.is_open


def test_close_and_close_again(case, teacher):
    services.case_close(case=case, by=teacher, note="  Saken er avsluttet  ")
    case.refresh_from_db()
    assert (case.status, case.closing_note, case.closed_by, case.closed_on) == (
        Case.Status.CLOSED, "Saken er avsluttet", teacher, timezone.localdate())
    with pytest.raises(Refused):
        services.case_close(case=case, by=teacher, note="Igjen")
    case.refresh_from_db()
    assert case.closing_note == "Saken er avsluttet"
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk), action="changed",
                                      detail="closed").count() == 1


# --- Events ------------------------------------------------------------------------------------------


def test_an_event_has_its_first_version(case, teacher):
    event = add_event(case, teacher, title="  Samtale  ")
    version = event.versions.get()
    assert (event.case, version.number, version.title, version.written_by) == (case, 1, "Samtale", teacher)
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk), action="created",
                                      detail=f"event {event.pk}").exists()


def test_an_event_with_an_attachment(case, teacher):
    event = add_event_with_attachment(case, teacher)
    attachment = event.attachments.get()
    assert attachment.page_count == 1 and attachment.file.name.startswith("cases/")
    assert attachment.file.name.endswith(".pdf")


def test_no_event_in_a_closed_case(case, teacher):
    services.case_close(case=case, by=teacher, note="Ferdig")
    with pytest.raises(Refused):
        add_event(case, teacher)
    assert not case.events.exists()


def test_a_correction_keeps_the_earlier_version(case, teacher, other_teacher):
    event = add_event(case, teacher)
    version = correct(event, other_teacher, 1, text="Eleven fortalte om helga og om skolen.")
    assert version.number == 2 and version.written_by == other_teacher
    texts = list(event.versions.order_by("number").values_list("number", "text"))
    assert texts == [(1, "Eleven fortalte om helga."), (2, "Eleven fortalte om helga og om skolen.")]
    assert AccessEvent.objects.filter(object_type="person_case", object_id=str(case.pk), action="changed",
                                      detail=f"event {event.pk} version 2").exists()


def test_a_stale_correction_is_refused(case, teacher, other_teacher):
    event = add_event(case, teacher)
    correct(event, other_teacher, 1, text="Første retting")
    with pytest.raises(Refused):
        correct(event, teacher, 1, text="Retting på gammel tekst")
    assert EventVersion.objects.filter(event=event).count() == 2


def test_a_correction_that_changes_nothing_is_refused(case, teacher):
    event = add_event(case, teacher)
    with pytest.raises(Refused):
        correct(event, teacher, 1, text="  Eleven fortalte om helga.  ")
    assert EventVersion.objects.filter(event=event).count() == 1


def test_a_new_date_alone_is_a_correction(case, teacher):
    event = add_event(case, teacher)
    assert correct(event, teacher, 1, occurred_on=timezone.localdate() - timedelta(days=1)).number == 2


def test_no_correction_in_a_closed_case(case, teacher):
    event = add_event(case, teacher)
    services.case_close(case=case, by=teacher, note="Ferdig")
    with pytest.raises(Refused):
        correct(event, teacher, 1, text="Etterpå")
    assert EventVersion.objects.filter(event=event).count() == 1


# --- The student's log never tells of cases -----------------------------------------------------------


def test_the_students_log_leaves_out_every_case_event(case, teacher, other_teacher, minor):
    event = add_event(case, teacher)
    correct(event, teacher, 1, text="Rettet")
    services.co_handler_remove(case=case, user=other_teacher)
    services.case_close(case=case, by=teacher, note="Ferdig")
    assert AccessEvent.objects.filter(student=minor, object_type__startswith="person_case").count() >= 6
    assert not events_for_student(minor.pk).filter(object_type__startswith="person_case").exists()


def test_a_handler_of_another_school_cannot_be_named(minor, case_creator, school_b):
    outsider = make_staff("berit", school_b)
    with pytest.raises(Refused):
        make_case(minor, outsider, by=case_creator)
    StaffMembership.objects.create(user=outsider, school=minor.school)
    assert make_case(minor, outsider, by=case_creator).handler == outsider


def test_no_new_case_for_a_student_who_has_left(case_cast, minor, teacher, case_creator):
    services.card_register(student=minor, by=case_creator)
    minor.left_on = timezone.localdate() - timedelta(days=1)
    minor.save()
    with pytest.raises(Refused):
        make_case(minor, teacher, by=case_creator)
    assert not Case.objects.exists()
