"""The retention pages over HTTP: only a records officer of the authority (others 404; staff of the student's
school 403 where a student is named), the confirmation before destruction, the reads logged."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from followup.models import Signal
from records import services
from records.models import DestructionItem, DestructionList, HandOver, RetentionRule

from ..factories import DocumentFactory, years_ago
from ..followup.factories import iko_objects
from ..iop.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gone(minor, admin, authority_a):
    """Emma left six years ago: IKO records due for destruction, IOP and document due for hand-over."""
    minor.left_on = years_ago(6)
    minor.save(update_fields=["left_on"])
    iko = iko_objects(minor, admin)
    PlanFactory(student=minor)
    DocumentFactory(student=minor)
    return {"student": minor, "signal": iko["iko_signal"]}


@pytest.fixture
def awaiting(gone, authority_a):
    services.retention_run(authority=authority_a)
    return DestructionList.objects.get(authority=authority_a)


def test_the_retention_page_is_the_officers_and_logs_the_students_it_lists(client, officer, teacher, other_officer,
                                                                          gone, authority_a):
    url = reverse("records:retention")
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert reverse("records:handover", args=[gone["student"].pk]).encode() in response.content
    assert AccessEvent.objects.filter(user=officer, student=gone["student"], object_type="retention_list").exists()
    client.force_login(other_officer)
    response = client.get(url, {"authority": authority_a.pk})  # not theirs: their own authority's page
    assert response.status_code == 200
    assert reverse("records:handover", args=[gone["student"].pk]).encode() not in response.content
    client.force_login(teacher)
    assert client.get(url).status_code == 404


def test_a_rule_is_changed_by_the_officer_only(client, officer, other_officer, authority_a):
    url = reverse("records:rule_edit", args=[authority_a.pk])
    data = {"category": "iko", "case_type": "", "action": "destroy", "years": "2"}
    client.force_login(other_officer)
    assert client.post(url, data).status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url, {"category": "iko"}).status_code == 200
    assert client.post(url, data).status_code == 302
    assert RetentionRule.objects.get(authority=authority_a, category="iko").years == 2


def test_a_rule_the_law_forbids_is_refused_and_the_form_kept(client, officer, authority_a):
    client.force_login(officer)
    response = client.post(reverse("records:rule_edit", args=[authority_a.pk]),
                           {"category": "iop", "case_type": "", "action": "destroy", "years": "3"})
    assert response.status_code == 200 and response.context["form"]["years"].value() == "3"
    assert not RetentionRule.objects.exists()


def test_removing_a_rule_is_the_officers_only(client, officer, other_officer, authority_a):
    rule = services.rule_set(authority=authority_a, category="iko", case_type="", action="destroy", years=2,
                             by=officer)
    url = reverse("records:rule_remove", args=[rule.pk])
    client.force_login(other_officer)
    assert client.post(url).status_code == 404
    client.force_login(officer)
    assert client.post(url).status_code == 302 and not RetentionRule.objects.exists()


def test_the_hand_over_page_staff_403_others_404_the_officer_hands_over(client, officer, teacher, other_officer,
                                                                        gone):
    url = reverse("records:handover", args=[gone["student"].pk])
    client.force_login(teacher)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    handover = HandOver.objects.get(student=gone["student"])
    download = reverse("records:handover_download", args=[handover.pk])
    client.force_login(teacher)
    assert client.get(download).status_code == 403
    client.force_login(officer)
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert AccessEvent.objects.filter(user=officer, action="downloaded", object_type="archive_handover").exists()
    assert client.post(url).status_code == 200  # twice: the page again, with the refusal; nothing new
    assert HandOver.objects.count() == 1


def test_the_destruction_list_needs_the_confirmation_and_the_officer(client, officer, other_officer, teacher,
                                                                     awaiting, gone):
    page = reverse("records:destruction_list", args=[awaiting.pk])
    approve = reverse("records:destruction_approve", args=[awaiting.pk])
    for outsider in (other_officer, teacher):
        client.force_login(outsider)
        assert client.get(page).status_code == 404
        assert client.post(approve, {"confirm": "on"}).status_code == 404
    assert Signal.objects.filter(pk=gone["signal"].pk).exists()
    client.force_login(officer)
    assert client.get(page).status_code == 200
    assert AccessEvent.objects.filter(user=officer, object_type="destruction_list", student=gone["student"]).exists()
    assert client.post(approve, {}).status_code == 302  # not confirmed: nothing happens
    assert Signal.objects.filter(pk=gone["signal"].pk).exists()
    assert client.post(approve, {"confirm": "on"}).status_code == 302
    assert not Signal.objects.filter(pk=gone["signal"].pk).exists()
    assert client.get(page).status_code == 200  # the tombstones
    assert client.post(approve, {"confirm": "on"}).status_code == 302  # twice: refused with a message


def test_holding_back_a_record(client, officer, other_officer, awaiting, gone):
    item = awaiting.items.get(kind="iko_signal")
    url = reverse("records:item_hold_back", args=[item.pk])
    client.force_login(other_officer)
    assert client.post(url, {"reason": "Klage"}).status_code == 404
    client.force_login(officer)
    assert client.post(url, {"reason": ""}).status_code == 302
    assert not DestructionItem.objects.get(pk=item.pk).held_back
    assert client.post(url, {"reason": "Klage"}).status_code == 302
    assert DestructionItem.objects.get(pk=item.pk).held_back


def test_the_check_now_button_proposes_and_deletes_nothing(client, officer, teacher, gone, authority_a):
    url = reverse("records:run_now", args=[authority_a.pk])
    client.force_login(teacher)
    assert client.post(url).status_code == 404
    client.force_login(officer)
    assert client.post(url).status_code == 302
    assert DestructionItem.objects.count() == 2 and Signal.objects.filter(pk=gone["signal"].pk).exists()


def test_the_start_page_tells_the_officer_what_awaits_approval(client, officer, awaiting):
    client.force_login(officer)
    response = client.get(reverse("start"))
    assert reverse("records:retention").encode() in response.content


def test_the_officer_sets_the_deadlines_complaint_text_and_words(client, officer, other_officer, teacher,
                                                                 authority_a, make_request, minor,
                                                                 django_capture_on_commit_callbacks):
    from accounts.guidance import words_for

    url = reverse("records:settings", args=[authority_a.pk])
    data = {"subject_deadline_days": "20", "other_deadline_days": "25", "complaint_text": "Klag til oss.",
            "words_nb": "Sjuskete\n\n  treig ", "words_nn": "", "words_en": "sloppy"}
    for outsider in (other_officer, teacher):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.post(url, {**data, "subject_deadline_days": "0"}).status_code == 200  # refused, form kept
    with django_capture_on_commit_callbacks(execute=True):  # the cached word lists are forgotten on commit
        assert client.post(url, data).status_code == 302
    assert {"sjuskete", "treig"} <= set(words_for("nb", authority_a.name))
    assert "sjuskete" not in words_for("nb", "Agder fylkeskommune")
    access_request = make_request(minor, teacher, received_on=timezone.localdate())
    assert (access_request.deadline_on - access_request.received_on).days == 20
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**data, "words_nb": "treig"}).status_code == 302
    assert "sjuskete" not in words_for("nb", authority_a.name)
    assert client.get(url).context["form"].initial["words_nb"] == "treig"
