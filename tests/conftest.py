"""The fixed cast of the design's test bar, around one minor student and one adult student.

School A: `admin` (IOP admin), `teacher` and `coteacher` (both teach `minor`
and `adult` maths), `other_teacher` (staff, teaches neither), `principal`.
School B: `other_admin`. Students: `minor` (user `minor_student`, guardian
`guardian`) and `adult` (user `adult_student`, 18+). `other_guardian` guards
another child at school A. `stranger` has no relation to anything.
"""

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import School, StaffMembership

from .factories import (
    EnrollmentFactory,
    GuardianshipFactory,
    SchoolFactory,
    StaffFactory,
    StudentFactory,
    SubjectFactory,
    UserFactory,
    years_ago,
)


# The crawler's `objects` fixture (every kind of record, for walking every URL), and the local
# OpenID Connect provider (`mock_provider_url`, `mock_providers`), and the local S3 server
# (`s3_server`, `object_storage`).
pytest_plugins = ["tests.crawl", "tests.accounts.oidc_helpers", "tests.object_store"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Django's flush between transactional tests truncates every table, the access log too.

    On PostgreSQL the log refuses TRUNCATE (audit migration 0002) unless the session says otherwise.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" SET audit.allow_truncate = on')
            cursor.execute("SET audit.allow_truncate = on")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_staff(username, school, role=StaffMembership.Role.TEACHER):
    user = UserFactory(username=username)
    StaffFactory(user=user, school=school, role=role)
    return user


@pytest.fixture
def school_a(db):
    return SchoolFactory(name="Fjordbyen videregående skole")


@pytest.fixture
def school_b(db):
    return SchoolFactory(
        name="Lia ungdomsskole",
        kind=School.Kind.LOWER_SECONDARY,
        owner_kind=School.OwnerKind.MUNICIPALITY,
        owner_name="Bergen kommune",
    )


@pytest.fixture
def admin(school_a):
    user = make_staff("alice", school_a)
    assign_perm("administer_iop", user, school_a)
    return user


@pytest.fixture
def other_admin(school_b):
    user = make_staff("olga", school_b)
    assign_perm("administer_iop", user, school_b)
    return user


@pytest.fixture
def principal(school_a):
    return make_staff("rita", school_a, StaffMembership.Role.PRINCIPAL)


@pytest.fixture
def teacher(school_a):
    return make_staff("bob", school_a)


@pytest.fixture
def coteacher(school_a):
    return make_staff("charlie", school_a)


@pytest.fixture
def other_teacher(school_a):
    return make_staff("dora", school_a)


@pytest.fixture
def minor_student(db):
    return UserFactory(username="emma")


@pytest.fixture
def adult_student(db):
    return UserFactory(username="erik")


@pytest.fixture
def minor(school_a, minor_student, teacher, coteacher):
    student = StudentFactory(
        first_name="Emma", last_name="Hansen", school=school_a, user=minor_student, birth_date=years_ago(16)
    )
    EnrollmentFactory(student=student, subject=SubjectFactory(code="MAT1019"), teachers=[teacher, coteacher])
    return student


@pytest.fixture
def adult(school_a, adult_student, teacher):
    student = StudentFactory(
        first_name="Erik", last_name="Berg", school=school_a, user=adult_student, birth_date=years_ago(18, days=90)
    )
    EnrollmentFactory(student=student, subject=SubjectFactory(code="MAT1019"), teachers=[teacher])
    return student


@pytest.fixture
def guardian(minor):
    user = UserFactory(username="frida")
    GuardianshipFactory(guardian=user, student=minor)
    return user


@pytest.fixture
def other_child(school_a, other_teacher):
    student = StudentFactory(first_name="Ola", last_name="Nilsen", school=school_a, birth_date=years_ago(15))
    EnrollmentFactory(student=student, subject=SubjectFactory(code="ENG1007"), teachers=[other_teacher])
    return student


@pytest.fixture
def other_guardian(other_child):
    user = UserFactory(username="gunnar")
    GuardianshipFactory(guardian=user, student=other_child)
    return user


@pytest.fixture
def stranger(db):
    return UserFactory(username="stian")


@pytest.fixture
def cast(admin, teacher, coteacher, other_teacher, other_admin, principal, adult_student,
         minor_student, guardian, other_guardian, stranger, minor, adult):
    """Every member of the cast by name, for tests that walk them all."""
    return {
        "admin": admin,
        "teacher": teacher,
        "coteacher": coteacher,
        "other_teacher": other_teacher,
        "other_admin": other_admin,
        "principal": principal,
        "adult_student": adult_student,
        "minor_student": minor_student,
        "guardian": guardian,
        "other_guardian": other_guardian,
        "stranger": stranger,
    }


@pytest.fixture
def import_day(monkeypatch):
    """Every "today" (the import's leaving dates, access rules, birth-date checks) is a day in 2026/2027,
    the school year of the sample OneRoster exports (demo/oneroster/), for the tests that import them.
    The live server's thread of a browser test sees it too."""
    from tests.roster.helpers import IMPORT_DAY

    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return IMPORT_DAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return IMPORT_DAY
