"""Factories for applications, batches and decisions."""

import factory

from applications.models import Application, ApplicationSubject, Authority, SchoolBatch

from ..factories import SchoolYearFactory, StudentFactory, SubjectFactory


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ["name"]

    name = "Vestland fylkeskommune"
    kind = Authority.Kind.COUNTY


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    student = factory.SubFactory(StudentFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    expert_assessment_by = "PPT Fjordbyen"
    expert_assessment_summary = "Eleven har behov for tilpasset opplæring i matematikk."
    student_goal = "Grunnkompetanse i matematikk."


class ApplicationSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationSubject

    application = factory.SubFactory(ApplicationFactory)
    subject = factory.SubFactory(SubjectFactory)
    extent = "2 timer i uka"
    organisation = "I liten gruppe"


class SchoolBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolBatch

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Samlesøknad {n}")
