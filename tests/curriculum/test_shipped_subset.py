"""The shipped subset beyond year 10: an upper-secondary goal set (naturfag Vg1 håndverk, design og
produktutvikling, KV1086) and a vocational programme area (SSR02-01, Vg2 salg, service og reiseliv), and the
data migration that adds them to a database that already has a goal bank."""

import importlib

import pytest
from django.apps import apps

from curriculum.bank import EXPIRED, PUBLISHED, add_missing, shipped_data, sync
from curriculum.models import CompetenceGoal, Curriculum, CurriculumSubject, GoalSet
from curriculum.selectors import search_goals

pytestmark = pytest.mark.django_db

SSR_GOALS = {f"KM{number}" for number in range(13060, 13096)}
KV1086_GOALS = ["KM13934", "KM13935", "KM13936", "KM13937", "KM13938", "KM13940", "KM13939"]


def codes(goals):
    return {goal.code for goal in goals}


def test_an_upper_secondary_goal_set_is_in_the_bank():
    goal_set = GoalSet.objects.get(code="KV1086")
    assert (goal_set.curriculum.code, goal_set.level) == ("NAT01-05", "vg1")
    assert goal_set.title_nb == "Kompetansemål og vurdering vg1 håndverk, design og produktutvikling"
    assert list(goal_set.goals.order_by("position").values_list("code", flat=True)) == KV1086_GOALS
    found = search_goals(query="livsløpet produkter", curriculum=Curriculum.objects.get(code="NAT01-05"), language="nb")
    assert codes(found) == {"KM13940"}
    assert found[0].title == "undersøke og vurdere livsløpet til ulike produkter i et bærekraftsperspektiv"


def test_a_vocational_programme_area_is_in_the_bank():
    ssr = Curriculum.objects.get(code="SSR02-01")
    assert ssr.title_nb == "Læreplan i vg2 salg, service og reiseliv" and ssr.status == PUBLISHED
    assert set(ssr.goal_sets.values_list("code", "level")) == {("KV1011", "vg2"), ("KV1012", "vg2"), ("KV1013", "vg2")}
    assert codes(search_goals(query="", curriculum=ssr, language="nb", limit=50)) == SSR_GOALS
    assert codes(search_goals(query="beredskapsplan", curriculum=None, language="nb")) == {"KM13086"}
    assert codes(search_goals(query="km13073", curriculum=None, language="nb")) == {"KM13073"}


def test_goals_without_nynorsk_or_english_show_the_bokmål_text():
    goal = CompetenceGoal.objects.get(code="KM13086")
    assert (goal.title_nn, goal.title_en) == ("", "")
    assert goal.title_in("nn") == goal.title_in("en") == "utforske, forklare og bruke en beredskapsplan"
    assert codes(search_goals(query="beredskapsplan", curriculum=None, language="en")) == {"KM13086"}


def test_syncing_the_shipped_subset_again_changes_nothing():
    counts = sync(shipped_data())
    assert counts == {"created": 0, "changed": 0, "unchanged": 130, "expired": 0}


def test_the_migration_adds_only_what_is_missing():
    """A bank that grep_refresh filled: newer texts, subject codes and goals the subset lacks stay as they are."""
    CompetenceGoal.objects.filter(code__in=SSR_GOALS | set(KV1086_GOALS)).delete()
    GoalSet.objects.filter(code__in=["KV1011", "KV1012", "KV1013", "KV1086"]).delete()
    Curriculum.objects.filter(code="SSR02-01").delete()
    nat = Curriculum.objects.get(code="NAT01-05")
    CurriculumSubject.objects.create(curriculum=nat, subject_code="NAT1007")
    CompetenceGoal.objects.filter(code="KM13854").update(title_nn="ein nyare tekst frå Grep")
    refreshed = CompetenceGoal.objects.create(code="KM99999", curriculum=nat, title_nb="et mål bare Grep har")

    migration = importlib.import_module("curriculum.migrations.0004_shipped_subset_upper_secondary")
    migration.add_subset(apps, None)

    assert CompetenceGoal.objects.count() == 131
    assert set(CompetenceGoal.objects.filter(code__in=SSR_GOALS | set(KV1086_GOALS))
               .values_list("status", flat=True)) == {PUBLISHED}
    assert GoalSet.objects.get(code="KV1086").curriculum == nat
    assert list(nat.subject_codes.values_list("subject_code", flat=True)) == ["NAT1007"]
    assert CompetenceGoal.objects.get(code="KM13854").title_nn == "ein nyare tekst frå Grep"
    refreshed.refresh_from_db()
    assert refreshed.status != EXPIRED
    assert add_missing(shipped_data()) == {"curricula": 0, "goal_sets": 0, "goals": 0}
