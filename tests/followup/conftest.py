"""The IKO cast on top of the fixed cast: an IKO team member, and Emma's contact teacher (Dora)."""

import pytest

from accounts.services import iko_team_grant

from ..conftest import make_staff


@pytest.fixture
def iko_team(school_a):
    user = make_staff("ingvild", school_a)
    iko_team_grant(school=school_a, user=user)
    return user


@pytest.fixture
def contact(minor, other_teacher):
    """Dora teaches Ola, not Emma, but is Emma's contact teacher (her class, from the roster)."""
    minor.contact_teacher = other_teacher
    minor.save()
    return other_teacher


@pytest.fixture
def iko_cast(cast, iko_team, contact):
    return {**cast, "iko_team": iko_team, "contact": contact}
