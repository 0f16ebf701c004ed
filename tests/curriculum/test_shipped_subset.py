"""The shipped subset beyond year 10: naturfag in upper secondary (NAT01-05's Vg1 goal sets KV1079-KV1089 and
Vg3 påbygging KV1090), English Vg1 (ENG01-06 KV1034 and KV1035), a vocational programme area (SSR02-01, Vg2 salg,
service og reiseliv), and the data migrations that add them to a database that already has a goal bank."""

import importlib

import pytest
from django.apps import apps

from curriculum.bank import EXPIRED, PUBLISHED, add_missing, shipped_data, sync
from curriculum.models import CompetenceGoal, Curriculum, CurriculumSubject, GoalSet
from curriculum.selectors import search_goals

pytestmark = pytest.mark.django_db

SSR_GOALS = {f"KM{number}" for number in range(13060, 13096)}
KV1086_GOALS = ["KM13934", "KM13935", "KM13936", "KM13937", "KM13938", "KM13940", "KM13939"]
# The goal sets that migration 0005 adds, with their goals in Grep's order (as flight-js/studer-v1 lists them).
KV1034_GOALS = [f"KM{n}" for n in (13393, 13398, 13405, 13390, 13391, 13392, 13394, 13406, 13395, 13396, 13397,
                                   13399, 13400, 13401, 13402, 13404, 13403)]
KV1035_GOALS = [f"KM{n}" for n in (13410, 13416, 13423, 13407, 13408, 13409, 13411, 13412, 13413, 13414, 13415,
                                   13417, 13418, 13419, 13420, 13422, 13421)]
NAT_VG_SETS = {f"KV{n}": ("vg1", 7) for n in range(1080, 1090)} | {"KV1079": ("vg1", 16), "KV1090": ("vg3", 10)}
NAT_VG_GOALS = {f"KM{n}" for n in range(13876, 13972)}
NEW_IN_0005 = set(KV1034_GOALS) | set(KV1035_GOALS) | (NAT_VG_GOALS - set(KV1086_GOALS))


def codes(goals):
    return {goal.code for goal in goals}


def test_an_upper_secondary_goal_set_is_in_the_bank():
    goal_set = GoalSet.objects.get(code="KV1086")
    assert (goal_set.curriculum.code, goal_set.level) == ("NAT01-05", "vg1")
    assert goal_set.title_nb == "Kompetansemål og vurdering vg1 håndverk, design og produktutvikling"
    assert list(goal_set.goals.order_by("position").values_list("code", flat=True)) == KV1086_GOALS
    found = search_goals(query="livsløpet produkter", curriculum=Curriculum.objects.get(code="NAT01-05"), language="nb")
    assert codes(found) == {"KM13940", "KM13960"}  # KV1086 and KV1089 share the goal
    assert [goal.goal_set.code for goal in found] == ["KV1086", "KV1089"]
    assert found[0].title == "undersøke og vurdere livsløpet til ulike produkter i et bærekraftsperspektiv"


def test_naturfag_in_upper_secondary_is_in_the_bank():
    nat = Curriculum.objects.get(code="NAT01-05")
    sets = {goal_set.code: goal_set for goal_set in nat.goal_sets.all()}
    assert {code: (s.level, s.goals.count()) for code, s in sets.items() if code != "KV1078"} == NAT_VG_SETS
    assert sets["KV1082"].title_nb == "Kompetansemål og vurdering vg1 helse- og oppvekstfag"
    assert sets["KV1090"].title_nb == "Kompetansemål og vurdering vg3 påbygging til generell studiekompetanse"
    assert list(sets["KV1081"].goals.order_by("position").values_list("code", flat=True)) == [
        "KM13899", "KM13900", "KM13903", "KM13901", "KM13902", "KM13904", "KM13905"]
    assert codes(search_goals(query="", curriculum=nat, language="nb", limit=200)) == (
        NAT_VG_GOALS | set(nat.goals.filter(goal_set__code="KV1078").values_list("code", flat=True)))
    assert codes(search_goals(query="mattrygghet", curriculum=None, language="nb")) == {"KM13926"}
    assert codes(search_goals(query="vekselstrømteknologi", curriculum=nat, language="en")) == {"KM13905"}
    assert codes(search_goals(query="KM13889", curriculum=None, language="nb")) == {"KM13889"}
    assert codes(search_goals(query="km13966", curriculum=nat, language="nn")) == {"KM13966"}


def test_english_vg1_is_in_the_bank():
    eng = Curriculum.objects.get(code="ENG01-06")
    assert set(eng.goal_sets.values_list("code", "level")) == {
        ("KV1033", "aarstrinn10"), ("KV1034", "vg1"), ("KV1035", "vg1")}
    vocational, academic = GoalSet.objects.get(code="KV1034"), GoalSet.objects.get(code="KV1035")
    assert vocational.title_nb == "Kompetansemål og vurdering Vg1 yrkesfaglige utdanningsprogram"
    assert academic.title_nb == "Kompetansemål og vurdering Vg1 studieforberedende utdanningsprogram"
    assert list(vocational.goals.order_by("position").values_list("code", flat=True)) == KV1034_GOALS
    assert list(academic.goals.order_by("position").values_list("code", flat=True)) == KV1035_GOALS
    assert codes(search_goals(query="arbeidsspråk", curriculum=None, language="nb")) == {"KM13402"}
    assert codes(search_goals(query="verdensspråk", curriculum=eng, language="en")) == {"KM13420"}
    assert codes(search_goals(query="skjønnlitteratur", curriculum=eng, language="nb")) == {"KM13378", "KM13414"}
    assert codes(search_goals(query="km13396", curriculum=None, language="nb")) == {"KM13396"}
    found = search_goals(query="", curriculum=eng, language="nb", limit=100)
    assert len(found) == 19 + 17 + 17 and codes(found) >= set(KV1034_GOALS) | set(KV1035_GOALS)


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
    assert counts == {"created": 0, "changed": 0, "unchanged": 253, "expired": 0}


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
    migration.Migration.operations[0].code(apps, None)  # the RunPython the migration runs

    assert CompetenceGoal.objects.count() == 254
    assert set(CompetenceGoal.objects.filter(code__in=SSR_GOALS | set(KV1086_GOALS))
               .values_list("status", flat=True)) == {PUBLISHED}
    assert GoalSet.objects.get(code="KV1086").curriculum == nat
    assert list(nat.subject_codes.values_list("subject_code", flat=True)) == ["NAT1007"]
    assert CompetenceGoal.objects.get(code="KM13854").title_nn == "ein nyare tekst frå Grep"
    refreshed.refresh_from_db()
    assert refreshed.status != EXPIRED
    assert add_missing(shipped_data()) == {"curricula": 0, "goal_sets": 0, "goals": 0}


def test_the_second_migration_adds_english_vg1_and_naturfag_in_upper_secondary():
    """A bank made before 0005 (0004's subset, or grep_refresh with newer texts) gets the new goal sets only."""
    CompetenceGoal.objects.filter(code__in=NEW_IN_0005).delete()
    GoalSet.objects.filter(code__in=["KV1034", "KV1035", *(set(NAT_VG_SETS) - {"KV1086"})]).delete()
    CompetenceGoal.objects.filter(code="KM13940").update(title_nn="ein nyare tekst frå Grep")
    assert CompetenceGoal.objects.count() == 253 - len(NEW_IN_0005) == 130

    migration = importlib.import_module("curriculum.migrations.0005_shipped_subset_vg1_english_science")
    migration.Migration.operations[0].code(apps, None)  # the RunPython the migration runs

    assert CompetenceGoal.objects.count() == 253
    assert list(GoalSet.objects.get(code="KV1035").goals.order_by("position").values_list("code", flat=True)) == (
        KV1035_GOALS)
    assert GoalSet.objects.get(code="KV1090").level == "vg3"
    assert set(CompetenceGoal.objects.filter(code__in=NEW_IN_0005).values_list("status", flat=True)) == {PUBLISHED}
    assert CompetenceGoal.objects.get(code="KM13940").title_nn == "ein nyare tekst frå Grep"
    assert add_missing(shipped_data()) == {"curricula": 0, "goal_sets": 0, "goals": 0}
