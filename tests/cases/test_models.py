"""What the models themselves refuse: an event outside a case, a changed or deleted text, a closed case
taking more, closing without a note or twice."""

import pytest
from django.db import IntegrityError, transaction

from accounts.exceptions import Refused
from cases.models import Case, Event, EventVersion

from .factories import add_event

pytestmark = pytest.mark.django_db


def test_an_event_cannot_exist_outside_a_case(case_cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(case=None, created_by=case_cast["teacher"])
    assert not Event.objects.exists()


def test_a_saved_version_is_never_changed(case, teacher):
    version = add_event(case, teacher).versions.get()
    version.text = "Noe annet"
    with pytest.raises(Refused):
        version.save()
    version.refresh_from_db()
    assert version.text == "Eleven fortalte om helga."


def test_a_saved_version_is_never_deleted(case, teacher):
    version = add_event(case, teacher).versions.get()
    with pytest.raises(Refused):
        version.delete()
    assert EventVersion.objects.filter(pk=version.pk).exists()


def test_close_needs_a_note(case, teacher):
    with pytest.raises(Refused):
        case.close(by=teacher, note="   ")
    assert case.is_open


def test_close_twice_is_refused(case, teacher):
    case.close(by=teacher, note="Ferdig")
    assert case.status == Case.Status.CLOSED and case.closed_by == teacher and case.closing_note == "Ferdig"
    with pytest.raises(Refused):
        case.close(by=teacher, note="Igjen")


def test_hand_over_to_the_handler_is_refused(case, teacher):
    with pytest.raises(Refused):
        case.hand_over(to=teacher)


def test_hand_over_of_a_closed_case_is_refused(case, teacher, coteacher):
    case.close(by=teacher, note="Ferdig")
    with pytest.raises(Refused):
        case.hand_over(to=coteacher)


# --- The Django admin shows case metadata at most --------------------------------------------------------


def test_no_event_text_or_attachment_is_in_the_admin():
    from django.contrib import admin

    from cases.models import Attachment, CaseStudent, CoHandler

    for model in (Event, EventVersion, Attachment, CoHandler, CaseStudent):
        assert model not in admin.site._registry, model.__name__
    case_admin = admin.site._registry[Case]
    shown = set(case_admin.fields or ()) | set(case_admin.list_display) | set(case_admin.search_fields or ())
    assert not shown & {"description", "closing_note", "events"}


def test_a_superuser_sees_the_metadata_not_the_content(client, case, teacher, minor, superuser):
    from django.urls import reverse

    from audit.selectors import events_for_student

    from ..admin.verified import force_login_verified

    add_event(case, teacher, title="Hemmelig tittel", text="Hemmelig tekst")
    force_login_verified(client, superuser)
    for url in (reverse("admin:cases_case_changelist"), reverse("admin:cases_case_change", args=[case.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in (case.description, "Hemmelig tittel", "Hemmelig tekst"):
            assert secret not in page, (url, secret)
    # The admin's own view of a case is logged, and kept out of the student's log like every case event.
    assert not events_for_student(minor.pk).filter(object_type__startswith="person_case").exists()
    assert client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


def test_the_iop_admins_student_log_does_not_reveal_a_case(client, case, teacher, admin, principal, minor):
    from django.urls import reverse

    client.force_login(teacher)
    client.get(reverse("cases:case", args=[case.pk]))
    client.force_login(principal)
    client.get(reverse("cases:case", args=[case.pk]))  # refused, and logged
    client.force_login(admin)
    response = client.get(reverse("accounts:student_access_log", args=[minor.pk]))
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert shown and not [e for e in shown if e.object_type.startswith("person_case")]
    assert case.description not in response.content.decode()
