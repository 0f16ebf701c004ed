"""The goal bank as shipped, and searching it by curriculum, words and language."""

import pytest

from curriculum.bank import EXPIRED, shipped_data
from curriculum.models import CompetenceGoal, Curriculum
from curriculum.selectors import curricula_for_subject, search_goals

pytestmark = pytest.mark.django_db


def codes(goals):
    return {goal.code for goal in goals}


def curriculum(code):
    return Curriculum.objects.get(code=code)


def test_every_database_has_the_shipped_subset():
    shipped = shipped_data()
    assert set(Curriculum.objects.values_list("code", flat=True)) == set(shipped.curricula)
    assert CompetenceGoal.objects.count() == len(shipped.goals) == 861
    goal = CompetenceGoal.objects.select_related("curriculum", "goal_set").get(code="KM13328")
    assert (goal.curriculum.code, goal.goal_set.code, goal.goal_set.level) == ("MAT01-06", "KV1029", "aarstrinn10")
    assert goal.title_nb == "bruke regneregler og generalisere sammenhenger algebraisk"
    assert goal.title_nn == "bruke reknereglar og generalisere samanhengar algebraisk"
    assert goal.title_en == "use the order of operations and generalise relationships algebraically"


def test_search_within_a_curriculum_lists_its_goals_only():
    found = search_goals(query="", curriculum=curriculum("NAT01-05"), language="nb", limit=200)
    assert len(found) == 166 and {goal.curriculum.code for goal in found} == {"NAT01-05"}  # years 2-10, Vg1, Vg3


def test_every_word_must_match_in_any_case():
    found = search_goals(query="KILDER Kritisk", curriculum=None, language="nb")
    assert codes(found) == {"KM14190", "KM14209", "KM14227", "KM14245", "KM14262",  # norsk: year 10, Vg1-Vg3
                            "KM13381", "KM13397", "KM13399", "KM13415", "KM13417",  # engelsk
                            "KM14617"}  # KRLE, year 10
    assert codes(search_goals(query="kilder kritisk", curriculum=curriculum("ENG01-06"), language="nb")) == {
        "KM13381", "KM13397", "KM13399", "KM13415", "KM13417"}  # year 10, Vg1 yrkesfag and Vg1 studieforberedende
    assert search_goals(query="kilder kvadratsetningene", curriculum=None, language="nb") == []


def test_letters_beyond_ascii_match_in_any_case():
    assert codes(search_goals(query="BÆREKRAFTIG", curriculum=curriculum("SAF01-05"), language="nb")) == {
        "KM14679", "KM14692", "KM14708"}  # after years 4, 7 and 10


def test_search_uses_the_users_language():
    saf = curriculum("SAF01-05")
    assert codes(search_goals(query="berekraftige", curriculum=saf, language="nn")) == {"KM14708"}
    assert search_goals(query="berekraftige", curriculum=saf, language="nb") == []
    assert codes(search_goals(query="sustainable", curriculum=saf, language="en")) == {"KM14708"}


def test_a_goal_without_a_text_in_the_language_falls_back():
    goal = CompetenceGoal.objects.get(code="KM13327")
    goal.title_en = ""
    for name, value in goal.search_texts().items():
        setattr(goal, name, value)
    goal.save()
    assert codes(search_goals(query="tekstbasert", curriculum=None, language="en")) == {"KM13327"}
    assert goal.title_in("en") == goal.title_nb


def test_a_code_finds_its_goal():
    assert codes(search_goals(query="km13328", curriculum=None, language="en")) == {"KM13328"}


def test_no_words_and_no_curriculum_find_nothing():
    assert search_goals(query="   ", curriculum=None, language="nb") == []


def test_expired_goals_are_not_offered():
    CompetenceGoal.objects.filter(code="KM13328").update(status=EXPIRED)
    assert search_goals(query="KM13328", curriculum=None, language="nb") == []


def test_the_number_of_hits_is_capped():
    assert len(search_goals(query="", curriculum=curriculum("NAT01-05"), language="nb", limit=5)) == 5


def test_a_subject_code_finds_its_curricula_through_the_bank():
    nor = curriculum("NOR01-08")
    nor.subject_codes.create(subject_code="NOR0214")
    assert list(curricula_for_subject("NOR0214")) == [nor]
    assert not curricula_for_subject("MAT0010").exists()  # no curriculum names it


def test_a_level_narrows_the_search_to_its_goal_sets():
    nor = curriculum("NOR01-08")
    vg1 = set(nor.goals.filter(goal_set__level="vg1").values_list("code", flat=True))
    assert len(vg1) == 13
    assert codes(search_goals(query="", curriculum=nor, level="vg1", language="nb", limit=200)) == vg1
    assert codes(search_goals(query="kilder kritisk", curriculum=None, level="aarstrinn10", language="nb")) == {
        "KM14190", "KM13381", "KM14617"}  # norsk, engelsk and KRLE after year 10; not the Vg goals


def test_a_goal_set_for_two_levels_is_found_at_each():
    sak = curriculum("SAK01-01")  # KV48: one goal set for Vg1 and Vg2 ("vg1/vg2")
    assert len(search_goals(query="", curriculum=sak, level="vg1", language="nb", limit=50)) == 16
    assert len(search_goals(query="", curriculum=sak, level="vg2", language="nb", limit=50)) == 16
    assert search_goals(query="", curriculum=sak, level="vg3", language="nb") == []


def test_year_one_is_not_year_ten():
    assert search_goals(query="", curriculum=curriculum("SAF01-05"), level="aarstrinn1", language="nb") == []


def test_hits_come_in_the_order_of_their_levels():
    found = search_goals(query="", curriculum=curriculum("SAF01-05"), language="nb", limit=100)
    sets = list(dict.fromkeys(goal.goal_set.code for goal in found))
    assert sets == ["KV1152", "KV1149", "KV1150", "KV1151"]  # after years 2, 4, 7 and 10 (KV1152 is year 2)
    found = search_goals(query="", curriculum=curriculum("NOR01-08"), language="nb", limit=200)
    assert [goal.goal_set.level for goal in found][-1] == "vg3" and found[0].goal_set.level == "aarstrinn2"
