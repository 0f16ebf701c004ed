"""Factories for IOPs."""

import factory

from iop.models import AnnexRow, Goal, LogEntry, Plan, PlanSubject

from ..factories import SchoolYearFactory, StudentFactory, SubjectFactory, UserFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    student = factory.SubFactory(StudentFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    goal_kind = Plan.GoalKind.BASIC
    goal_text = "Grunnkompetanse med mål om lærekontrakt."


class PlanSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanSubject

    plan = factory.SubFactory(PlanFactory)
    subject = factory.SubFactory(SubjectFactory)
    content = "Tallforståelse og praktisk regning."
    extent = "3 timer i uka"
    organisation = "Liten gruppe"


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan_subject = factory.SubFactory(PlanSubjectFactory)
    competence_goal = "Utforske og forklare tall i dagliglivet."
    learning_goal = "Regne med penger i butikk."
    content = "Praktiske oppgaver."


class LogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LogEntry

    plan = factory.SubFactory(PlanFactory)
    text = "Samtale med foresatte om tiltak."
    created_by = factory.SubFactory(UserFactory)
    changed_by = factory.SelfAttribute("created_by")


class AnnexRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnexRow

    plan = factory.SubFactory(PlanFactory)
    extent = 140
    subject_topic = "Matematikk – tall og regning"
    year = "2027"
    assessment = "Eleven har nådd målene for tallforståelse."
