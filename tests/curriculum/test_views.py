"""The goal-bank search (staff only), the way to Udir's page for a goal, and the about page."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent

pytestmark = pytest.mark.django_db

SEARCH = reverse("curriculum:search")
STAFF = ["admin", "teacher", "coteacher", "other_teacher", "other_admin", "principal"]
NOT_STAFF = ["adult_student", "minor_student", "guardian", "other_guardian", "stranger"]
NLOD_NB = "Inneholder data under Norsk lisens for offentlige data (NLOD) tilgjengeliggjort av Utdanningsdirektoratet"


def hits(response) -> list[str]:
    return response.content.decode().split('data-grep-code="')[1:]


def hit_codes(response) -> set[str]:
    return {chunk.split('"', 1)[0] for chunk in hits(response)}


@pytest.mark.parametrize("name", STAFF)
def test_staff_search_the_bank(client, cast, name):
    client.force_login(cast[name])
    response = client.get(SEARCH, {"laereplan": "NOR01-08", "q": "sidemål"})
    assert response.status_code == 200
    assert hit_codes(response) == {"KM14161", "KM14175", "KM14191",  # after years 4, 7 and 10
                                   "KM14233", "KM14244", "KM14261"}  # Vg1, Vg3, Vg3 påbygging
    assert response.content.decode().count('href="?kode=KM14191#add-goal"') == 1


@pytest.mark.parametrize("name", NOT_STAFF)
def test_the_family_and_outsiders_get_404(client, cast, name):
    client.force_login(cast[name])
    assert client.get(SEARCH, {"q": "sidemål"}).status_code == 404
    assert AccessEvent.objects.filter(user=cast[name], object_type="goal_bank").exists()


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(SEARCH, {"q": "sidemål"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_search_only_by_get(client, teacher):
    client.force_login(teacher)
    assert client.post(SEARCH, {"q": "sidemål"}).status_code == 405


def test_the_search_follows_the_language(client, teacher):
    client.force_login(teacher)
    client.post(reverse("set_language"), {"language": "nn", "next": SEARCH})
    assert hit_codes(client.get(SEARCH, {"laereplan": "SAF01-05", "q": "berekraftige"})) == {"KM14708"}


def test_a_subject_code_chooses_its_curriculum(client, teacher):
    from curriculum.models import Curriculum

    Curriculum.objects.get(code="ENG01-06").subject_codes.create(subject_code="ENG0012")
    client.force_login(teacher)
    assert hit_codes(client.get(SEARCH, {"fag": "ENG0012", "q": "kilde"})) == {
        "KM13365", "KM13379", "KM13381", "KM13397", "KM13399", "KM13415", "KM13417"}  # ENG01-06's years 7, 10, Vg1
    assert hit_codes(client.get(SEARCH, {"fag": "ENG0012", "laereplan": "", "q": "kilde"})) >= {
        "KM13379", "KM13381", "KM14190"}  # "" is all curricula


@pytest.mark.parametrize("params", [
    {"laereplan": "XXX99-99", "q": "tall"},  # no such curriculum: a form error, no hits
    {"trinn": "aarstrinn99", "q": "tall"},  # no such level: likewise
    {"q": "x" * 5000},
    {"q": ""},
    {"laereplan": "", "q": "    "},
    {"q": "%_\\'\"<script>"},
])
def test_bad_input_gives_no_hits_and_no_error(client, teacher, params):
    client.force_login(teacher)
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert hits(response) == [] and b"<script>" not in response.content


def test_a_level_narrows_the_hits(client, teacher):
    client.force_login(teacher)
    params = {"laereplan": "ENG01-06", "q": "kilde"}
    assert hit_codes(client.get(SEARCH, params)) == {
        "KM13365", "KM13379", "KM13381", "KM13397", "KM13399", "KM13415", "KM13417"}
    assert hit_codes(client.get(SEARCH, {**params, "trinn": "aarstrinn10"})) == {"KM13379", "KM13381"}
    assert hit_codes(client.get(SEARCH, {**params, "trinn": "vg1"})) == {"KM13397", "KM13399", "KM13415", "KM13417"}


def test_the_goal_page_leads_to_udir(client, guardian):
    client.force_login(guardian)  # public data: the family sees the codes on the goal rows too
    response = client.get(reverse("curriculum:goal_page", args=["KM14191"]))
    assert response.status_code == 302
    assert response.url == "https://www.udir.no/lk20/nor01-08/kompetansemaal-og-vurdering/kv1110?lang=nob"


def test_an_unknown_code_has_no_page(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("curriculum:goal_page", args=["KM0"])).status_code == 404


def test_the_goal_page_needs_a_login(client):
    assert client.get(reverse("curriculum:goal_page", args=["KM14191"])).status_code == 302


def test_the_about_page_carries_the_nlod_attribution_for_anyone(client):
    response = client.get(reverse("about"))
    assert response.status_code == 200
    assert NLOD_NB in response.content.decode()
    assert b"https://data.norge.no/nlod/no/2.0" in response.content


def test_every_page_links_to_the_about_page(client):
    assert f'href="{reverse("about")}"'.encode() in client.get(reverse("login")).content
