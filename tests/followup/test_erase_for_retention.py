"""Retention erases IKO signals, talks and plans with everything hanging on them, and nothing else."""

import pytest
from django.utils import timezone

from accounts.models import SchoolYear
from applications.models import Application
from audit.models import AccessEvent
from followup.models import Measure, MeasureNote, Meeting, Plan, Resource, Signal, Talk
from followup.services import erase_for_retention, measure_note_add, plan_evaluate

from ..factories import blank_pdf
from .factories import iko_objects

pytestmark = pytest.mark.django_db


def talk_for(student):
    return Talk.objects.create(student=student, school_year=SchoolYear.objects.current(create=True),
                               kind=Talk.Kind.STARTUP, held_on=timezone.localdate(), notes="Trives dårlig")


@pytest.fixture
def emma(minor, teacher):
    objects = iko_objects(minor, teacher)
    measure_note_add(measure=objects["iko_measure"], text="Møtte opp hver dag", by=teacher)
    return {**objects, "talk": talk_for(minor)}


@pytest.fixture
def erik(adult, teacher):
    return {**iko_objects(adult, teacher), "talk": talk_for(adult)}


def erase(objects) -> int:
    return erase_for_retention(signal_ids=[objects["iko_signal"].pk], talk_ids=[objects["talk"].pk],
                               plan_ids=[objects["iko_plan"].pk])


def exists(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).exists()


def test_erases_the_records_and_what_hangs_on_them(emma, teacher):
    measure = emma["iko_measure"]
    assert erase(emma) == 3
    for name in ("iko_signal", "talk", "iko_plan", "iko_measure"):
        assert not exists(emma[name])
    assert not MeasureNote.objects.filter(measure_id=measure.pk).exists()
    assert not Measure.responsible.through.objects.filter(measure_id=measure.pk).exists()
    assert not teacher.iko_measures.exists()


def test_keeps_other_students_records_and_the_schools_year(emma, erik):
    erase(emma)
    for name in ("iko_signal", "talk", "iko_plan", "iko_measure"):
        assert exists(erik[name])
    assert Meeting.objects.filter(pk=emma["iko_meeting"].pk).exists()
    assert Resource.objects.filter(pk=emma["iko_resource"].pk).exists()


def test_only_the_named_kinds_are_erased(emma):
    assert erase_for_retention(talk_ids=[emma["talk"].pk]) == 1
    assert exists(emma["iko_signal"]) and exists(emma["iko_plan"]) and not exists(emma["talk"])


def test_unknown_or_already_erased_ids_are_skipped(emma):
    erase(emma)
    assert erase(emma) == 0
    assert erase_for_retention(signal_ids=[987654], talk_ids=[987655], plan_ids=[987656]) == 0
    assert erase_for_retention() == 0


def test_writes_no_access_events(emma):
    before = AccessEvent.objects.count()
    erase(emma)
    assert AccessEvent.objects.count() == before
    assert not Signal.objects.filter(student=emma["iko_signal"].student).exists()
    assert not Plan.objects.filter(student=emma["iko_plan"].student).exists()


def test_a_referred_plan_goes_and_its_application_stays(emma, admin):
    plan = emma["iko_plan"]
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.ACTIVE)
    referral = plan_evaluate(plan=plan, outcome=Plan.Outcome.REFERRAL, note="Trenger mer", by=admin,
                             mapping_pdf=blank_pdf()).referral
    assert erase_for_retention(plan_ids=[plan.pk]) == 1
    assert not exists(plan) and Application.objects.filter(pk=referral.pk).exists()
