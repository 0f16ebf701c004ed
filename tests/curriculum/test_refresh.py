"""manage.py grep_refresh: loading a Grep dump (tests/curriculum/grep_dump, Grep's own shape) into the bank."""

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from curriculum.bank import EXPIRED, PUBLISHED
from curriculum.grep import read_dump, status, titles
from curriculum.models import CompetenceGoal, Curriculum, CurriculumSubject, GoalSet
from curriculum.services import bank_refresh

pytestmark = pytest.mark.django_db

DUMP = Path(__file__).resolve().parent / "grep_dump"
DUMP_GOALS = {"KM14193", "KM14191", "KM14196"}


def empty_bank():
    CompetenceGoal.objects.all().delete()
    GoalSet.objects.all().delete()
    Curriculum.objects.all().delete()


def copy_of_dump(tmp_path) -> Path:
    return Path(shutil.copytree(DUMP, tmp_path / "dump"))


def test_a_refresh_into_an_empty_bank_creates_what_the_dump_holds():
    empty_bank()
    counts = bank_refresh(path=DUMP)
    assert counts == {"curricula": 1, "goal_sets": 1, "created": 3, "changed": 0, "unchanged": 0, "expired": 0}
    goal = CompetenceGoal.objects.select_related("curriculum", "goal_set").get(code="KM14196")
    assert (goal.curriculum.code, goal.goal_set.code, goal.goal_set.level, goal.status) == (
        "NOR01-08", "KV1110", "aarstrinn10", PUBLISHED)
    assert goal.title_nn.startswith("utforske språkleg variasjon") and goal.title_en.startswith("explore linguistic")
    assert goal.url_data == "https://data.udir.no/kl06/v201906/kompetansemaal-lk20/KM14196"
    assert [g.code for g in goal.goal_set.goals.order_by("position")] == ["KM14193", "KM14191", "KM14196"]
    assert str(Curriculum.objects.get().valid_from) == "2026-08-01"
    assert list(CurriculumSubject.objects.values_list("subject_code", flat=True)) == ["NOR0214"]


def test_a_second_refresh_with_the_same_dump_changes_nothing():
    call_command("grep_refresh", str(DUMP), stdout=open("/dev/null", "w"))
    before = list(CompetenceGoal.objects.order_by("code").values())
    counts = bank_refresh(path=DUMP)
    assert (counts["created"], counts["changed"], counts["expired"], counts["unchanged"]) == (0, 0, 0, 3)
    assert list(CompetenceGoal.objects.order_by("code").values()) == before


def test_a_changed_text_is_updated_and_searchable(tmp_path):
    dump = copy_of_dump(tmp_path)
    path = dump / "kompetansemaal-lk20" / "KM14193.json"
    element = json.loads(path.read_text(encoding="utf-8"))
    element["tittel"]["tekst"][1]["verdi"] = "lese skjønnlitteratur og sakprosa (endret i testen)"
    path.write_text(json.dumps(element), encoding="utf-8")
    bank_refresh(path=DUMP)
    counts = bank_refresh(path=dump)
    assert (counts["changed"], counts["unchanged"]) == (1, 2)
    goal = CompetenceGoal.objects.get(code="KM14193")
    assert goal.title_nb == "lese skjønnlitteratur og sakprosa (endret i testen)"
    assert "endret i testen" in goal.search_nb and "endret" not in goal.search_nn


def test_goals_gone_from_the_dump_are_expired_not_deleted():
    shipped = CompetenceGoal.objects.count()
    counts = bank_refresh(path=DUMP)
    assert counts["expired"] == shipped - len(DUMP_GOALS)
    assert CompetenceGoal.objects.count() == shipped
    assert set(CompetenceGoal.objects.filter(status=PUBLISHED).values_list("code", flat=True)) == DUMP_GOALS
    assert CompetenceGoal.objects.get(code="KM13328").status == EXPIRED


def test_a_goal_back_in_the_dump_is_published_again(tmp_path):
    CompetenceGoal.objects.filter(code="KM14193").update(status=EXPIRED)
    bank_refresh(path=DUMP)
    assert CompetenceGoal.objects.get(code="KM14193").status == PUBLISHED


def test_the_zip_file_as_downloaded_reads_the_same(tmp_path):
    archive = tmp_path / "dump.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in DUMP.rglob("*.json"):
            zipped.write(file, file.relative_to(DUMP).as_posix())
    assert read_dump(archive) == read_dump(DUMP)


def test_a_path_without_goals_is_refused_and_expires_nothing(tmp_path):
    (tmp_path / "laereplaner-lk20").mkdir()
    with pytest.raises(CommandError):
        call_command("grep_refresh", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("grep_refresh", str(tmp_path / "missing"))
    assert not CompetenceGoal.objects.filter(status=EXPIRED).exists()


def test_a_file_that_is_not_json_is_refused(tmp_path):
    folder = tmp_path / "kompetansemaal-lk20"
    folder.mkdir()
    (folder / "KM1.json").write_bytes(b"\xff not json")
    with pytest.raises(CommandError):
        call_command("grep_refresh", str(tmp_path))


def test_titles_read_both_shapes_of_grep():
    lk20 = {"tekst": [{"spraak": "nob", "verdi": "bokmål "}, {"spraak": "nno", "verdi": "nynorsk"}]}
    assert titles(lk20) == {"nb": "bokmål", "nn": "nynorsk", "en": ""}
    lk06 = [{"noekkel": "http://psi.oasis-open.org/iso/639/#nob", "verdi": "bokmål"},
            {"spraak": "eng", "verdi": "English"}]
    assert titles(lk06) == {"nb": "bokmål", "nn": "", "en": "English"}
    assert titles({"tekst": [{"spraak": "default", "verdi": "standard"}]})["nb"] == "standard"
    assert titles("Læreplan i norsk")["nb"] == "Læreplan i norsk"


def test_status_reads_both_uri_shapes():
    assert status("https://data.udir.no/kl06/v201906/status/status_utgaatt") == "utgaatt"
    assert status("http://psi.udir.no/ontologi/status/publisert") == "publisert"


def test_a_goal_set_after_two_levels_is_found_at_each(tmp_path):
    from curriculum.selectors import search_goals

    dump = copy_of_dump(tmp_path)
    path = dump / "kompetansemaalsett-lk20" / "KV1110.json"
    element = json.loads(path.read_text(encoding="utf-8"))
    vg2 = {"referanse": {"noekkel": "https://data.udir.no/kl06/v201906/aarstrinn/vg2/"}}  # the other shape
    element["etter-aarstrinn"] = [{"kode": "vg1"}, vg2]
    path.write_text(json.dumps(element), encoding="utf-8")
    empty_bank()
    bank_refresh(path=dump)
    assert GoalSet.objects.get(code="KV1110").level == "vg1/vg2"
    nor = Curriculum.objects.get(code="NOR01-08")
    for level in ("vg1", "vg2"):
        assert {goal.code for goal in search_goals(query="", curriculum=nor, level=level, language="nb")} == DUMP_GOALS
    assert search_goals(query="", curriculum=nor, level="aarstrinn10", language="nb") == []
