"""The goal bank on a phone: the teacher types, narrows the hits to a level, picks a goal, and adds it with its code.
(Elements are found by id and data attributes: the bank's texts are new and not translated yet.)"""

import pytest

from curriculum.bank import shipped_data, sync
from iop.models import Goal, Plan
from tests.iop.factories import PlanFactory, PlanSubjectFactory

from .helpers import PHONE, follow, log_in, wait_until_true

pytestmark = pytest.mark.django_db(transaction=True)

KM14191_NB = ("skrive tekster med funksjonell tekstbinding og riktig tegnsetting og mestre rettskriving og "
              "ordbøying på hovedmål og sidemål")


def test_a_teacher_adds_a_goal_from_the_bank_on_a_phone(page, live_server, teacher, minor, axe_check):
    sync(shipped_data())  # a transactional test's flush emptied what the migration loaded
    subject = PlanSubjectFactory(plan=PlanFactory(student=minor, stage=Plan.Stage.TEACHERS),
                                 subject=minor.enrollments.get().subject)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/iop/fag/{subject.pk}/")
    page.locator("#id_laereplan").select_option("NOR01-08")
    page.locator("#id_q").fill("sidemål")
    # after years 4, 7 and 10, Vg1 studieforberedende, Vg3 and Vg3 påbygging
    wait_until_true(page, "document.querySelectorAll('#goal-bank-results a[data-grep-code]').length === 6")
    page.locator("#id_trinn").select_option("aarstrinn10")  # the student follows the goals after year 10
    wait_until_true(page, "document.querySelectorAll('#goal-bank-results a[data-grep-code]').length === 1")
    page.locator("#goal-bank-results a[data-grep-code='KM14191']").click()
    # The script fills the form in place; wait for it rather than read the field in the same instant.
    wait_until_true(page, "document.querySelector('form[data-goal-add] input[name=grep_code]').value !== ''")
    assert page.locator("#id_competence_goal").input_value() == KM14191_NB
    assert page.locator("form[data-goal-add] input[name=grep_code]").input_value() == "KM14191"
    axe_check(page)
    page.locator("#id_learning_goal").fill("Skrive en kort tekst med riktig tegnsetting.")
    follow(page, page.locator("form[data-goal-add] button[type=submit]"), f"/iop/fag/{subject.pk}/")
    goal = Goal.objects.get(plan_subject=subject)
    assert (goal.grep_code, goal.competence_goal) == ("KM14191", KM14191_NB)
    assert page.locator("a[data-goal-code='KM14191']").is_visible()
