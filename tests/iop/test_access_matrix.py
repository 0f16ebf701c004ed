"""docs/architecture.md §4 for every IOP page, at every publication stage, for every member of the cast.

The expectations come from tests/access_table.py (written from the design, not derived from
iop/access.py), so a view that asks for the wrong right is caught.
"""

import pytest
from django.urls import reverse

from iop.models import Plan

from ..access_table import CAST, IOP_PAGES, iop_status
from ..factories import SubjectFactory
from .factories import AnnexRowFactory, GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

# page name → URL builder; the right each page needs is in tests/access_table.py.
URLS = {
    "plan": lambda p, s: reverse("iop:plan_detail", args=[p.pk]),
    "part 1 edit": lambda p, s: reverse("iop:plan_edit_part1", args=[p.pk]),
    "subjects edit": lambda p, s: reverse("iop:plan_subjects", args=[p.pk]),
    "part 2 subject": lambda p, s: reverse("iop:subject_detail", args=[s.pk]),
    "half-year edit": lambda p, s: reverse("iop:assessment_edit", args=[s.pk, "halvar"]),
    "annual report edit": lambda p, s: reverse("iop:report_edit", args=[p.pk]),
    "annex": lambda p, s: reverse("iop:annex", args=[p.pk]),
    "IOP PDF": lambda p, s: reverse("iop:plan_download", args=[p.pk, "iop"]),
    "half-year PDF": lambda p, s: reverse("iop:plan_download", args=[p.pk, "halvar"]),
    "annual report PDF": lambda p, s: reverse("iop:plan_download", args=[p.pk, "arsrapport"]),
    "annex PDF": lambda p, s: reverse("iop:plan_download", args=[p.pk, "vedlegg"]),
}


@pytest.fixture
def plan_subject(minor):
    plan = PlanFactory(student=minor)
    plan_subject = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))  # teacher's subject
    GoalFactory(plan_subject=plan_subject)
    AnnexRowFactory(plan=plan)
    return plan_subject


@pytest.mark.parametrize("stage", Plan.Stage.values)
@pytest.mark.parametrize("page", URLS)
def test_every_page_at_every_stage_for_every_member(client, cast, plan_subject, page, stage):
    plan = plan_subject.plan
    Plan.objects.filter(pk=plan.pk).update(stage=stage)
    url = URLS[page](plan, plan_subject)
    for member in CAST:
        client.force_login(cast[member])
        assert client.get(url).status_code == iop_status(member, IOP_PAGES[page], stage), (member, page, stage)
