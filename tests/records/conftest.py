"""The records cast on top of the fixed cast: the authorities that own school A (Vestland fylkeskommune) and
school B (Bergen kommune), a records officer for each (Otto for A's, Oskar for B's), a superuser, and the
requests the access tests share: Emma's, registered by Bob with Frida as the requester in the app, and one
about a student at school B, registered by Olga."""

import pytest

from applications.models import Authority

from ..factories import StudentFactory, UserFactory, years_ago
from . import factories


@pytest.fixture
def authority_a(school_a):
    return factories.make_authority(school_a, Authority.Kind.COUNTY)


@pytest.fixture
def authority_b(school_a, school_b, authority_a):
    if school_b.owner_name == school_a.owner_name:  # the schools must belong to different authorities
        school_b.owner_name = "Bergen kommune"
        school_b.save()
    return factories.make_authority(school_b, Authority.Kind.MUNICIPALITY)


@pytest.fixture
def officer(authority_a):
    """The records officer of school A's authority: no other role anywhere."""
    return factories.make_officer("otto", authority_a)


@pytest.fixture
def other_officer(authority_b):
    """The records officer of school B's authority."""
    return factories.make_officer("oskar", authority_b)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def records_cast(cast, officer, other_officer, superuser):
    return {**cast, "officer": officer, "other_officer": other_officer, "superuser": superuser}


@pytest.fixture
def make_request(authority_a, authority_b):
    """make_request(student, by, **fields): registered through records.services.request_register."""
    return factories.make_request


@pytest.fixture
def b_student(school_b):
    return StudentFactory(first_name="Berit", last_name="Lie", school=school_b, birth_date=years_ago(14))


@pytest.fixture
def a_request(make_request, minor, teacher, guardian):
    """Emma's request: Frida asked Bob, who registered it."""
    return make_request(minor, teacher, requester_user=guardian, requester_name="Frida")


@pytest.fixture
def b_request(make_request, b_student, other_admin):
    """A request at the other authority: about Berit at school B, registered by Olga."""
    return make_request(b_student, other_admin, requester_name="Berits mor")
