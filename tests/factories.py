"""factory_boy factories for the test suite."""

from datetime import date, timedelta
from functools import lru_cache

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts import models

PASSWORD = "correct horse battery"


@lru_cache
def _password_hash() -> str:
    # Argon2 is deliberately slow; hash the shared test password once.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    password = factory.LazyFunction(_password_hash)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.School

    name = factory.Sequence(lambda n: f"Skole {n} videregående")
    org_number = factory.Sequence(lambda n: f"{970000000 + n}")
    kind = models.School.Kind.UPPER_SECONDARY
    owner_kind = models.School.OwnerKind.COUNTY
    owner_name = "Vestland fylkeskommune"


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SchoolYear
        django_get_or_create = ["start_year"]

    start_year = factory.LazyFunction(lambda: models.SchoolYear.start_year_of(timezone.localdate()))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StaffMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = models.StaffMembership.Role.TEACHER


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=days)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Student

    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    birth_date = factory.LazyFunction(lambda: years_ago(16))
    school = factory.SubFactory(SchoolFactory)
    group = "1STA"


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Subject
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"FAG{1000 + n}")
    name = factory.Sequence(lambda n: f"Fag {n}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enrollment
        skip_postgeneration_save = True

    student = factory.SubFactory(StudentFactory)
    subject = factory.SubFactory(SubjectFactory)
    school_year = factory.SubFactory(SchoolYearFactory)

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create and extracted:
            self.teachers.set(extracted)


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Guardianship

    guardian = factory.SubFactory(UserFactory)
    student = factory.SubFactory(StudentFactory)


def blank_pdf(pages: int = 1) -> bytes:
    """A clean, valid PDF with `pages` empty A4 pages."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def text_pdf(label: str, pages: int = 1, rotate: int = 0) -> bytes:
    """`pages` pages reading "<label> page <n>" in Helvetica (not embedded, no metadata, no output intent: like
    an upload), cheap to make and easy to find again by text extraction."""
    from io import BytesIO

    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    for number in range(1, pages + 1):
        page = writer.add_blank_page(595, 842)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 14 Tf 72 760 Td ({label} page {number}) Tj ET".encode())
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
            NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/Text")]),
        })
        page[NameObject("/Contents")] = writer._add_object(content)
        if rotate:
            page.rotate(rotate)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "documents.Document"

    student = factory.SubFactory(StudentFactory)
    title = factory.Sequence(lambda n: f"Sakkyndig vurdering {n}")
    file = factory.django.FileField(filename="stored.pdf", data=factory.LazyFunction(blank_pdf))
    size = 1000
    page_count = 1
    sha256 = "0" * 64


def request_as(user, method: str = "get", path: str = "/"):
    """A request from `user`, for calling an access helper directly (they take the request)."""
    from django.test import RequestFactory

    request = getattr(RequestFactory(), method)(path, REMOTE_ADDR="127.0.0.1")
    request.user = user
    return request
