"""One object of every admin model that holds a student's data, about `minor` at school A."""

from django.utils import timezone
from guardian.shortcuts import assign_perm

from applications.models import DecidedSubject, Decision
from documents.models import DocumentUserObjectPermission

from ..applications.factories import ApplicationFactory, ApplicationSubjectFactory, SchoolBatchFactory
from ..factories import DocumentFactory, GuardianshipFactory, SchoolYearFactory, SubjectFactory, UserFactory
from ..iop.factories import AnnexRowFactory, GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory


def plan(minor):
    """The student's plan of this year, with one subject (one plan per student and year)."""
    plan = minor.plans.first() or PlanFactory(student=minor)
    if not plan.subjects.exists():
        PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    return plan


def application(minor):
    application = ApplicationFactory(student=minor)
    ApplicationSubjectFactory(application=application, subject=SubjectFactory(code="MAT1019"))
    return application


def decision(minor):
    decision = Decision.objects.create(student=minor, school_year=SchoolYearFactory(), decided_on=timezone.localdate(),
                                       outcome=Decision.Outcome.GRANTED, reference="2026/123")
    DecidedSubject.objects.create(decision=decision, subject=SubjectFactory(code="MAT1019"), extent="3 timer")
    return decision


def document_grant(minor):
    document = DocumentFactory(student=minor, title="Sakkyndig vurdering")
    assign_perm("documents.download_document", UserFactory(username="ppt"), document)
    return DocumentUserObjectPermission.objects.get(content_object=document)


# admin name -> how to make one object of it about `minor`
STUDENT_DATA = {
    "accounts.student": lambda minor: minor,
    "accounts.guardianship": lambda minor: GuardianshipFactory(student=minor),
    "accounts.enrollment": lambda minor: minor.enrollments.get(),
    "iop.plan": plan,
    "iop.goal": lambda minor: GoalFactory(plan_subject=plan(minor).subjects.get()),
    "iop.logentry": lambda minor: LogEntryFactory(plan=plan(minor)),
    "iop.annexrow": lambda minor: AnnexRowFactory(plan=plan(minor)),
    "applications.application": application,
    "applications.decision": decision,
    "documents.document": lambda minor: DocumentFactory(student=minor, title="Sakkyndig vurdering"),
    "documents.documentuserobjectpermission": document_grant,
}

OBJECT_TYPE = {name: f"admin:{name}" for name in STUDENT_DATA} | {
    "documents.documentuserobjectpermission": "admin:document_grant",
}

# Admins where a system administrator may save an object as it is.
EDITABLE = [name for name in STUDENT_DATA if not name.startswith("documents.")]


def batch(school):
    return SchoolBatchFactory(school=school)
