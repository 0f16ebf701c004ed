"""No lost work: two teachers save the same assessment or goal; the second is refused and keeps their text."""

import pytest
from django.test import Client
from django.urls import reverse

from ..factories import SubjectFactory
from .factories import GoalFactory, PlanFactory, PlanSubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(minor):
    return PlanSubjectFactory(plan=PlanFactory(student=minor, stage=2), subject=SubjectFactory(code="MAT1019"))


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def opened_version(client, url):
    """The version the form carries in its hidden field when the teacher opens it."""
    return client.get(url).context["form"]["version"].value()


@pytest.mark.parametrize(("kind", "prefix"), [("halvar", "half_year"), ("ar", "annual")])
def test_second_assessment_save_is_refused_and_keeps_what_was_typed(teacher, coteacher, subject, kind, prefix):
    url = reverse("iop:assessment_edit", args=[subject.pk, kind])
    first, second = logged_in(teacher), logged_in(coteacher)
    first_version, second_version = opened_version(first, url), opened_version(second, url)

    saved = first.post(url, {"development": "Bobs vurdering", "opportunities": "Bobs muligheter",
                             "version": first_version})
    refused = second.post(url, {"development": "Charlies vurdering", "opportunities": "Charlies muligheter",
                                "done": "on", "version": second_version})

    assert saved.status_code == 302
    assert refused.status_code == 409
    subject.refresh_from_db()
    assert getattr(subject, f"{prefix}_development") == "Bobs vurdering"
    assert getattr(subject, f"{prefix}_done") is False
    content = refused.content.decode()
    assert "Charlies vurdering" in content and "Charlies muligheter" in content  # what they typed
    assert "Bobs vurdering" in content  # what the other saved, to merge with
    assert refused.context["stale_saved"]
    # The re-rendered form carries the current version: saving the merge now works.
    merged = refused.context["form"]["version"].value()
    again = second.post(url, {"development": "Begge", "opportunities": "", "version": merged})
    assert again.status_code == 302
    subject.refresh_from_db()
    assert getattr(subject, f"{prefix}_development") == "Begge"


def test_second_goal_save_is_refused_and_keeps_what_was_typed(teacher, coteacher, subject):
    goal = GoalFactory(plan_subject=subject, competence_goal="Opprinnelig")
    url = reverse("iop:goal_edit", args=[goal.pk])
    first, second = logged_in(teacher), logged_in(coteacher)
    first_version, second_version = opened_version(first, url), opened_version(second, url)

    saved = first.post(url, {"competence_goal": "Bobs mål", "version": first_version})
    refused = second.post(url, {"competence_goal": "Charlies mål", "learning_goal": "Charlies læringsmål",
                                "version": second_version})

    assert saved.status_code == 302
    assert refused.status_code == 409
    goal.refresh_from_db()
    assert goal.competence_goal == "Bobs mål"
    content = refused.content.decode()
    assert "Charlies mål" in content and "Charlies læringsmål" in content
    assert "Bobs mål" in content


def test_goal_edit_without_a_version_is_refused(teacher, subject):
    goal = GoalFactory(plan_subject=subject, competence_goal="Opprinnelig")
    response = logged_in(teacher).post(reverse("iop:goal_edit", args=[goal.pk]), {"competence_goal": "Blindt"})
    assert response.status_code == 409
    goal.refresh_from_db()
    assert goal.competence_goal == "Opprinnelig"


def test_goals_done_does_not_clobber_an_assessment_being_saved(teacher, coteacher, subject):
    url = reverse("iop:assessment_edit", args=[subject.pk, "halvar"])
    writer = logged_in(coteacher)
    version = opened_version(writer, url)
    logged_in(teacher).post(reverse("iop:goals_done", args=[subject.pk]), {"done": "1"})
    assert writer.post(url, {"development": "Tekst", "version": version}).status_code == 302
    subject.refresh_from_db()
    assert subject.goals_done and subject.half_year_development == "Tekst"
