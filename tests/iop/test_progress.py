"""Each goal's progress: chosen on the school's scale with the half-year and annual assessments, saved with
them (a stale form saves neither), and shown per subject as an accessible SVG chart with a table."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from iop import progress
from iop.models import Goal, SchoolSettings

from ..factories import SubjectFactory
from .factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db

SCALE = [(1, "ikke begynt"), (2, "begynt"), (3, "delvis"), (4, "nådd")]


@pytest.fixture
def maths(minor):
    plan = PlanFactory(student=minor, stage=3)
    return PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))


@pytest.fixture
def goals(maths):
    return [GoalFactory(plan_subject=maths, position=n) for n in range(2)]


def assessment_url(subject, kind="halvar"):
    return reverse("iop:assessment_edit", args=[subject.pk, kind])


def form_data(subject, goals, steps, *, version=0, **extra):
    data = {"development": "Jevn framgang.", "opportunities": "", "version": version, **extra}
    data.update({f"progress_{goal.pk}": step for goal, step in zip(goals, steps)})
    return data


def test_the_teacher_saves_each_goals_progress_with_the_half_year_assessment(client, teacher, maths, goals):
    client.force_login(teacher)
    response = client.post(assessment_url(maths), form_data(maths, goals, ["2", ""]))
    assert response.status_code == 302
    assert [(g.progress_half_year, g.progress_annual, g.version) for g in Goal.objects.order_by("position")] == [
        (2, None, 0), (None, None, 0)]
    maths.refresh_from_db()
    assert maths.half_year_version == 1


def test_the_annual_assessment_saves_the_annual_progress(client, teacher, maths, goals):
    client.force_login(teacher)
    client.post(assessment_url(maths, "ar"), form_data(maths, goals, ["4", "3"]))
    assert list(Goal.objects.order_by("position").values_list("progress_half_year", "progress_annual")) == [
        (None, 4), (None, 3)]


def test_the_form_shows_the_schools_names_and_the_saved_step(client, teacher, school_a, maths, goals):
    SchoolSettings.objects.create(school=school_a, scale_3="Nesten")
    Goal.objects.filter(pk=goals[0].pk).update(progress_half_year=3)
    client.force_login(teacher)
    html = client.get(assessment_url(maths)).content.decode()
    assert "Nesten" in html
    checked = re.search(rf'<input type="radio" name="progress_{goals[0].pk}" value="3"[^>]*checked', html)
    assert checked


@pytest.mark.parametrize("step", ["5", "0", "x"])
def test_a_step_off_the_scale_is_refused_and_nothing_is_saved(client, teacher, maths, goals, step):
    client.force_login(teacher)
    response = client.post(assessment_url(maths), form_data(maths, goals, [step, "1"]))
    assert response.status_code == 200  # the form again, with its error
    assert not Goal.objects.filter(progress_half_year__isnull=False).exists()


def test_a_stale_assessment_saves_no_progress_either(client, teacher, maths, goals):
    client.force_login(teacher)
    client.post(assessment_url(maths), form_data(maths, goals, ["1", "1"]))
    response = client.post(assessment_url(maths), form_data(maths, goals, ["4", "4"], version=0))
    assert response.status_code == 409
    assert set(Goal.objects.values_list("progress_half_year", flat=True)) == {1}


def test_a_teacher_of_another_subject_may_not_set_progress(client, other_teacher, other_child, maths, goals):
    client.force_login(other_teacher)
    assert client.post(assessment_url(maths), form_data(maths, goals, ["4", "4"])).status_code == 404
    assert not Goal.objects.filter(progress_half_year__isnull=False).exists()


# --- The chart --------------------------------------------------------------------------------------


def test_the_chart_draws_a_bar_per_goal_and_assessment_as_long_as_the_step():
    chart = progress.progress_chart([(1, 2, 4), (2, None, 1)], SCALE, half_year=True, annual=True)
    step_width = chart.plot.width / 4
    assert [(r.width, r.fill) for r in chart.rects] == [
        (round(2 * step_width, 1), progress.HALF_YEAR_COLOUR), (round(4 * step_width, 1), progress.ANNUAL_COLOUR),
        (round(1 * step_width, 1), progress.ANNUAL_COLOUR)]
    assert len(chart.labels) == 4  # every bar's row is named, drawn or not: colour is never the only cue
    assert [tick.label for tick in chart.ticks] == [name for _step, name in SCALE]
    assert chart.rects[0].title.endswith(": begynt")


def test_the_chart_leaves_out_what_the_reader_may_not_see():
    chart = progress.progress_chart([(1, 2, 4)], SCALE, half_year=True, annual=False)
    assert [r.fill for r in chart.rects] == [progress.HALF_YEAR_COLOUR]
    assert progress.progress_chart([(1, None, 4)], SCALE, half_year=True, annual=False) is None


def test_the_colours_have_contrast_against_white_and_each_other():
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    def contrast(a, b):
        high, low = sorted([luminance(a), luminance(b)], reverse=True)
        return (high + 0.05) / (low + 0.05)

    for colour in (progress.HALF_YEAR_COLOUR, progress.ANNUAL_COLOUR):
        assert contrast(colour, "#ffffff") >= 3
    assert contrast(progress.HALF_YEAR_COLOUR, progress.ANNUAL_COLOUR) >= 3


def test_the_svg_is_an_image_with_title_and_description(maths, goals):
    Goal.objects.filter(pk=goals[0].pk).update(progress_half_year=2)
    shown = progress.subject_progress(maths, maths.goals.all(), SCALE, half_year=True, annual=True)
    svg = str(shown.svg)
    assert 'role="img"' in svg
    assert f'aria-labelledby="progress-{maths.pk}-title progress-{maths.pk}-desc"' in svg
    assert "<title" in svg and "<desc" in svg
    assert [(g.half_year, g.annual) for g in shown.goals] == [("begynt", ""), ("", "")]


def test_nothing_to_show_without_goals_or_readable_assessments(maths):
    assert progress.subject_progress(maths, [], SCALE, half_year=True, annual=True) is None
    assert progress.subject_progress(maths, [Goal()], SCALE, half_year=False, annual=False) is None


# --- On the IOP page, by stage ---------------------------------------------------------------------


def progress_block(html, subject):
    match = re.search(rf'data-testid="progress-{subject.pk}".*?</table>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("stage,half_year,annual", [(3, False, False), (4, True, False), (5, True, True)])
def test_the_guardian_sees_progress_as_the_stage_publishes_it(client, guardian, maths, goals, stage, half_year,
                                                              annual):
    Goal.objects.filter(pk=goals[0].pk).update(progress_half_year=2, progress_annual=4)
    maths.plan.stage = stage
    maths.plan.save()
    client.force_login(guardian)
    block = progress_block(client.get(reverse("iop:plan_detail", args=[maths.plan_id])).content.decode(), maths)
    assert bool(block) is (half_year or annual)
    scale = dict(SchoolSettings().scale())
    assert (f"<td>{scale[2]}</td>" in block) is half_year
    assert (f"<td>{scale[4]}</td>" in block) is annual


def test_the_teacher_sees_the_chart_and_its_table_on_the_iop_page(client, teacher, maths, goals):
    Goal.objects.filter(pk=goals[0].pk).update(progress_half_year=2)
    client.force_login(teacher)
    html = client.get(reverse("iop:plan_detail", args=[maths.plan_id])).content.decode()
    assert 'role="img"' in progress_block(html, maths)
    assert gettext("Progress per goal as a table") in html


def test_the_pdf_shows_progress_as_far_as_published(maths, goals):
    Goal.objects.filter(pk=goals[0].pk).update(progress_half_year=2, progress_annual=4)
    plan = maths.plan
    plan.stage = 4
    subjects = progress.with_published_progress(plan, plan.subjects.prefetch_related("goals"))
    shown = subjects[0].progress
    assert (shown.show_half_year, shown.show_annual) == (True, False)
    assert [(g.half_year, g.annual) for g in shown.goals][0] == (str(dict(SchoolSettings().scale())[2]), "")


def test_the_iop_pdf_draws_the_chart_and_its_table(maths, goals):
    from io import BytesIO

    from django.conf import settings
    from django.utils import translation
    from pypdf import PdfReader

    from iop import pdfs

    Goal.objects.filter(pk=goals[0].pk).update(progress_half_year=2)
    plan = maths.plan
    plan.stage = 4
    plan.save()
    pdf = pdfs.plan_pdf(plan)
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    with translation.override(settings.LANGUAGE_CODE):  # the PDF is in the school's language
        begun = str(dict(SchoolSettings().scale())[2])
        goal_label = gettext("Goal %(number)d, %(assessment)s") % {"number": 1, "assessment": gettext("half-year")}
    assert begun in text  # the table
    assert goal_label in text  # the chart's row label, drawn as SVG text
