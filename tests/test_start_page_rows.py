"""The start page's rows, links and class menu, worked out once a page (issue 19), and the IOP and
application lookups that take what the page has read already."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.access import children_of, student_self
from accounts.models import SchoolYear
from accounts.services import case_creator_grant
from applications import access as applications_access
from applications.models import Application, Decision
from cases.services import card_register, case_create, case_types_of
from iop.models import Plan

from .applications.factories import ApplicationFactory
from .factories import (EnrollmentFactory, GuardianshipFactory, SchoolYearFactory, StaffFactory, StudentFactory,
                        years_ago)
from .iop.factories import PlanFactory

pytestmark = pytest.mark.django_db

S = Plan.Stage


def start_html(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("start"), params)
    assert response.status_code == 200
    return response.content.decode()


def this_year() -> SchoolYear:
    return SchoolYear.objects.current(create=True)


def taught_by(teacher, school, **student) -> object:
    child = StudentFactory(school=school, **student)
    EnrollmentFactory(student=child, school_year=this_year(), teachers=[teacher])
    return child


def plan_link(plan) -> str:
    return f'href="{reverse("iop:plan_detail", args=[plan.pk])}"'


# --- The IOP admin's list -------------------------------------------------------------------------------


def test_admin_rows_show_status_and_stage_with_their_links(client, admin, school_a):
    applied = StudentFactory(school=school_a, first_name="Anna", last_name="Aas")
    ApplicationFactory(student=applied, school_year=this_year(), status=Application.Status.UNDER_PROCESSING)
    PlanFactory(student=applied, school_year=this_year(), stage=S.TEACHERS)
    granted = StudentFactory(school=school_a, first_name="Berit", last_name="Bø")
    Decision.objects.create(student=granted, school_year=this_year(), outcome=Decision.Outcome.GRANTED,
                            decided_on=timezone.localdate())
    nothing = StudentFactory(school=school_a, first_name="Cato", last_name="Dahl")
    html = re.sub(r"\s+", " ", start_html(client, admin))
    documents = reverse("documents:student_documents", args=[applied.pk])
    assert f'<a class="ds-link" href="{documents}">Anna Aas</a>' in html
    assert '<span class="ds-tag" data-color="info">Søknad: under behandling</span>' in html
    plan_page = reverse("iop:student_plan", args=[applied.pk])
    assert f'<a class="ds-link" href="{plan_page}">2 – Publisert faglærere</a>' in html
    assert '<span class="ds-tag" data-color="success">Innvilget</span>' in html
    no_plan = reverse("iop:student_plan", args=[nothing.pk])
    assert (f'<a class="ds-link" href="{no_plan}">Ingen IOP<span class="ds-sr-only"> – Cato Dahl</span></a>'
            in html)


def test_names_in_the_rows_are_escaped(client, admin, teacher, school_a):
    """The rows are built in Python, not by the template engine: every text in them must still be escaped."""
    taught_by(teacher, school_a, first_name='<script>alert("x")</script>', group="1A & B")
    StudentFactory(school=school_a, first_name="<b>Bo</b>")
    school_a.name = "<i>Skole</i>"
    school_a.save()
    for user in (admin, teacher):
        html = start_html(client, user)
        assert "<script>" not in html and "<b>Bo" not in html and "<i>Skole" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and "1A &amp; B" in html
    assert "&lt;i&gt;Skole&lt;/i&gt;" in start_html(client, teacher)  # the teacher's table names the school


def test_the_class_menu_lists_the_classes_and_keeps_the_chosen_one(client, admin, school_a):
    for group in ("1STA", "2STB", "2STB"):
        StudentFactory(school=school_a, group=group)
    field = f"s{school_a.pk}-group"
    menu = re.search(rf'<select name="{field}".*?</select>', start_html(client, admin, **{field: "2STB"}), re.S)
    options = re.findall(r"<option [^>]*>[^<]*</option>", menu.group())
    assert options == ['<option value="">Alle klasser</option>', '<option value="1STA">1STA</option>',
                       '<option value="2STB" selected>2STB</option>']
    assert re.search(rf'<select name="{field}" class="ds-input"[^>]* id="id_{field}"', start_html(client, admin))


def test_a_filtered_list_counts_its_matches_and_the_total(client, teacher, school_a):
    for group in ("1STA", "1STA", "1STA", "2STB", "2STB"):
        taught_by(teacher, school_a, group=group)
    assert "5 elever av 5" in start_html(client, teacher)
    assert "2 elever av 5" in start_html(client, teacher, **{"t-group": "2STB"})


# --- Links to IOPs: every role the user holds, none they do not ----------------------------------------


def test_an_admin_who_teaches_sees_the_draft_iop_of_a_taught_student(client, admin, coteacher, school_a):
    student = taught_by(admin, school_a)
    EnrollmentFactory(student=student, school_year=this_year(), teachers=[coteacher])
    plan = PlanFactory(student=student, school_year=this_year(), stage=S.DRAFT)
    assert plan_link(plan) in start_html(client, admin)
    assert plan_link(plan) not in start_html(client, coteacher)  # a draft is the admins' only


def test_a_teacher_who_is_a_guardian_sees_both_kinds_of_iop(client, teacher, school_a):
    taught = PlanFactory(student=taught_by(teacher, school_a), school_year=this_year(), stage=S.TEACHERS)
    child = StudentFactory(school=school_a, birth_date=years_ago(10))
    GuardianshipFactory(guardian=teacher, student=child)
    own = PlanFactory(student=child, school_year=this_year(), stage=S.STUDENT_AND_GUARDIANS)
    html = start_html(client, teacher)
    assert plan_link(taught) in html and plan_link(own) in html
    Plan.objects.filter(pk=own.pk).update(stage=S.TEACHERS)  # not yet published to the guardians
    assert plan_link(own) not in start_html(client, teacher)


# --- Person cases -------------------------------------------------------------------------------------


def test_cases_to_close_link_to_the_case_or_to_its_handlers(client, teacher, school_a):
    creator = StaffFactory(school=school_a).user
    case_creator_grant(school=school_a, user=creator)
    student = StudentFactory(school=school_a, leaves_on=timezone.localdate())
    card_register(student=student, by=creator)
    case = case_create(student=student, case_type=case_types_of(school_a)[0], category="care",
                       description="Bekymring", handler=teacher, co_handlers=[], by=creator)
    assert f'href="{reverse("cases:case", args=[case.pk])}"' in start_html(client, teacher)
    creator_html = start_html(client, creator)
    assert f'href="{reverse("cases:handlers", args=[case.pk])}"' in creator_html
    assert f'href="{reverse("cases:case", args=[case.pk])}"' not in creator_html


# --- Applications: the students read already ----------------------------------------------------------


def test_the_adult_student_approves_and_the_minor_reads(client, adult_student, minor_student, adult, minor):
    own = ApplicationFactory(student=adult, school_year=this_year(), status=Application.Status.AWAITING_APPROVAL)
    minors = ApplicationFactory(student=minor, school_year=this_year(), status=Application.Status.AWAITING_APPROVAL)
    html = start_html(client, adult_student)
    assert reverse("applications:application_read", args=[own.pk]) in html and "Les og godkjenn" in html
    html = start_html(client, minor_student)
    assert reverse("applications:application_read", args=[minors.pk]) in html and "Les og godkjenn" not in html


@pytest.mark.parametrize("name", ["guardian", "adult_student", "minor_student", "teacher"])
def test_the_lookups_given_the_family_find_what_they_find_alone(cast, adult, minor, name):
    for student in (adult, minor):
        for year, status in enumerate(Application.Status.values, start=2000):
            ApplicationFactory(student=student, school_year=SchoolYearFactory(start_year=year), status=status)
    user = cast[name]
    family = (list(student_self(user)), list(children_of(user)))
    for lookup in (applications_access.awaiting_approval_by, applications_access.applications_for_reader):
        assert set(lookup(user, family=family)) == set(lookup(user))


def test_nobody_in_the_family_costs_no_query(teacher, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(applications_access.awaiting_approval_by(teacher, family=([], []))) == []
        assert list(applications_access.applications_for_reader(teacher, family=([], []))) == []
