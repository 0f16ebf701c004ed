"""The annual report: the admin writes it; a concurrent edit is refused and keeps the text."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AccessEvent
from iop.models import Plan

from ..access_table import CAST, IOP_PAGES, iop_status
from .factories import PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db
S = Plan.Stage
SENT = datetime.date.today() - datetime.timedelta(days=1)  # a sent date is never in the future


@pytest.fixture
def plan(minor):
    plan = PlanFactory(student=minor, stage=S.TEACHERS, report_training="Gammel oversikt.")
    PlanSubjectFactory(plan=plan, annual_development="Eleven leser bedre.", annual_opportunities="Mer lesing.")
    return plan


def url(plan):
    return reverse("iop:report_edit", args=[plan.pk])


def data(plan, **changes):
    return {
        "report_training": "Fire timer matematikk i uka.",
        "report_assessment": "Opplæringen har fungert godt.",
        "report_continued_need": "Eleven trenger fortsatt IOP.",
        "report_sent_on": SENT.isoformat(),
        "version": plan.report_version,
        **changes,
    }


def test_admin_sees_the_form_and_the_annual_assessments(client, admin, plan):
    client.force_login(admin)
    response = client.get(url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eleven leser bedre." in html and "Mer lesing." in html
    assert f'data-draft-key="iop-{plan.pk}-report_training"' in html
    assert "js/drafts.js" in html


def test_admin_saves_the_report(client, admin, plan):
    client.force_login(admin)
    response = client.post(url(plan), data(plan))
    assert response.status_code == 302 and response.url == reverse("iop:plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.report_training == "Fire timer matematikk i uka."
    assert plan.report_continued_need == "Eleven trenger fortsatt IOP."
    assert plan.report_sent_on == SENT
    assert plan.report_version == 1
    assert AccessEvent.objects.filter(action="changed", object_type="iop_report", user=admin).exists()


def test_the_sent_date_may_stay_empty(client, admin, plan):
    client.force_login(admin)
    assert client.post(url(plan), data(plan, report_sent_on="")).status_code == 302
    plan.refresh_from_db()
    assert plan.report_sent_on is None


def test_a_bad_date_re_renders_with_the_text(client, admin, plan):
    client.force_login(admin)
    response = client.post(url(plan), data(plan, report_sent_on="31.02.2027"))
    assert response.status_code == 200 and "report_sent_on" in response.context["form"].errors
    assert response.context["form"]["report_training"].value() == "Fire timer matematikk i uka."
    plan.refresh_from_db()
    assert plan.report_training == "Gammel oversikt." and plan.report_version == 0


def test_concurrent_edit_is_refused_and_keeps_the_typed_text(client, admin, plan):
    client.force_login(admin)
    opened = data(plan)  # both open the form at version 0
    assert client.post(url(plan), data(plan, report_training="Først lagret.")).status_code == 302
    response = client.post(url(plan), {**opened, "report_training": "Min tekst."})
    assert response.status_code == 409
    assert response.context["form"]["report_training"].value() == "Min tekst."
    assert "Min tekst." in response.content.decode() and "Først lagret." in response.content.decode()
    assert response.context["stale_saved"]
    plan.refresh_from_db()
    assert (plan.report_training, plan.report_version) == ("Først lagret.", 1)
    # Saving again, knowingly, now goes through.
    assert response.context["form"]["version"].value() == 1
    assert client.post(url(plan), {**opened, "report_training": "Min tekst.", "version": 1}).status_code == 302
    plan.refresh_from_db()
    assert plan.report_training == "Min tekst."


@pytest.mark.parametrize("who", ["teacher", "coteacher"])
def test_teachers_may_not_write(client, cast, plan, who):
    client.force_login(cast[who])
    assert client.get(url(plan)).status_code == 403
    assert client.post(url(plan), data(plan)).status_code == 403
    plan.refresh_from_db()
    assert plan.report_training == "Gammel oversikt."


@pytest.mark.parametrize("who", [who for who in CAST if who not in ("admin", "teacher", "coteacher")])
def test_others_may_not_write(client, cast, minor, who):
    plan = PlanFactory(student=minor, stage=S.ANNUAL_REPORT)
    status = iop_status(who, IOP_PAGES["annual report edit"], S.ANNUAL_REPORT)
    client.force_login(cast[who])
    assert client.post(url(plan), data(plan)).status_code == status
    assert client.get(url(plan)).status_code == status


def test_plan_page_shows_the_report_to_readers(client, admin, guardian, plan):
    plan.report_assessment = "Samlet vurdering her."
    plan.stage = S.ANNUAL_REPORT
    plan.save()
    for user, edit in ((admin, True), (guardian, False)):
        client.force_login(user)
        html = client.get(reverse("iop:plan_detail", args=[plan.pk])).content.decode()
        assert "Samlet vurdering her." in html and "Eleven leser bedre." in html
        assert (url(plan) in html) is edit


def test_guardian_does_not_see_the_report_before_stage_5(client, guardian, plan):
    plan.report_assessment = "Samlet vurdering her."
    plan.stage = S.HALF_YEAR
    plan.save()
    client.force_login(guardian)
    response = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert response.status_code == 200 and "Samlet vurdering her." not in response.content.decode()
