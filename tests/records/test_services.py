"""records/services.py: registering (the deadline, the authority), collecting the student's records into the
checklist, the review per record, the release as a package, and the log of every step."""

import hashlib
import json
from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from accounts.exceptions import Refused
from accounts.services import case_creator_grant
from audit.models import AccessEvent
from records import collect, services
from records.models import AccessRequest, RecordsSettings, ReleasePackage, RequestItem

from ..conftest import make_staff
from ..cases.factories import make_case
from ..factories import DocumentFactory, StudentFactory, request_as
from ..followup.factories import iko_objects
from ..iop.factories import PlanFactory

pytestmark = pytest.mark.django_db

Decision, Basis = RequestItem.Decision, RequestItem.LegalBasis
SECRET = "Mor sier at KVX991 er hemmelig."  # struck out of the IOP's part 1
PLAN_TEXT = f"Grunnkompetanse med mål om lærekontrakt. {SECRET}"
CASE_TEXT = "Bekymring QQW777 for heimeforhold"  # the person case is withheld


def as_request(user):
    """The POST a service runs in (the log's actor is the request's user)."""
    return request_as(user, "post")


def request_events(access_request):
    return AccessEvent.objects.filter(object_type="access_request", object_id=str(access_request.pk)).order_by("pk")


# --- Registering ------------------------------------------------------------------------------------------------

def test_register_stores_the_request_for_the_authority_and_logs_it(make_request, minor, teacher, guardian,
                                                                  authority_a):
    received = date(2026, 3, 2)
    access_request = make_request(minor, teacher, requester_user=guardian, requester_name="  Frida Hansen ",
                                  relation=" mor ", asked_for=" Alt ", received_on=received)
    access_request.refresh_from_db()
    assert access_request.authority == authority_a
    assert (access_request.student, access_request.registered_by, access_request.requester_user) == (
        minor, teacher, guardian)
    assert (access_request.requester_name, access_request.relation, access_request.asked_for) == (
        "Frida Hansen", "mor", "Alt")
    assert access_request.status == AccessRequest.Status.REGISTERED
    assert access_request.deadline_on == received + timedelta(days=30)
    assert access_request.reviewer is None and access_request.released_on is None
    event = request_events(access_request).get()
    assert (event.action, event.user, event.student_id, event.school_id) == (
        "created", teacher, minor.pk, minor.school_id)


@pytest.mark.parametrize("kind", ["student", "guardian", "other"])
def test_the_deadline_is_30_days_without_settings(make_request, minor, teacher, kind):
    received = date(2026, 5, 20)
    access_request = make_request(minor, teacher, requester_kind=kind, received_on=received)
    assert access_request.deadline_on == date(2026, 6, 19)


@pytest.mark.parametrize("kind, days", [("student", 14), ("guardian", 14), ("other", 45)])
def test_the_deadline_follows_the_authoritys_settings(make_request, minor, teacher, authority_a, kind, days):
    RecordsSettings.objects.create(authority=authority_a, subject_deadline_days=14, other_deadline_days=45)
    received = date(2026, 5, 20)
    access_request = make_request(minor, teacher, requester_kind=kind, received_on=received)
    assert access_request.deadline_on == received + timedelta(days=days)


def test_the_settings_of_another_authority_do_not_count(make_request, minor, teacher, authority_b):
    RecordsSettings.objects.create(authority=authority_b, subject_deadline_days=5, other_deadline_days=5)
    received = date(2026, 5, 20)
    assert make_request(minor, teacher, received_on=received).deadline_on == received + timedelta(days=30)


def test_a_school_whose_owner_has_no_authority_is_refused_and_nothing_is_stored(make_request):
    school_owner = "Agder fylkeskommune"
    student = StudentFactory(school__owner_name=school_owner)
    staff = make_staff("tor", student.school)
    with pytest.raises(Refused):
        make_request(student, staff)
    assert not AccessRequest.objects.exists()
    assert not AccessEvent.objects.filter(object_type="access_request").exists()


# --- The student's records --------------------------------------------------------------------------------------

@pytest.fixture
def case_creator(school_a):
    user = make_staff("kari", school_a)
    case_creator_grant(school=school_a, user=user)
    return user


@pytest.fixture
def student_records(minor, teacher, case_creator, other_child):
    """Emma's records in every app, and a document of another child's that must stay out."""
    plan = PlanFactory(student=minor, goal_text=PLAN_TEXT, mapping_academic="Leser godt på norsk.")
    document = DocumentFactory(student=minor, title="Sakkyndig vurdering")
    case = make_case(minor, teacher, by=case_creator, description=CASE_TEXT)
    iko = iko_objects(minor, teacher)
    elsewhere = DocumentFactory(student=other_child, title="Ola sin vurdering")
    return {"plan": plan, "document": document, "case": case, **iko, "elsewhere": elsewhere}


@pytest.fixture
def collected(a_request, officer, student_records):
    services.request_collect(access_request=a_request, by=officer, request=as_request(officer))
    a_request.refresh_from_db()
    return a_request


def item_of(access_request, key) -> RequestItem:
    return access_request.items.get(key=key)


def section_with(record, text) -> int:
    return next(n for n, section in enumerate(record.sections) if text in section.text)


def test_collect_gathers_every_record_of_the_student(a_request, officer, student_records, minor):
    added = services.request_collect(access_request=a_request, by=officer, request=as_request(officer))
    keys = list(a_request.items.values_list("key", flat=True))
    assert added == len(keys) == len(set(keys))
    assert keys == [record.key for record in collect.records_of(minor)]
    wanted = {f"iop:{student_records['plan'].pk}", f"document:{student_records['document'].pk}",
              f"person_case:{student_records['case'].pk}", f"iko_plan:{student_records['iko_plan'].pk}",
              f"iko_signal:{student_records['iko_signal'].pk}", f"access_log:{minor.pk}"}
    assert wanted <= set(keys)
    assert f"document:{student_records['elsewhere'].pk}" not in keys
    assert list(a_request.items.filter(whole_file=True).values_list("key", flat=True)) == [
        f"document:{student_records['document'].pk}"]
    assert not a_request.items.exclude(decision=Decision.PENDING).exists()
    a_request.refresh_from_db()
    assert a_request.status == AccessRequest.Status.IN_REVIEW and a_request.reviewer == officer


def test_collect_is_logged(collected, officer):
    events = list(request_events(collected).values_list("action", "user_id"))
    assert events == [("created", collected.registered_by_id), ("changed", officer.pk)]
    assert str(collected.items.count()) in request_events(collected).last().detail


def test_a_person_cases_record_is_opened_under_the_case(student_records, minor):
    """Opening it inside a request is logged against the case, so it shows in the case's own access history."""
    case = student_records["case"]
    record = collect.record_for(minor, f"person_case:{case.pk}")
    assert (record.log_type, str(record.log_id)) == ("person_case", str(case.pk))


def test_a_second_collect_adds_only_new_records_and_keeps_the_decisions(collected, officer, minor,
                                                                        student_records):
    plan_item = item_of(collected, f"iop:{student_records['plan'].pk}")
    services.item_review(item=plan_item, by=officer,
                         request=as_request(officer), decision=Decision.RELEASE, legal_basis="", reason="",
                         strikes=[])
    before = dict(collected.items.values_list("key", "pk"))
    new_document = DocumentFactory(student=minor, title="Ny sakkyndig vurdering")

    added = services.request_collect(access_request=collected, by=officer, request=as_request(officer))

    after = dict(collected.items.values_list("key", "pk"))
    assert added == len(after) - len(before) >= 1
    assert f"document:{new_document.pk}" in after
    assert all(after[key] == pk for key, pk in before.items())  # the same rows, not new ones
    assert item_of(collected, plan_item.key).decision == Decision.RELEASE
    positions = list(collected.items.values_list("position", flat=True))
    assert len(positions) == len(set(positions))


def test_collecting_an_answered_request_is_refused(collected, officer):
    collected.status = AccessRequest.Status.RELEASED
    collected.save()
    count = collected.items.count()
    with pytest.raises(Refused):
        services.request_collect(access_request=collected, by=officer, request=as_request(officer))
    assert collected.items.count() == count


# --- The review -------------------------------------------------------------------------------------------------

def test_release_and_withhold(collected, officer, student_records):
    document = item_of(collected, f"document:{student_records['document'].pk}")
    services.item_review(item=document, by=officer,
                         request=as_request(officer), decision=Decision.WITHHOLD, legal_basis=Basis.HEALTH,
                         reason="Skadelig", strikes=[])
    document.refresh_from_db()
    assert (document.decision, document.legal_basis, document.reason, document.reviewed_by) == (
        "withhold", "fvl19_2", "Skadelig", officer)
    services.item_review(item=document, by=officer,
                         request=as_request(officer), decision=Decision.RELEASE, legal_basis="", reason="",
                         strikes=[])
    document.refresh_from_db()
    assert document.decision == Decision.RELEASE


@pytest.mark.parametrize("decision", [Decision.WITHHOLD, Decision.STRIKE])
def test_withholding_or_striking_needs_a_legal_basis(collected, officer, minor, student_records, decision):
    item = item_of(collected, f"iop:{student_records['plan'].pk}")
    record = collect.record_for(minor, item.key)
    strikes = [{"section": section_with(record, SECRET), "passage": SECRET}]
    with pytest.raises(Refused):
        services.item_review(item=item, by=officer,
                             request=as_request(officer), decision=decision, legal_basis="", reason="", strikes=strikes)
    item.refresh_from_db()
    assert item.decision == Decision.PENDING and item.strikes == []


def test_a_strike_keeps_the_passages(collected, officer, minor, student_records):
    item = item_of(collected, f"iop:{student_records['plan'].pk}")
    record = collect.record_for(minor, item.key)
    strikes = [{"section": section_with(record, SECRET), "passage": SECRET}]
    services.item_review(item=item, by=officer,
                         request=as_request(officer), decision=Decision.STRIKE, legal_basis=Basis.OTHERS, reason="Mor",
                         strikes=strikes)
    item.refresh_from_db()
    assert (item.decision, item.legal_basis, item.strikes) == ("strike", "gdpr15_4", strikes)


@pytest.mark.parametrize("strike", [
    {"section": 0, "passage": "Dette står ingen steder"},
    {"section": 999, "passage": SECRET},
    {"section": "0", "passage": SECRET},
    {"passage": SECRET},
    {"section": 0, "passage": "   "},
])
def test_a_struck_passage_must_stand_in_the_text_now(collected, officer, minor, student_records, strike):
    item = item_of(collected, f"iop:{student_records['plan'].pk}")
    with pytest.raises(Refused):
        services.item_review(item=item, by=officer,
                             request=as_request(officer), decision=Decision.STRIKE, legal_basis=Basis.OTHERS, reason="",
                             strikes=[strike])
    item.refresh_from_db()
    assert item.decision == Decision.PENDING


def test_a_passage_in_another_section_does_not_fit(collected, officer, minor, student_records):
    item = item_of(collected, f"iop:{student_records['plan'].pk}")
    record = collect.record_for(minor, item.key)
    index = section_with(record, SECRET)
    other = next(n for n in range(len(record.sections)) if n != index and SECRET not in record.sections[n].text)
    with pytest.raises(Refused):
        services.item_review(item=item, by=officer,
                             request=as_request(officer), decision=Decision.STRIKE, legal_basis=Basis.OTHERS, reason="",
                             strikes=[{"section": other, "passage": SECRET}])


def test_a_whole_file_cannot_be_struck(collected, officer, student_records):
    item = item_of(collected, f"document:{student_records['document'].pk}")
    with pytest.raises(Refused):
        services.item_review(item=item, by=officer,
                             request=as_request(officer), decision=Decision.STRIKE, legal_basis=Basis.OTHERS, reason="",
                             strikes=[{"section": 0, "passage": "x"}])
    item.refresh_from_db()
    assert item.decision == Decision.PENDING


def test_a_record_that_is_gone_is_not_reviewed(collected, officer, student_records):
    item = item_of(collected, f"document:{student_records['document'].pk}")
    student_records["document"].delete()
    with pytest.raises(Refused):
        services.item_review(item=item, by=officer,
                             request=as_request(officer), decision=Decision.RELEASE, legal_basis="", reason="",
                             strikes=[])


def test_each_review_is_logged_with_its_decision(collected, officer, student_records):
    key = f"document:{student_records['document'].pk}"
    services.item_review(item=item_of(collected, key), by=officer,
                         request=as_request(officer), decision=Decision.WITHHOLD,
                         legal_basis=Basis.CONFIDENTIALITY, reason="", strikes=[])
    event = request_events(collected).last()
    assert (event.action, event.user, event.student_id) == ("changed", officer, collected.student_id)
    assert key in event.detail and "withhold" in event.detail


def review_all(access_request, officer, student_records, minor):
    """Strike the secret out of the IOP, withhold the person case, release the rest."""
    for item in access_request.items.all():
        if item.key == f"iop:{student_records['plan'].pk}":
            record = collect.record_for(minor, item.key)
            services.item_review(item=item, by=officer,
                                 request=as_request(officer), decision=Decision.STRIKE, legal_basis=Basis.OTHERS,
                                 reason="Om mor", strikes=[{"section": section_with(record, SECRET),
                                                            "passage": SECRET}])
        elif item.kind in ("person_case", "case_attachment"):
            services.item_review(item=item, by=officer,
                                 request=as_request(officer), decision=Decision.WITHHOLD,
                                 legal_basis=Basis.CONFIDENTIALITY, reason="Taushetsplikt", strikes=[])
        else:
            services.item_review(item=item, by=officer,
                                 request=as_request(officer), decision=Decision.RELEASE, legal_basis="", reason="",
                                 strikes=[])


# --- The release ------------------------------------------------------------------------------------------------

def test_release_before_collecting_is_refused(a_request, officer):
    with pytest.raises(Refused):
        services.request_release(access_request=a_request, by=officer, request=as_request(officer))
    a_request.refresh_from_db()
    assert a_request.status == AccessRequest.Status.REGISTERED
    assert not ReleasePackage.objects.exists()


def test_release_while_an_item_is_pending_is_refused(collected, officer, student_records, minor):
    review_all(collected, officer, student_records, minor)
    last = collected.items.last()
    RequestItem.objects.filter(pk=last.pk).update(decision=Decision.PENDING)
    with pytest.raises(Refused):
        services.request_release(access_request=collected, by=officer, request=as_request(officer))
    collected.refresh_from_db()
    assert collected.status == AccessRequest.Status.IN_REVIEW
    assert not ReleasePackage.objects.exists()


def pdf_text(data: bytes) -> str:
    return "".join("".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages).split())


def test_the_release_answers_the_request_with_a_package_without_the_struck_passage(collected, officer, minor,
                                                                                   student_records):
    review_all(collected, officer, student_records, minor)
    package = services.request_release(access_request=collected, by=officer, request=as_request(officer))

    collected.refresh_from_db()
    assert collected.status == AccessRequest.Status.RELEASED
    assert (collected.released_by, collected.released_on is not None) == (officer, True)
    assert ReleasePackage.objects.get() == package and package.request == collected
    pdf = package.pdf.read()
    package.pdf.close()
    assert pdf.startswith(b"%PDF") and package.sha256 == hashlib.sha256(pdf).hexdigest()
    text = pdf_text(pdf)
    assert "KVX991" not in text and "QQW777" not in text
    assert "Grunnkompetanse" in text  # the rest of the struck record is there
    data = package.data.read()
    package.data.close()
    assert b"KVX991" not in data and b"QQW777" not in data
    items = {entry["key"]: entry for entry in json.loads(data)["items"]}
    assert set(items) == set(collected.items.values_list("key", flat=True))
    assert items[f"iop:{student_records['plan'].pk}"]["decision"] == "strike"
    assert items[f"person_case:{student_records['case'].pk}"]["decision"] == "withhold"
    assert items[f"person_case:{student_records['case'].pk}"]["legal_basis"] == "fvl13"


def test_an_answered_request_is_not_reviewed_or_released_again(collected, officer, minor, student_records):
    review_all(collected, officer, student_records, minor)
    services.request_release(access_request=collected, by=officer, request=as_request(officer))
    item = collected.items.first()
    with pytest.raises(Refused):
        services.item_review(item=item, by=officer,
                             request=as_request(officer), decision=Decision.WITHHOLD, legal_basis=Basis.OTHERS,
                             reason="", strikes=[])
    with pytest.raises(Refused):
        services.request_release(access_request=collected, by=officer, request=as_request(officer))
    assert ReleasePackage.objects.count() == 1
    assert item_of(collected, item.key).decision == item.decision


def test_a_passage_edited_away_after_the_review_stops_the_release(collected, officer, minor, student_records):
    review_all(collected, officer, student_records, minor)
    plan = student_records["plan"]
    plan.goal_text = "Grunnkompetanse med mål om lærekontrakt."
    plan.save()
    with pytest.raises(Refused):
        services.request_release(access_request=collected, by=officer, request=as_request(officer))
    collected.refresh_from_db()
    assert collected.status == AccessRequest.Status.IN_REVIEW and not ReleasePackage.objects.exists()


def test_every_step_is_logged_against_the_request(collected, officer, minor, student_records, teacher):
    review_all(collected, officer, student_records, minor)
    services.request_release(access_request=collected, by=officer, request=as_request(officer))
    events = list(request_events(collected))
    count = collected.items.count()
    assert [e.action for e in events] == ["created"] + ["changed"] * (1 + count + 1)
    assert events[0].user == teacher and all(e.user == officer for e in events[1:])
    assert all(e.student_id == minor.pk for e in events)
    reviews = events[2:-1]
    assert {e.detail.split(":")[0] + ":" + e.detail.split(":")[1] for e in reviews} == set(
        collected.items.values_list("key", flat=True))
    strike_detail = next(e.detail for e in reviews if e.detail.startswith(f"iop:{student_records['plan'].pk}:"))
    assert "strike" in strike_detail and "1 struck" in strike_detail
    assert any("withhold" in e.detail for e in reviews)
    assert "released" in events[-1].detail
