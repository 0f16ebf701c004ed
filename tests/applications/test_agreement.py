"""The list twins agree with the object check for applications (DESIGN.md §4 "Application: read").

For every member of the cast and every application status, an application is in
`applications_administered_by(user) | applications_for_reader(user)` if and only if
`get_application_for(request, pk, READ)` lets the user read it. The applications are those of
every student the cast relates to in a different way (the minor, the adult, another child of
school A, a student of school B), this school year and last, and the guardian also holds a
guardianship of the adult, which gives nothing once the student is 18.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from applications.access import READ, applications_administered_by, applications_for_reader, get_application_for
from applications.models import Application

from ..access_table import CAST, application_holds
from ..factories import GuardianshipFactory, SchoolYearFactory, StudentFactory, request_as
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def reads(user, application) -> bool:
    try:
        get_application_for(request_as(user), application.pk, READ)
    except (Http404, PermissionDenied):
        return False
    return True


@pytest.fixture
def applications_in(minor, adult, other_child, school_b, guardian):
    GuardianshipFactory(guardian=guardian, student=adult)
    students = [minor, adult, other_child, StudentFactory(school=school_b)]
    this_year = SchoolYearFactory()
    years = [this_year, SchoolYearFactory(start_year=this_year.start_year - 1)]

    def make(status):
        """Every student's application in both years in `status`; `minor`'s of this year first."""
        return [ApplicationFactory(student=student, school_year=year, status=status)
                for student in students for year in years]

    return make


@pytest.mark.parametrize("status", Application.Status.values)
@pytest.mark.parametrize("name", CAST)
def test_list_twins_agree_with_get_application_for(cast, applications_in, name, status):
    user = cast[name]
    applications = applications_in(status)
    listed = set(applications_administered_by(user) | applications_for_reader(user))
    assert listed <= set(applications)
    for application in applications:
        assert (application in listed) == reads(user, application), (application.student, application.school_year)
    # Not agreement by both refusing everything: the minor's application follows the access table.
    assert reads(user, applications[0]) == application_holds(name, "read", status)
