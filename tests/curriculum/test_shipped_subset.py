"""The shipped subset beyond year 10: naturfag in upper secondary (NAT01-05's Vg1 goal sets KV1079-KV1089 and
Vg3 påbygging KV1090), English Vg1 (ENG01-06 KV1034 and KV1035), Norwegian in upper secondary (NOR01-08 KV1111-
KV1115), three vocational programme areas (SSR02-01, Vg2 salg, service og reiseliv; RMF01-03, Vg1 restaurant- og
matfag; FBI01-01, Vg1 frisør, blomster, interiør og eksponeringsdesign), mathematics 1P (MAT08-01 KV31), 1T
(MAT09-02 KV979) and 2P (MAT05-04 KV46), social studies in Vg1/Vg2 (SAK01-01 KV48); the years
before 10 of the five common core subjects of primary and lower secondary, and five more of their subjects
(KHV01-03, KRO01-06, MHE01-03, MUS01-03, RLE01-04); and the data migrations that add them to a database that already
has a goal bank."""

import importlib

import pytest
from django.apps import apps

from curriculum.bank import (EXPIRED, PUBLISHED, add_missing, fill_missing_subject_codes, fill_missing_titles,
                             shipped_data, sync)
from curriculum.models import CompetenceGoal, Curriculum, CurriculumSubject, GoalSet
from curriculum.selectors import curricula_for_subject, search_goals

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
# The goal sets that migration 0006 adds, with their goals in the order of Udir's pages (RMF01-03) and of the
# mirrors' lists (KV46).
KV237_GOALS = [f"KM{n}" for n in (2555, 2573, 2571, 2572, 2570, 2569, 2568, 2567, 2560, 2574, 2565, 2563, 2561, 2566,
                                  2562)]
KV238_GOALS = ["KM2559", "KM2558", "KM2557", "KM2575", "KM2556", "KM2564"]
KV46_GOALS = [f"KM{n}" for n in range(447, 454)]
NEW_IN_0006 = set(KV237_GOALS) | set(KV238_GOALS) | set(KV46_GOALS)
# The goal sets that migration 0007 adds, with their goals in the order of the lists checked against: flight-js/
# studer-v1 (NOR01-08), fredeids-metis/school-data (KV31, KV979) and Udir's English pages (FBI01-01).
NOR_UPPER_SETS = {"KV1111": ("vg2", 13), "KV1112": ("vg2", 9), "KV1113": ("vg1", 13), "KV1114": ("vg3", 10),
                  "KV1115": ("vg3", 19)}
NOR_UPPER_GOALS = {f"KM{n}" for n in range(14202, 14266)}
KV1113_GOALS = [f"KM{n}" for n in (14229, 14230, 14226, 14224, 14227, 14225, 14234, 14232, 14235, 14228, 14233,
                                   14236, 14231)]
KV232_GOALS = [f"KM{n}" for n in (2499, 2519, 2520, 2517, 2518, 2511, 2513, 2514, 2512, 2516, 2515)]
KV233_GOALS = [f"KM{n}" for n in (2510, 2508, 2506, 2507, 2505, 2504, 2503, 2502, 2501, 2500, 2509, 2521)]
KV31_GOALS = [f"KM{n}" for n in (325, 328, 330, 329, 335, 324, 323, 326, 322, 321, 372, 373)]
KV979_GOALS = [f"KM{n}" for n in (12756, 12764, 12762, 12755, 12763, 12759, 12757, 12760, 12768, 12758, 12761,
                                  12765, 12766, 12767)]
NEW_IN_0007 = NOR_UPPER_GOALS | set(KV232_GOALS) | set(KV233_GOALS) | set(KV31_GOALS) | set(KV979_GOALS)
# The goal set that migration 0008 adds, with its goals in the order of the lists checked against (fredeids-metis/
# school-data in bokmål, flight-js/studer-v1 in nynorsk).
KV48_GOALS = [f"KM{n}" for n in (464, 476, 466, 469, 468, 474, 467, 465, 475, 473, 470, 471, 472, 477, 478, 479)]
NEW_IN_0008 = set(KV48_GOALS)
# The goal sets that migration 0009 adds: the years before 10 of the five common core subjects of primary and lower
# secondary, and five more subjects of theirs after every year Grep sets goals for (level, number of goals).
EARLIER_YEARS = {
    **{f"KV{1019 + year}": (f"aarstrinn{year}", count)
       for year, count in zip(range(2, 10), (15, 12, 10, 10, 11, 11, 10, 11))},  # MAT01-06 KV1021-KV1028
    "KV1107": ("aarstrinn2", 14), "KV1108": ("aarstrinn4", 16), "KV1109": ("aarstrinn7", 17),  # NOR01-08
    "KV1030": ("aarstrinn2", 11), "KV1031": ("aarstrinn4", 15), "KV1032": ("aarstrinn7", 16),  # ENG01-06
    "KV1075": ("aarstrinn2", 10), "KV1076": ("aarstrinn4", 17), "KV1077": ("aarstrinn7", 21),  # NAT01-05
    "KV1152": ("aarstrinn2", 13), "KV1149": ("aarstrinn4", 13), "KV1150": ("aarstrinn7", 17),  # SAF01-05
}
EARLIER_CURRICULA = {"MAT01-06": range(1021, 1029), "NOR01-08": range(1107, 1110), "ENG01-06": range(1030, 1033),
                     "NAT01-05": range(1075, 1078), "SAF01-05": (1152, 1149, 1150)}
MORE_SUBJECTS = {
    "KHV01-03": {"KV1042": ("aarstrinn2", 9), "KV1043": ("aarstrinn4", 10), "KV1044": ("aarstrinn7", 12),
                 "KV1045": ("aarstrinn10", 10)},
    "KRO01-06": {"KV1046": ("aarstrinn2", 10), "KV1047": ("aarstrinn4", 10), "KV1048": ("aarstrinn7", 11),
                 "KV1049": ("aarstrinn10", 13)},
    "MHE01-03": {"KV1053": ("aarstrinn4", 9), "KV1054": ("aarstrinn7", 10), "KV1055": ("aarstrinn10", 8)},
    "MUS01-03": {"KV1063": ("aarstrinn2", 4), "KV1064": ("aarstrinn4", 5), "KV1065": ("aarstrinn7", 9),
                 "KV1066": ("aarstrinn10", 10)},
    "RLE01-04": {"KV1143": ("aarstrinn4", 13), "KV1144": ("aarstrinn7", 13), "KV1145": ("aarstrinn10", 15)},
}
TOTAL = 861
# Every goal set the subset ships, with its curriculum, level and number of goals: each is whole as far as its
# sources show (see the file's `source` entries). A set that cannot be had whole is not shipped at all.
SHIPPED_SETS = {
    "KV1029": ("MAT01-06", "aarstrinn10", 11), "KV1110": ("NOR01-08", "aarstrinn10", 16),
    "KV1033": ("ENG01-06", "aarstrinn10", 19), "KV1034": ("ENG01-06", "vg1", 17), "KV1035": ("ENG01-06", "vg1", 17),
    "KV1078": ("NAT01-05", "aarstrinn10", 22), "KV1079": ("NAT01-05", "vg1", 16),
    **{f"KV{n}": ("NAT01-05", "vg1", 7) for n in range(1080, 1090)}, "KV1090": ("NAT01-05", "vg3", 10),
    "KV1151": ("SAF01-05", "aarstrinn10", 19),
    "KV1011": ("SSR02-01", "vg2", 12), "KV1012": ("SSR02-01", "vg2", 14), "KV1013": ("SSR02-01", "vg2", 10),
    "KV237": ("RMF01-03", "vg1", 15), "KV238": ("RMF01-03", "vg1", 6), "KV46": ("MAT05-04", "vg2", 7),
    **{code: ("NOR01-08", level, count) for code, (level, count) in NOR_UPPER_SETS.items()},
    "KV232": ("FBI01-01", "vg1", 11), "KV233": ("FBI01-01", "vg1", 12),
    "KV31": ("MAT08-01", "vg1", 12), "KV979": ("MAT09-02", "vg1", 14),
    "KV48": ("SAK01-01", "vg1/vg2", 16),
    **{f"KV{n}": (curriculum, *EARLIER_YEARS[f"KV{n}"]) for curriculum, numbers in EARLIER_CURRICULA.items()
       for n in numbers},
    **{code: (curriculum, level, count) for curriculum, sets in MORE_SUBJECTS.items()
       for code, (level, count) in sets.items()},
}


def codes(goals):
    return {goal.code for goal in goals}


def test_an_upper_secondary_goal_set_is_in_the_bank():
    goal_set = GoalSet.objects.get(code="KV1086")
    assert (goal_set.curriculum.code, goal_set.level) == ("NAT01-05", "vg1")
    assert goal_set.title_nb == "Kompetansemål og vurdering vg1 håndverk, design og produktutvikling"
    assert goal_codes(goal_set.code) == KV1086_GOALS
    found = search_goals(query="livsløpet produkter", curriculum=Curriculum.objects.get(code="NAT01-05"), language="nb")
    assert codes(found) == {"KM13940", "KM13960"}  # KV1086 and KV1089 share the goal
    assert [goal.goal_set.code for goal in found] == ["KV1086", "KV1089"]
    assert found[0].title == "undersøke og vurdere livsløpet til ulike produkter i et bærekraftsperspektiv"


def test_naturfag_in_upper_secondary_is_in_the_bank():
    nat = Curriculum.objects.get(code="NAT01-05")
    sets = {goal_set.code: goal_set for goal_set in nat.goal_sets.all()}
    assert {code: (s.level, s.goals.count()) for code, s in sets.items() if s.level.startswith("vg")} == NAT_VG_SETS
    assert sets["KV1082"].title_nb == "Kompetansemål og vurdering vg1 helse- og oppvekstfag"
    assert sets["KV1090"].title_nb == "Kompetansemål og vurdering vg3 påbygging til generell studiekompetanse"
    assert goal_codes(sets["KV1081"].code) == [
        "KM13899", "KM13900", "KM13903", "KM13901", "KM13902", "KM13904", "KM13905"]
    assert codes(search_goals(query="", curriculum=nat, language="nb", limit=200)) == (
        NAT_VG_GOALS | set(nat.goals.filter(goal_set__level__startswith="aarstrinn").values_list("code", flat=True)))
    assert codes(search_goals(query="mattrygghet", curriculum=nat, language="nb")) == {"KM13926"}
    assert codes(search_goals(query="vekselstrømteknologi", curriculum=nat, language="en")) == {"KM13905"}
    assert codes(search_goals(query="KM13889", curriculum=None, language="nb")) == {"KM13889"}
    assert codes(search_goals(query="km13966", curriculum=nat, language="nn")) == {"KM13966"}


def test_english_vg1_is_in_the_bank():
    eng = Curriculum.objects.get(code="ENG01-06")
    assert set(eng.goal_sets.values_list("code", "level")) == {
        ("KV1030", "aarstrinn2"), ("KV1031", "aarstrinn4"), ("KV1032", "aarstrinn7"),
        ("KV1033", "aarstrinn10"), ("KV1034", "vg1"), ("KV1035", "vg1")}
    vocational, academic = GoalSet.objects.get(code="KV1034"), GoalSet.objects.get(code="KV1035")
    assert vocational.title_nb == "Kompetansemål og vurdering Vg1 yrkesfaglige utdanningsprogram"
    assert academic.title_nb == "Kompetansemål og vurdering Vg1 studieforberedende utdanningsprogram"
    assert goal_codes(vocational.code) == KV1034_GOALS
    assert goal_codes(academic.code) == KV1035_GOALS
    assert codes(search_goals(query="arbeidsspråk", curriculum=None, language="nb")) == {"KM13402"}
    assert codes(search_goals(query="verdensspråk", curriculum=eng, language="en")) == {"KM13420"}
    assert codes(search_goals(query="skjønnlitteratur", curriculum=eng, language="nb")) == {"KM13378", "KM13414"}
    assert codes(search_goals(query="km13396", curriculum=None, language="nb")) == {"KM13396"}
    found = search_goals(query="", curriculum=eng, language="nb", limit=100)
    assert len(found) == 11 + 15 + 16 + 19 + 17 + 17 and codes(found) >= set(KV1034_GOALS) | set(KV1035_GOALS)


def test_a_vocational_programme_area_is_in_the_bank():
    ssr = Curriculum.objects.get(code="SSR02-01")
    assert ssr.title_nb == "Læreplan i vg2 salg, service og reiseliv" and ssr.status == PUBLISHED
    assert set(ssr.goal_sets.values_list("code", "level")) == {("KV1011", "vg2"), ("KV1012", "vg2"), ("KV1013", "vg2")}
    assert codes(search_goals(query="", curriculum=ssr, language="nb", limit=50)) == SSR_GOALS
    assert codes(search_goals(query="beredskapsplan", curriculum=None, language="nb")) == {"KM13086"}
    assert codes(search_goals(query="km13073", curriculum=None, language="nb")) == {"KM13073"}


def assert_vg1_curriculum(code: str, title: str, goal_sets: dict[str, tuple[str, list[str]]]) -> Curriculum:
    """A shipped Vg1 curriculum: its title, published, and exactly `goal_sets` (code → title, goals in order),
    every goal of them found by the search filtered to it."""
    curriculum = Curriculum.objects.get(code=code)
    assert (curriculum.title_nb, curriculum.status) == (title, PUBLISHED)
    assert set(curriculum.goal_sets.values_list("code", "level", "title_nb")) == {
        (set_code, "vg1", set_title) for set_code, (set_title, _) in goal_sets.items()}
    for set_code, (_, goals) in goal_sets.items():
        assert goal_codes(set_code) == goals
    every_goal = {goal for _, goals in goal_sets.values() for goal in goals}
    assert codes(search_goals(query="", curriculum=curriculum, language="nb", limit=50)) == every_goal
    return curriculum


def test_a_second_vocational_programme_area_is_in_the_bank():
    rmf = assert_vg1_curriculum("RMF01-03", "Læreplan i vg1 restaurant- og matfag", {
        "KV237": ("Kompetansemål og vurdering råvare, produksjon og kvalitet", KV237_GOALS),
        "KV238": ("Kompetansemål og vurdering bransje og arbeidsliv", KV238_GOALS)})
    assert codes(search_goals(query="førstehjelp", curriculum=rmf, language="nb")) == {"KM2556"}
    assert codes(search_goals(query="mattrygghet", curriculum=None, language="en")) == {"KM13926", "KM2572"}


def test_mathematics_2p_is_in_the_bank():
    goal_set = GoalSet.objects.get(code="KV46")
    assert (goal_set.curriculum.code, goal_set.curriculum.title_nb, goal_set.level) == (
        "MAT05-04", "Læreplan i matematikk fellesfag 2P", "vg2")
    assert goal_codes(goal_set.code) == KV46_GOALS
    assert codes(search_goals(query="prisindeks", curriculum=None, language="nb")) == {"KM448"}
    assert goal_set.goals.get(code="KM452").title_in("nn") == (
        "bruke og vurdere val av formålstenlege sentralmål og spreiingsmål for statistisk datamateriale")


def test_norwegian_in_upper_secondary_is_in_the_bank():
    nor = Curriculum.objects.get(code="NOR01-08")
    assert nor.title_nn == "Læreplan i norsk" and nor.title_en == "Curriculum for Norwegian"  # 0002's, unchanged
    sets = {goal_set.code: goal_set for goal_set in nor.goal_sets.all()}
    assert {code: (s.level, s.goals.count()) for code, s in sets.items() if s.level.startswith("vg")} == NOR_UPPER_SETS
    assert sets["KV1113"].title_nb == "Kompetansemål og vurdering vg1 studieforberedende utdanningsprogram"
    assert sets["KV1115"].title_nb == "Kompetansemål og vurdering vg3 påbygging til generell studiekompetanse"
    assert goal_codes(sets["KV1113"].code) == KV1113_GOALS
    found = search_goals(query="setningsoppbygningen", curriculum=nor, language="nb")
    assert codes(found) == {"KM14232"} and found[0].goal_set.code == "KV1113"
    assert found[0].title == (
        "bruke fagspråk til å beskrive setningsoppbygningen og sammenhengen mellom setninger i arbeid med tekster")
    assert codes(search_goals(query="fornorskingspolitikken", curriculum=nor, language="nn")) == {
        "KM14206", "KM14231"}  # Vg2 yrkesfaglige and Vg1 studieforberedende share the goal
    assert codes(search_goals(query="", curriculum=nor, language="nb", limit=200)) == NOR_UPPER_GOALS | set(
        nor.goals.filter(goal_set__level__startswith="aarstrinn").values_list("code", flat=True))


def test_mathematics_1p_and_1t_are_in_the_bank():
    p, t = GoalSet.objects.get(code="KV31"), GoalSet.objects.get(code="KV979")
    assert (p.curriculum.code, p.curriculum.title_nb, p.level, p.title_nb) == (
        "MAT08-01", "Læreplan i matematikk fellesfag vg1 praktisk (matematikk P)", "vg1",
        "Kompetansemål og vurdering matematikk 1P")
    assert (t.curriculum.code, t.curriculum.title_nb, t.level) == (
        "MAT09-02", "Læreplan i matematikk fellesfag vg1 teoretisk (matematikk T)", "vg1")
    assert str(p.curriculum.valid_from) == "2020-08-01" and str(t.curriculum.valid_from) == "2026-08-01"
    assert goal_codes(p.code) == KV31_GOALS
    assert goal_codes(t.code) == KV979_GOALS
    found = search_goals(query="promille", curriculum=p.curriculum, language="nb")
    assert codes(found) == {"KM324"} and found[0].goal_set.code == "KV31"
    assert found[0].title == (
        "bruke prosent, prosentpoeng, promille og vekstfaktor i utregninger og presentere og begrunne løsninger")
    assert search_goals(query="promille", curriculum=t.curriculum, language="nb") == []
    assert codes(search_goals(query="polynomdivisjon", curriculum=t.curriculum, language="en")) == {"KM12761"}
    assert codes(search_goals(query="kvadratsetningene", curriculum=None, language="nb")) == {"KM12759", "KM13318"}


def test_a_third_vocational_programme_area_is_in_the_bank():
    fbi = assert_vg1_curriculum("FBI01-01", "Læreplan i vg1 frisør, blomster, interiør og eksponeringsdesign", {
        "KV232": ("Kompetansemål og vurdering produktutvikling og produksjon", KV232_GOALS),
        "KV233": ("Kompetansemål og vurdering kommunikasjon, kunde og arbeidsliv", KV233_GOALS)})
    assert codes(search_goals(query="fargelære", curriculum=fbi, language="nb")) == {"KM2517"}


def test_social_studies_in_upper_secondary_is_in_the_bank():
    sak = Curriculum.objects.get(code="SAK01-01")
    assert (sak.title_nb, sak.status, str(sak.valid_from), sak.valid_to) == (
        "Læreplan i samfunnskunnskap fellesfag vg1/vg2", PUBLISHED, "2020-08-01", None)
    assert set(sak.goal_sets.values_list("code", "level", "title_nb")) == {
        ("KV48", "vg1/vg2", "Kompetansemål og vurdering")}
    goal_set = GoalSet.objects.get(code="KV48")
    assert goal_codes(goal_set.code) == KV48_GOALS
    assert codes(search_goals(query="", curriculum=sak, language="nb", limit=50)) == set(KV48_GOALS)
    found = search_goals(query="ytringsfriheten", curriculum=None, language="nb")
    assert codes(found) == {"KM477"} and found[0].goal_set.code == "KV48"
    assert found[0].title == ("vurdere årsaker til og tiltak som kan forebygge rasisme, diskriminering og hatefulle "
                              "ytringer, og drøfte grensene for ytringsfriheten")
    assert codes(search_goals(query="Sáepmie", curriculum=sak, language="en")) == {"KM465"}
    assert codes(search_goals(query="km472", curriculum=None, language="nn")) == {"KM472"}


def test_goals_without_nynorsk_or_english_show_the_bokmål_text():
    goal = CompetenceGoal.objects.get(code="KM13086")
    assert (goal.title_nn, goal.title_en) == ("", "")
    assert goal.title_in("nn") == goal.title_in("en") == "utforske, forklare og bruke en beredskapsplan"
    assert codes(search_goals(query="beredskapsplan", curriculum=None, language="en")) == {"KM13086"}


def test_every_shipped_goal_set_is_whole():
    found = {goal_set.code: (goal_set.curriculum.code, goal_set.level, goal_set.goals.count())
             for goal_set in GoalSet.objects.select_related("curriculum")}
    assert found == SHIPPED_SETS
    assert sum(count for _, _, count in SHIPPED_SETS.values()) == CompetenceGoal.objects.count() == TOTAL
    assert set(CompetenceGoal.objects.values_list("status", flat=True)) == {PUBLISHED}
    assert not CompetenceGoal.objects.filter(title_nb="").exists()
    assert all(code.startswith("KM") for code in CompetenceGoal.objects.values_list("code", flat=True))


def test_syncing_the_shipped_subset_again_changes_nothing():
    counts = sync(shipped_data())
    assert counts == {"created": 0, "changed": 0, "unchanged": TOTAL, "expired": 0}


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

    assert CompetenceGoal.objects.count() == TOTAL + 1
    assert set(CompetenceGoal.objects.filter(code__in=SSR_GOALS | set(KV1086_GOALS))
               .values_list("status", flat=True)) == {PUBLISHED}
    assert GoalSet.objects.get(code="KV1086").curriculum == nat
    assert list(nat.subject_codes.values_list("subject_code", flat=True)) == ["NAT1007"]
    assert CompetenceGoal.objects.get(code="KM13854").title_nn == "ein nyare tekst frå Grep"
    refreshed.refresh_from_db()
    assert refreshed.status != EXPIRED
    assert add_missing(shipped_data()) == {"curricula": 0, "goal_sets": 0, "goals": 0}


NEWER = "ein nyare tekst frå Grep"


def migrate_a_bank_without(migration: str, *, goals, goal_sets, curricula=(), kept: str) -> None:
    """A bank made before `migration` (the subset before it, or grep_refresh with newer texts): it lacks the
    `goals`, `goal_sets` and `curricula` the migration adds, and the goal `kept` has a newer nynorsk text. Runs
    the migration's RunPython and checks what every later migration must do: add exactly what is missing,
    published, and change nothing else."""
    CompetenceGoal.objects.filter(code__in=goals).delete()
    GoalSet.objects.filter(code__in=goal_sets).delete()
    Curriculum.objects.filter(code__in=curricula).delete()
    CompetenceGoal.objects.filter(code=kept).update(title_nn=NEWER)
    assert CompetenceGoal.objects.count() == TOTAL - len(goals)

    importlib.import_module(f"curriculum.migrations.{migration}").Migration.operations[0].code(apps, None)

    assert CompetenceGoal.objects.count() == TOTAL
    assert set(CompetenceGoal.objects.filter(code__in=goals).values_list("status", flat=True)) == {PUBLISHED}
    assert CompetenceGoal.objects.get(code=kept).title_nn == NEWER
    assert add_missing(shipped_data()) == {"curricula": 0, "goal_sets": 0, "goals": 0}


def goal_codes(goal_set: str) -> list[str]:
    return list(GoalSet.objects.get(code=goal_set).goals.order_by("position").values_list("code", flat=True))


def test_the_second_migration_adds_english_vg1_and_naturfag_in_upper_secondary():
    migrate_a_bank_without("0005_shipped_subset_vg1_english_science", goals=NEW_IN_0005,
                           goal_sets=["KV1034", "KV1035", *(set(NAT_VG_SETS) - {"KV1086"})], kept="KM13940")
    assert goal_codes("KV1035") == KV1035_GOALS
    assert GoalSet.objects.get(code="KV1090").level == "vg3"


def test_the_third_migration_adds_the_second_vocational_programme_area_and_2p():
    migrate_a_bank_without("0006_shipped_subset_rmf_2p", goals=NEW_IN_0006, goal_sets=["KV237", "KV238", "KV46"],
                           curricula=["RMF01-03", "MAT05-04"], kept="KM13086")
    assert goal_codes("KV238") == KV238_GOALS
    assert GoalSet.objects.get(code="KV46").curriculum.code == "MAT05-04"


def test_the_fourth_migration_adds_norwegian_in_upper_secondary_fbi_1p_and_1t():
    """NOR01-08 itself, which 0002 made, keeps its row (and its newer title)."""
    Curriculum.objects.filter(code="NOR01-08").update(title_nn="ein nyare tittel frå Grep")
    migrate_a_bank_without("0007_shipped_subset_nor_fbi_1p_1t", goals=NEW_IN_0007,
                           goal_sets=[*NOR_UPPER_SETS, "KV232", "KV233", "KV31", "KV979"],
                           curricula=["FBI01-01", "MAT08-01", "MAT09-02"], kept="KM14191")
    assert goal_codes("KV1113") == KV1113_GOALS and goal_codes("KV979") == KV979_GOALS
    assert GoalSet.objects.get(code="KV1115").curriculum.title_nn == "ein nyare tittel frå Grep"
    assert GoalSet.objects.get(code="KV233").curriculum.code == "FBI01-01"


def test_the_fifth_migration_adds_social_studies_in_upper_secondary():
    migrate_a_bank_without("0008_shipped_subset_sak", goals=NEW_IN_0008, goal_sets=["KV48"], curricula=["SAK01-01"],
                           kept="KM14708")
    assert goal_codes("KV48") == KV48_GOALS
    assert GoalSet.objects.get(code="KV48").curriculum.title_nb == "Læreplan i samfunnskunnskap fellesfag vg1/vg2"



def test_the_earlier_years_of_the_common_core_subjects_are_in_the_bank():
    for curriculum, numbers in EARLIER_CURRICULA.items():
        found = {s.code: (s.level, s.goals.count()) for s in GoalSet.objects.filter(curriculum__code=curriculum)}
        assert {f"KV{n}": found[f"KV{n}"] for n in numbers} == {f"KV{n}": EARLIER_YEARS[f"KV{n}"] for n in numbers}
    goal = CompetenceGoal.objects.select_related("goal_set").get(code="KM14175")
    assert (goal.goal_set.code, goal.goal_set.title_nb) == ("KV1109", "Kompetansemål og vurdering 7. trinn")
    assert goal.title_nb == "prøve ut skriving av tekster på sidemål"
    assert GoalSet.objects.get(code="KV1076").level == "aarstrinn4"  # its title's year (the mirror says 5)
    maths = Curriculum.objects.get(code="MAT01-06")
    year_3 = set(GoalSet.objects.get(code="KV1022").goals.values_list("code", flat=True))
    assert codes(search_goals(query="", curriculum=maths, level="aarstrinn3", language="nb", limit=50)) == year_3


def test_more_subjects_of_primary_and_lower_secondary_are_in_the_bank():
    for curriculum, sets in MORE_SUBJECTS.items():
        found = Curriculum.objects.get(code=curriculum)
        assert (found.status, str(found.valid_from), found.valid_to) == (PUBLISHED, "2026-08-01", None)
        assert {s.code: (s.level, s.goals.count()) for s in found.goal_sets.all()} == sets
    assert Curriculum.objects.get(code="KRO01-06").titles == {
        "nb": "Læreplan i kroppsøving", "nn": "Læreplan i kroppsøving", "en": "Curriculum in Physical education"}
    found = search_goals(query="trygg ferdsel vann", curriculum=None, language="nb")
    assert codes(found) == {"KM13565"} and found[0].title_in("nn") == (
        "øve på trygg ferdsel ved vatn og på å kunne tilkalle hjelp")
    assert codes(search_goals(query="safe behaviour water", curriculum=None, language="en")) == {"KM13565"}


def test_krle_has_no_english_and_shows_the_bokmål_text():
    goal = CompetenceGoal.objects.get(code="KM14617")
    assert goal.title_en == "" and goal.title_in("en") == goal.title_nb == (
        "sammenligne og vurdere kritisk ulike kilder til kunnskap om religioner og livssyn")
    assert codes(search_goals(query="vurdere kritisk kilder livssyn", curriculum=None, language="en")) == {"KM14617"}


def test_the_sixth_migration_adds_the_earlier_years_and_five_more_subjects():
    earlier = [f"KV{n}" for numbers in EARLIER_CURRICULA.values() for n in numbers]
    more = [code for sets in MORE_SUBJECTS.values() for code in sets]
    goals = set(CompetenceGoal.objects.filter(goal_set__code__in=earlier + more).values_list("code", flat=True))
    assert len(goals) == TOTAL - 410
    Curriculum.objects.filter(code="MAT01-06").update(title_nn="ein nyare tittel frå Grep")
    migrate_a_bank_without("0009_shipped_subset_all_years", goals=goals, goal_sets=earlier + more,
                           curricula=list(MORE_SUBJECTS), kept="KM13328")
    assert GoalSet.objects.get(code="KV1021").curriculum.title_nn == "ein nyare tittel frå Grep"
    assert goal_codes("KV1143")[:3] == ["KM14586", "KM14597", "KM14598"]  # the mirror's order, not the codes'


NYNORSK_SETS = {"KV31": 12, "KV979": 14, "KV46": 7, "KV48": 16}


def test_mathematics_and_social_studies_in_upper_secondary_have_nynorsk_texts():
    for code, count in NYNORSK_SETS.items():
        goals = GoalSet.objects.get(code=code).goals.all()
        assert len(goals) == count and all(goal.title_nn and goal.title_nn != goal.title_nb for goal in goals)
    assert CompetenceGoal.objects.get(code="KM324").title_nn == (
        "bruke prosent, prosentpoeng, promille og vekstfaktor i utrekningar og presentere og grunngi løysingar")
    assert CompetenceGoal.objects.get(code="KM12766").title_nn == "grunngi sinus-, cosinus- og arealsetninga"
    assert codes(search_goals(query="ytringsfridommen", curriculum=None, language="nn")) == {"KM477"}
    assert search_goals(query="ytringsfridommen", curriculum=None, language="nb") == []


def test_the_seventh_migration_gives_a_bank_the_nynorsk_texts_it_lacks():
    goals = CompetenceGoal.objects.filter(goal_set__code__in=NYNORSK_SETS)
    for goal in goals:
        goal.title_nn = ""
        for name, value in goal.search_texts().items():
            setattr(goal, name, value)
        goal.save()
    CompetenceGoal.objects.filter(code="KM324").update(title_nn=NEWER)  # grep_refresh's newer text stays
    assert search_goals(query="ytringsfridommen", curriculum=None, language="nn") == []

    migration = importlib.import_module("curriculum.migrations.0010_shipped_subset_nynorsk_upper_secondary")
    migration.Migration.operations[0].code(apps, None)

    assert CompetenceGoal.objects.get(code="KM324").title_nn == NEWER
    assert not goals.filter(title_nn="").exists()
    assert codes(search_goals(query="ytringsfridommen", curriculum=None, language="nn")) == {"KM477"}
    assert fill_missing_titles(shipped_data()) == 0
    assert sync(shipped_data()) == {"created": 0, "changed": 1, "unchanged": TOTAL - 1, "expired": 0}  # KM324


SHIPPED_SUBJECT_CODES = {"MAT08-01": ["MAT1019"], "MAT05-04": ["MAT1023"], "SAK01-01": ["SAK1001"]}


def test_three_subject_codes_name_their_curricula():
    linked = {}
    for curriculum, subject_code in CurriculumSubject.objects.values_list("curriculum__code", "subject_code"):
        linked.setdefault(curriculum, []).append(subject_code)
    assert linked == SHIPPED_SUBJECT_CODES
    assert [c.code for c in curricula_for_subject("MAT1019")] == ["MAT08-01"]
    assert list(curricula_for_subject("MAT1021")) == []  # 1T: Grep's link names MAT09-01, which is not shipped


def test_the_eighth_migration_links_the_subject_codes_a_bank_lacks():
    CurriculumSubject.objects.all().delete()
    sak = Curriculum.objects.get(code="SAK01-01")
    CurriculumSubject.objects.create(curriculum=sak, subject_code="SAK1002")  # grep_refresh's own link stays

    migration = importlib.import_module("curriculum.migrations.0011_shipped_subset_subject_codes")
    migration.Migration.operations[0].code(apps, None)

    assert sorted(CurriculumSubject.objects.values_list("curriculum__code", "subject_code")) == [
        ("MAT05-04", "MAT1023"), ("MAT08-01", "MAT1019"), ("SAK01-01", "SAK1002")]
    assert fill_missing_subject_codes(shipped_data()) == 0
