"""DESIGN.md §4 for every IOP page, at every publication stage, for every member of the cast.

The expectations are written out here from the table, not derived from
iop/access.py, so a view that asks for the wrong right is caught.
"""

import pytest
from django.urls import reverse

from iop.models import Plan

from ..factories import SubjectFactory
from .factories import AnnexRowFactory, GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

CAST = ["admin", "teacher", "coteacher", "other_teacher", "other_admin", "principal", "adult_student",
        "minor_student", "guardian", "other_guardian", "stranger"]

# page name → (URL builder, the lowest stage at which each reader may open it; None: never)
# Readers: "teacher" (teacher or co-teacher of the student), "family" (the minor and their guardian).
PAGES = {
    "plan": (lambda p, s: reverse("iop:plan_detail", args=[p.pk]), {"teacher": 2, "family": 3}),
    "part 1 edit": (lambda p, s: reverse("iop:plan_edit_part1", args=[p.pk]), {"teacher": None, "family": None}),
    "subjects edit": (lambda p, s: reverse("iop:plan_subjects", args=[p.pk]), {"teacher": None, "family": None}),
    "part 2 subject": (lambda p, s: reverse("iop:subject_detail", args=[s.pk]), {"teacher": 2, "family": 3}),
    "half-year edit": (lambda p, s: reverse("iop:assessment_edit", args=[s.pk, "halvar"]),
                       {"teacher": 2, "family": None}),
    "annual report edit": (lambda p, s: reverse("iop:report_edit", args=[p.pk]), {"teacher": None, "family": None}),
    "annex": (lambda p, s: reverse("iop:annex", args=[p.pk]), {"teacher": 2, "family": 5}),
    "IOP PDF": (lambda p, s: reverse("iop:plan_download", args=[p.pk, "iop"]), {"teacher": None, "family": 3}),
    "half-year PDF": (lambda p, s: reverse("iop:plan_download", args=[p.pk, "halvar"]),
                      {"teacher": None, "family": 4}),
    "annual report PDF": (lambda p, s: reverse("iop:plan_download", args=[p.pk, "arsrapport"]),
                          {"teacher": None, "family": 5}),
    "annex PDF": (lambda p, s: reverse("iop:plan_download", args=[p.pk, "vedlegg"]), {"teacher": None, "family": 5}),
}

SEES_FROM = {"teacher": 2, "family": 3}
READER = {"teacher": "teacher", "coteacher": "teacher", "minor_student": "family", "guardian": "family"}


def expected_status(member: str, page: str, stage: int) -> int:
    if member == "admin":
        return 200
    reader = READER.get(member)
    if reader is None or stage < SEES_FROM[reader]:
        return 404  # may not see the IOP at all: must not learn it exists
    opens_from = PAGES[page][1][reader]
    return 200 if opens_from is not None and stage >= opens_from else 403


@pytest.fixture
def plan_subject(minor):
    plan = PlanFactory(student=minor)
    plan_subject = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))  # teacher's subject
    GoalFactory(plan_subject=plan_subject)
    AnnexRowFactory(plan=plan)
    return plan_subject


@pytest.mark.parametrize("stage", Plan.Stage.values)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_at_every_stage_for_every_member(client, cast, plan_subject, page, stage):
    plan = plan_subject.plan
    Plan.objects.filter(pk=plan.pk).update(stage=stage)
    url = PAGES[page][0](plan, plan_subject)
    for member in CAST:
        client.force_login(cast[member])
        assert client.get(url).status_code == expected_status(member, page, stage), (member, page, stage)
