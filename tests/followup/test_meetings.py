"""The IKO year: the meeting calendar from the seed, the students and figures of a meeting, decisions, resources."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import SchoolYear
from audit.models import AccessEvent
from followup.models import SEED_MEETINGS, Meeting, MeetingDecision, Resource, Signal
from roster.models import Absence

from ..factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db


def make_calendar(client, school):
    return client.post(reverse("followup:meetings_create", args=[school.pk]), follow=True)


def test_the_team_makes_the_years_calendar_from_the_seed_once(client, iko_team, school_a):
    client.force_login(iko_team)
    page = client.get(reverse("followup:meetings", args=[school_a.pk])).content.decode()
    assert f"<title>IKO-året – {school_a.name} – IOP</title>" in page
    make_calendar(client, school_a)
    response = make_calendar(client, school_a)  # posted twice
    meetings = list(Meeting.objects.filter(school=school_a))
    assert [(m.number, m.month) for m in meetings] == [(n, month) for n, (month, _t) in enumerate(SEED_MEETINGS, 1)]
    assert "allerede" in response.content.decode()


def test_next_years_calendar_starts_from_this_years_themes(iko_team, school_a):
    from followup.services import meetings_create

    this_year = SchoolYear.objects.current(create=True)
    meetings_create(school=school_a, school_year=this_year)
    Meeting.objects.filter(school=school_a, number=1).update(themes="Overgangsmøte med ungdomsskolene")
    next_year = SchoolYear.objects.create(start_year=this_year.start_year + 1)
    meetings_create(school=school_a, school_year=next_year)
    assert Meeting.objects.get(school=school_a, school_year=next_year, number=1).themes == (
        "Overgangsmøte med ungdomsskolene")


@pytest.mark.parametrize("name, status", [("iko_team", 200), ("contact", 403), ("principal", 403),
                                          ("other_admin", 404), ("stranger", 404)])
def test_the_iko_year_is_the_teams(client, iko_cast, school_a, name, status):
    client.force_login(iko_cast[name])
    assert client.get(reverse("followup:meetings", args=[school_a.pk])).status_code == status


def september(school) -> Meeting:
    from followup.services import meetings_create

    meetings_create(school=school, school_year=SchoolYear.objects.current(create=True))
    return Meeting.objects.get(school=school, month=9)


def test_a_meeting_lists_the_students_with_new_or_open_signals(client, iko_team, school_a, minor, other_child):
    meeting = september(school_a)
    year = meeting.school_year
    Signal.objects.create(student=minor, school_year=year, rule=Signal.Rule.ABSENCE, key="p1")
    Signal.objects.create(student=other_child, school_year=year, rule=Signal.Rule.ABSENCE, key="p1",
                          status=Signal.Status.DISMISSED)
    client.force_login(iko_team)
    page = client.get(reverse("followup:meeting", args=[meeting.pk])).content.decode()
    discuss = page[page.index('data-testid="discuss"'):page.index("</ul>", page.index('data-testid="discuss"'))]
    assert "Emma Hansen" in discuss and "Ola Nilsen" not in discuss
    assert AccessEvent.objects.filter(user=iko_team, object_type="iko_meeting", student=minor).exists()


def test_september_shows_the_weekly_absence_of_the_vg1_classes(client, iko_team, school_a):
    meeting = september(school_a)
    start = meeting.school_year.start_year
    vg1 = StudentFactory(school=school_a, group="1STA")
    vg2 = StudentFactory(school=school_a, group="2STA")
    week_36 = date.fromisocalendar(start, 36, 1)
    for student in (vg1, vg2):
        for kind, percent in (("documented", "2.0"), ("undocumented", "6.5")):
            Absence.objects.create(student=student, period_start=week_36, period_end=week_36, kind=kind,
                                   percent=percent)
    client.force_login(iko_team)
    page = client.get(reverse("followup:meeting", args=[meeting.pk])).content.decode()
    table = page[page.index('data-testid="weekly-absence"'):]
    assert "1STA" in table and "8,5" in table and "2STA" not in table  # 2 + 6.5 %, in Norwegian


def test_a_decision_is_recorded_for_a_student_of_the_school(client, iko_team, school_a, minor, school_b):
    meeting = september(school_a)
    elsewhere = StudentFactory(school=school_b)
    client.force_login(iko_team)
    url = reverse("followup:meeting_decide", args=[meeting.pk])
    client.post(url, {"student": minor.pk, "text": "Kontaktlærer tar samtale med foresatte."})
    client.post(url, {"student": elsewhere.pk, "text": "Ikke vår elev"})
    assert [(d.student, d.decided_by) for d in MeetingDecision.objects.all()] == [(minor, iko_team)]


def test_the_team_keeps_its_resources(client, iko_team, school_a):
    client.force_login(iko_team)
    client.post(reverse("followup:resource_add", args=[school_a.pk]),
                {"name": "LØFT-midler", "notes": "40 timer", "available": "on"})
    resource = Resource.objects.get()
    url = reverse("followup:team_object_delete", args=[school_a.pk, "resource", resource.pk])
    assert client.get(url).status_code == 200  # asks first
    assert Resource.objects.exists()
    client.post(url)
    assert not Resource.objects.exists()


def test_another_schools_resource_is_not_found_through_this_schools_address(client, iko_team, school_a):
    other = Resource.objects.create(school=SchoolFactory(), name="Ekstra timer")
    client.force_login(iko_team)
    assert client.get(reverse("followup:resource_edit", args=[school_a.pk, other.pk])).status_code in (403, 404)
    assert client.post(reverse("followup:team_object_delete", args=[school_a.pk, "resource", other.pk])).status_code in (403, 404)
    assert Resource.objects.filter(pk=other.pk).exists()


def test_the_startup_checklist_puts_flagged_students_first_and_ticks_the_talks_held(client, iko_cast, contact, minor,
                                                                                     other_child):
    from datetime import timedelta

    from django.utils import timezone

    from followup.models import Talk

    other_child.contact_teacher = contact
    other_child.group = minor.group = "1STA"
    other_child.save()
    minor.save()
    year = SchoolYear.objects.current(create=True)
    Signal.objects.create(student=other_child, school_year=year, rule=Signal.Rule.ABSENCE, key="p1")
    Talk.objects.create(student=minor, school_year=year, kind=Talk.Kind.STARTUP, held_on=timezone.localdate()
                        - timedelta(days=3), held_by=contact)
    client.force_login(contact)
    page = client.get(reverse("followup:startup_talks", args=[minor.school_id])).content.decode()
    table = page[page.index('data-testid="startup-1STA"'):]
    assert table.index("Ola Nilsen") < table.index("Emma Hansen")  # flagged first
    assert table.count("Skriv den ned") == 1  # Emma's talk is held
    assert AccessEvent.objects.filter(user=contact, object_type="iko_startup_talks", student=minor).exists()


def test_a_measure_takes_its_approach_from_the_catalogue_and_the_schools_own(client, iko_team, school_a, minor, teacher):
    from followup.models import Approach, Measure

    from .factories import iko_objects

    client.force_login(iko_team)
    client.post(reverse("followup:approach_add", args=[school_a.pk]),
                {"challenge": "absence", "text": "Morgenoppfølging i kantina"})
    plan = iko_objects(minor, teacher)["iko_plan"]
    form = client.get(reverse("followup:measure_add", args=[plan.pk])).content.decode()
    assert "Morgenoppfølging i kantina" in form and "Begrepsopplæring" in form
    before = set(plan.measures.values_list("pk", flat=True))
    client.post(reverse("followup:measure_add", args=[plan.pk]), {
        "challenge": "academic", "catalogue": ["Begrepsopplæring", "Læringsstøttende hjelpemidler"],
        "approach": "Med spesialpedagog", "responsible": [teacher.pk], "starts_on": "2026-12-01",
        "ends_on": "2027-01-31"})
    measure = Measure.objects.exclude(pk__in=before).get(plan=plan)  # the new one, whatever the measures' order
    assert measure.approach == "Begrepsopplæring\nLæringsstøttende hjelpemidler\nMed spesialpedagog"
    assert Approach.objects.get().school == school_a


def test_a_measure_needs_an_approach(client, iko_team, minor, teacher):
    from .factories import iko_objects

    plan = iko_objects(minor, teacher)["iko_plan"]
    client.force_login(iko_team)
    response = client.post(reverse("followup:measure_add", args=[plan.pk]), {
        "challenge": "academic", "responsible": [teacher.pk], "starts_on": "2026-12-01", "ends_on": "2027-01-31"})
    assert response.status_code == 200 and plan.measures.count() == 1
