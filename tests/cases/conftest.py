"""The person-case cast on top of the fixed cast: a case creator at school A (Kari), Bob as Emma's contact
teacher, and one case about Emma handled by Bob with Dora as co-handler."""

import pytest

from accounts.services import case_creator_grant

from ..conftest import make_staff
from ..factories import UserFactory
from .factories import make_case


@pytest.fixture
def case_creator(school_a):
    user = make_staff("kari", school_a)
    case_creator_grant(school=school_a, user=user)
    return user


@pytest.fixture
def contact(minor, teacher):
    """Bob, who teaches Emma, is also her contact teacher."""
    minor.contact_teacher = teacher
    minor.save()
    return teacher


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def case_cast(cast, case_creator, contact, superuser):
    return {**cast, "case_creator": case_creator, "superuser": superuser}


@pytest.fixture
def case(case_cast, minor, teacher, other_teacher, case_creator):
    """Emma's case: Bob handles it, Dora is co-handler, Kari created it."""
    return make_case(minor, teacher, [other_teacher], by=case_creator)
