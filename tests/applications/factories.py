"""Factories for applications, batches and decisions."""

import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from applications.models import Application, ApplicationAttachment, ApplicationSubject, Authority, SchoolBatch

from ..factories import DocumentFactory, SchoolYearFactory, StudentFactory, SubjectFactory, text_pdf


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


def attach(application: Application, title: str, label: str, pages: int) -> None:
    data = text_pdf(label, pages)
    document = DocumentFactory(student=application.student, title=title, page_count=pages,
                               sha256=hashlib.sha256(data).hexdigest(), file__data=data)
    ApplicationAttachment.objects.create(application=application, document=document)


def approved(student, batch, *, pages: int, attachments: list[int]) -> Application:
    """An approved application in `batch` with a snapshot and attachments labelled by the student's name."""
    application = ApplicationFactory(student=student, batch=batch, status=Application.Status.APPROVED,
                                     approved_at=timezone.now(), approved_hash="a" * 64)
    application.snapshot.save(f"{application.pk}.pdf", ContentFile(text_pdf(f"Soknad {student.last_name}", pages)))
    for number, length in enumerate(attachments, start=1):
        attach(application, f"Vedlegg {number}", f"Vedlegg {number} {student.last_name}", length)
    return application
