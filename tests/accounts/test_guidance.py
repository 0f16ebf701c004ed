"""The free-text guidance (accounts/guidance.py, seed 003 «Fritextfält»): a guidance line by every free-text field
about a student, and the word list the browser warns with, per language and per owner, which never blocks saving."""

import json
import logging
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.guidance import CHECK_ATTRIBUTE, GUIDANCE, GuidedTextMixin, page_data, words_for
from accounts.models import GuidanceWord, SchoolYear
from accounts.services import case_creator_grant
from applications.forms import ApplicationForm
from audit.models import AccessEvent
from cases.forms import CaseForm, CloseForm, EventForm
from cases.models import Event, EventVersion
from followup.forms import ConcernForm, MeasureForm, NoteForm, TalkForm
from iop.forms import AssessmentForm, LogEntryForm, Part1Form, ReportForm
from iop.models import LogEntry, Plan

from ..admin.verified import force_login_verified
from ..applications.factories import ApplicationFactory
from ..cases.factories import make_case
from ..conftest import make_staff
from ..factories import StudentFactory, UserFactory
from ..iop.factories import PlanFactory

pytestmark = pytest.mark.django_db

WORDS_ELEMENT = re.compile(r'<script id="guidance-words" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(autouse=True)
def fresh_word_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(minor):
    return PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True),
                       stage=Plan.Stage.STUDENT_AND_GUARDIANS)


def words_on(response) -> dict:
    found = WORDS_ELEMENT.findall(response.content.decode())
    assert len(found) == 1, "the word list is on a page with a guided field, once"
    return json.loads(found[0])


def lines(*kinds) -> set[str]:
    """The guidance lines of these kinds, as they are in a page's HTML."""
    return {escape(str(GUIDANCE[kind])) for kind in kinds}


# --- The guidance lines -------------------------------------------------------------------------


def test_every_kind_has_a_line_and_the_forms_name_only_known_kinds():
    forms = [Part1Form, LogEntryForm, AssessmentForm, ReportForm, ConcernForm, TalkForm, MeasureForm, NoteForm,
             CaseForm, CloseForm, EventForm, ApplicationForm]
    for form in forms:
        assert issubclass(form, GuidedTextMixin), form
        assert form.guidance and set(form.guidance.values()) <= set(GUIDANCE), form


def test_a_guidance_line_is_appended_to_an_existing_help_text():
    form = CloseForm()
    with translation.override("en"):
        help_text = str(form.fields["note"].help_text)
        assert help_text.startswith("Why the case is closed") and help_text.endswith(str(GUIDANCE["sensitive"]))
    assert form.fields["note"].widget.attrs[CHECK_ATTRIBUTE] == "1"


def test_titles_dates_and_choices_get_no_guidance():
    form = EventForm()
    for name in ("title", "occurred_on", "category", "kind"):
        assert CHECK_ATTRIBUTE not in form.fields[name].widget.attrs, name
    assert str(GUIDANCE["sensitive"]) not in str(form.fields["title"].help_text or "")


def guided_textareas(html: str) -> list[str]:
    return re.findall(r"<textarea[^>]*" + CHECK_ATTRIBUTE + r'="1"[^>]*>', html)


def test_iop_log_entry_shows_its_guidance_and_the_word_list(client, teacher, plan):
    client.force_login(teacher)
    response = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    html = response.content.decode()
    assert all(line in html for line in lines("observation"))
    textarea = [tag for tag in guided_textareas(html) if 'name="text"' in tag]
    assert textarea and "aria-describedby" in textarea[0]  # the help text (with the guidance) is tied to it
    assert "lat" in words_on(response)["words"]
    assert html.count("js/guidance.js") == 1


def test_followup_talk_shows_its_guidance(client, minor, other_teacher):
    minor.contact_teacher = other_teacher
    minor.save()
    client.force_login(other_teacher)
    response = client.get(reverse("followup:talk_add", args=[minor.pk, "startup"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(line in html for line in lines("student_view", "observation"))
    assert len(guided_textareas(html)) == 3  # student view, wishes, notes; not the participants
    assert "idiot" in words_on(response)["words"]


def test_person_case_event_shows_its_guidance(client, minor, teacher, school_a):
    creator = make_staff("kari", school_a)
    case_creator_grant(school=school_a, user=creator)
    case = make_case(minor, teacher, by=creator)
    client.force_login(teacher)
    response = client.get(reverse("cases:event_create", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(line in html for line in lines("sensitive"))
    assert len(guided_textareas(html)) == 1  # the text; not the title
    assert "frekk" in words_on(response)["words"]


def test_application_shows_its_guidance(client, admin, minor):
    application = ApplicationFactory(student=minor, school_year=SchoolYear.objects.current(create=True))
    client.force_login(admin)
    response = client.get(reverse("applications:application_edit", args=[application.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(line in html for line in lines("assessment", "goal", "sensitive"))
    assert len(guided_textareas(html)) == 3
    assert "umulig" in words_on(response)["words"]


def test_a_page_without_a_guided_field_has_no_word_list(client, teacher):
    client.force_login(teacher)
    html = client.get(reverse("start")).content.decode()
    assert "guidance-words" not in html and "js/guidance.js" not in html


# --- The word list: per language, per owner ----------------------------------------------------


@pytest.mark.parametrize("language, present, absent", [
    ("nb", {"lat", "dum", "håpløs", "bråkmaker"}, {"lazy", "håplaus"}),
    ("nn", {"lat", "dum", "håplaus", "bråkmakar"}, {"lazy", "håpløs"}),
    ("en", {"lazy", "stupid", "hopeless", "troublemaker"}, {"lat", "håpløs"}),
])
def test_the_word_list_follows_the_language(client, teacher, plan, language, present, absent):
    teacher.language = language
    teacher.save()
    client.force_login(teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("iop:plan_detail", args=[plan.pk]))
    assert f'<html lang="{language}"' in response.content.decode()
    words = set(words_on(response)["words"])
    assert present <= words and not (absent & words)


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_warning_text_is_in_the_page_language_with_the_words_placeholder(language):
    with translation.override(language):
        data = page_data("")
    assert "%(words)s" in data["message"]
    assert data["quotes"] == (("“", "”") if language == "en" else ("«", "»"))


def test_an_owners_word_is_on_its_schools_pages_only(client, teacher, plan, school_a, school_b, other_admin):
    GuidanceWord.objects.create(owner_name=school_a.owner_name, language="nb", word="sjuskete")
    other_student = StudentFactory(school=school_b)
    other_plan = PlanFactory(student=other_student, school_year=SchoolYear.objects.current(create=True),
                             stage=Plan.Stage.STUDENT_AND_GUARDIANS)
    assert school_a.owner_name != school_b.owner_name

    client.force_login(teacher)
    assert "sjuskete" in words_on(client.get(reverse("iop:plan_detail", args=[plan.pk])))["words"]

    client.force_login(other_admin)
    response = client.get(reverse("iop:plan_detail", args=[other_plan.pk]))
    assert response.status_code == 200
    words = words_on(response)["words"]
    assert "sjuskete" not in words and "lat" in words  # the default list, without the other owner's word


def test_words_for_merges_the_default_list_and_the_owners_without_repeats():
    GuidanceWord.objects.create(owner_name="Agder fylkeskommune", language="en", word="Lazy")  # also in the default
    GuidanceWord.objects.create(owner_name="Agder fylkeskommune", language="en", word="careless")
    words = words_for("en", "Agder fylkeskommune")
    assert words.count("lazy") == 1 and "careless" in words
    assert "careless" not in words_for("en", "Bergen kommune")


def test_the_starting_lists_are_the_default_list_in_three_languages():
    for language in ("nb", "nn", "en"):
        assert GuidanceWord.objects.filter(owner_name="", language=language).count() >= 10, language


def test_an_edit_in_the_admin_is_seen_at_once(client):
    assert "sjuskete" not in words_for("nb", "")  # now cached
    force_login_verified(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:accounts_guidanceword_add"),
                           {"owner_name": "", "language": "nb", "word": "sjuskete"})
    assert response.status_code == 302
    assert "sjuskete" in words_for("nb", "")


# --- Never blocks, never logged ----------------------------------------------------------------


def test_a_text_with_a_listed_word_is_saved_and_the_word_is_not_logged(client, teacher, plan, caplog):
    client.force_login(teacher)
    text = "Eleven var lat og frekk i timen."
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("iop:log_add", args=[plan.pk]), {"text": text})
    assert response.status_code == 302
    assert LogEntry.objects.get(plan=plan).text == text
    assert not AccessEvent.objects.filter(Q(detail__icontains="lat ") | Q(detail__icontains="frekk")).exists()
    assert "frekk" not in caplog.text


def test_a_person_case_event_with_a_listed_word_is_saved(client, minor, teacher, school_a):
    creator = make_staff("kari", school_a)
    case_creator_grant(school=school_a, user=creator)
    case = make_case(minor, teacher, by=creator)
    client.force_login(teacher)
    response = client.post(reverse("cases:event_create", args=[case.pk]), {
        "category": Event.Category.CONVERSATION, "kind": Event.Kind.NOTE,
        "occurred_on": timezone.localdate().isoformat(), "title": "Samtale", "text": "Læreren kalte eleven dum.",
    })
    assert response.status_code == 302
    assert EventVersion.objects.filter(event__case=case, text="Læreren kalte eleven dum.").exists()
    assert not AccessEvent.objects.filter(detail__icontains="dum.").exists()
