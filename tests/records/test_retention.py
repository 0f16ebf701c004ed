"""Retention: the table and its defaults, what is due, the daily job that only proposes, the destruction the
officer approves (tombstones), the hand-over to the archive (the package, read-only records after it)."""

import json
import zipfile
from datetime import timedelta
from io import BytesIO, StringIO
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.exceptions import Refused
from audit.log import record
from audit.models import AccessEvent
from cases.models import Case
from documents.models import Document
from followup.models import Plan as IkoPlan
from followup.models import Signal
from iop.access import rights_for
from iop.models import Plan
from records import retention, services
from records.archive import JSON_NAME, NOARK, PDF_NAME, XML_NAME
from records.models import DestructionItem, DestructionList, HandOver, RetentionRule

from ..cases.factories import make_case
from ..conftest import make_staff
from ..factories import DocumentFactory, request_as, years_ago
from ..followup.factories import iko_objects
from ..iop.factories import PlanFactory

pytestmark = pytest.mark.django_db

C, A = RetentionRule.Category, RetentionRule.Action


def as_request(user):
    return request_as(user, "post")


@pytest.fixture
def left(minor, authority_a, admin):
    """Emma left four years ago: her IKO records (three years) are due for destruction, her IOP and the
    uploaded document (five years) are not yet due for hand-over."""
    minor.left_on = years_ago(4)
    minor.save(update_fields=["left_on"])
    iko = iko_objects(minor, admin)
    plan = PlanFactory(student=minor)
    document = DocumentFactory(student=minor)
    return {"student": minor, "signal": iko["iko_signal"], "iko_plan": iko["iko_plan"], "plan": plan,
            "document": document}


def counts():
    return (Signal.objects.count(), IkoPlan.objects.count(), Plan.objects.count(), Document.objects.count(),
            Case.objects.count(), AccessEvent.objects.count())


# --- The table ---------------------------------------------------------------------------------------------------

def test_the_table_has_defaults_and_the_authoritys_own_rules_override_them(authority_a, officer):
    table = retention.Table(authority_a)
    assert (table.rule(C.IKO).action, table.rule(C.IKO).years) == (A.DESTROY, 3)
    assert (table.rule(C.IOP).action, table.rule(C.ACCESS_LOG).years) == (A.PRESERVE, 5)
    assert not table.rule(C.IKO).own
    services.rule_set(authority=authority_a, category=C.IKO, case_type="", action=A.DESTROY, years=2, by=officer,
                      request=as_request(officer))
    services.rule_set(authority=authority_a, category=C.PERSON_CASE, case_type=" Mobbing ", action=A.DESTROY,
                      years=1, by=officer, request=as_request(officer))
    table = retention.Table(authority_a)
    assert table.rule(C.IKO).years == 2 and table.rule(C.IKO).own
    assert (table.rule(C.PERSON_CASE, "Mobbing").action, table.rule(C.PERSON_CASE, "Annet").action) == (
        A.DESTROY, A.PRESERVE)
    assert [r.case_type for r in table.rows()][-1] == "Mobbing"
    assert AccessEvent.objects.filter(object_type="retention_rule", user=officer).count() == 2


@pytest.mark.parametrize("category, action", [(C.IOP, A.DESTROY), (C.DECISION, A.DESTROY),
                                              (C.APPLICATION, A.DESTROY), (C.ACCESS_LOG, A.PRESERVE)])
def test_what_the_law_fixes_cannot_be_changed(authority_a, officer, category, action):
    with pytest.raises(Refused):
        services.rule_set(authority=authority_a, category=category, case_type="", action=action, years=1,
                          by=officer)
    assert not RetentionRule.objects.exists()


def test_a_rule_removed_is_back_to_the_default(authority_a, officer):
    rule = services.rule_set(authority=authority_a, category=C.IKO, case_type="", action=A.PRESERVE, years=9,
                             by=officer)
    services.rule_remove(rule=rule, request=as_request(officer))
    assert retention.Table(authority_a).rule(C.IKO).years == 3


# --- What is due, and the job that only proposes ------------------------------------------------------------------

def test_only_the_records_whose_time_has_come_are_due(left, authority_a):
    due = retention.due_for_student(left["student"], retention.Table(authority_a), timezone.localdate())
    assert {d.record.kind for d in due} == {"iko_signal", "iko_plan"}
    assert all(not d.rule.preserve and d.due_on == retention.years_after(left["student"].left_on, 3) for d in due)
    later = retention.due_for_student(left["student"], retention.Table(authority_a),
                                      retention.years_after(timezone.localdate(), 2))
    assert {"iop", "document"} <= {d.record.kind for d in later if d.rule.preserve}


def test_a_student_still_at_school_has_nothing_due(minor, authority_a, admin):
    iko_objects(minor, admin)
    assert retention.due_for_student(minor, retention.Table(authority_a), timezone.localdate()) == []


def test_the_job_alone_deletes_nothing_it_only_proposes(left, authority_a):
    before = counts()
    report = services.retention_run(authority=authority_a)
    assert len(report.destroy) == 2
    assert counts()[:5] == before[:5]  # the job logs its proposal: only the log grows
    awaiting = DestructionList.objects.get(authority=authority_a)
    assert awaiting.status == DestructionList.Status.AWAITING
    assert set(awaiting.items.values_list("kind", flat=True)) == {"iko_signal", "iko_plan"}
    assert all(item.destroyed_at is None for item in awaiting.items.all())
    services.retention_run(authority=authority_a)  # the next night: nothing new, nothing twice
    assert awaiting.items.count() == 2 and DestructionList.objects.count() == 1


def test_the_dry_run_changes_nothing(left, authority_a):
    before = counts()
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "2 record(s) to put on the destruction list" in out.getvalue()
    assert counts() == before and not DestructionList.objects.exists()
    call_command("retention", stdout=StringIO())
    assert DestructionItem.objects.count() == 2 and counts()[:5] == before[:5]


# --- Destruction ---------------------------------------------------------------------------------------------

def test_approval_destroys_the_records_and_leaves_tombstones(left, authority_a, officer):
    services.retention_run(authority=authority_a)
    awaiting = DestructionList.objects.get()
    destroyed = services.destruction_approve(destruction_list=awaiting, by=officer, request=as_request(officer))
    assert destroyed == 2
    assert not Signal.objects.filter(pk=left["signal"].pk).exists()
    assert not IkoPlan.objects.filter(pk=left["iko_plan"].pk).exists()
    assert Plan.objects.filter(pk=left["plan"].pk).exists() and Document.objects.filter(pk=left["document"].pk).exists()
    awaiting.refresh_from_db()
    assert (awaiting.status, awaiting.approved_by) == (DestructionList.Status.DESTROYED, officer)
    tombstones = list(awaiting.items.all())
    assert len(tombstones) == 2 and all(t.destroyed_at and "IKO" in t.rule for t in tombstones)
    assert AccessEvent.objects.filter(object_type="retention", action="deleted", user=officer).count() == 2
    with pytest.raises(Refused):
        services.destruction_approve(destruction_list=awaiting, by=officer)
    services.retention_run(authority=authority_a)  # gone: never proposed again
    assert not DestructionList.objects.filter(status=DestructionList.Status.AWAITING).exists()


def test_a_held_back_record_is_not_destroyed_nor_proposed_again(left, authority_a, officer):
    services.retention_run(authority=authority_a)
    item = DestructionItem.objects.get(kind="iko_signal")
    with pytest.raises(Refused):
        services.item_hold_back(item=item, reason="  ")
    services.item_hold_back(item=item, reason="Klagesak", request=as_request(officer))
    services.destruction_approve(destruction_list=item.destruction_list, by=officer)
    assert Signal.objects.filter(pk=left["signal"].pk).exists()
    assert not IkoPlan.objects.filter(pk=left["iko_plan"].pk).exists()
    services.retention_run(authority=authority_a)
    assert not DestructionList.objects.filter(status=DestructionList.Status.AWAITING).exists()


def test_a_record_no_longer_due_at_approval_is_kept_and_dropped(left, authority_a, officer):
    services.retention_run(authority=authority_a)
    student = left["student"]
    student.left_on = None  # the student came back (the roster import)
    student.save(update_fields=["left_on"])
    awaiting = DestructionList.objects.get()
    assert services.destruction_approve(destruction_list=awaiting, by=officer) == 0
    assert Signal.objects.filter(pk=left["signal"].pk).exists() and not awaiting.items.exists()


def test_the_access_log_before_its_due_day_is_destroyed_the_rest_kept(minor, authority_a, officer, admin):
    minor.left_on = years_ago(6)
    minor.save(update_fields=["left_on"])
    old = record(request_as(admin), action="viewed", object_type="iop", object_id=1, student=minor)
    _backdate(old, years=5, days=100)
    services.retention_run(authority=authority_a)
    item = DestructionItem.objects.get(kind="access_log")
    recent = record(request_as(admin), action="viewed", object_type="iop", object_id=2, student=minor)
    services.destruction_approve(destruction_list=item.destruction_list, by=officer)
    assert not AccessEvent.objects.filter(pk=old.pk).exists()
    assert AccessEvent.objects.filter(pk=recent.pk).exists()
    assert AccessEvent.objects.filter(student=minor, object_type="retention", action="deleted").exists()


def _backdate(event, *, years, days):
    """Events refuse to change (audit.models); a test moves one back in time below the ORM."""
    from django.db import connection

    at = timezone.now() - timedelta(days=365 * years + days)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_no_update_delete")
        cursor.execute("UPDATE audit_accessevent SET at = %s WHERE id = %s", [at, event.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accessevent ENABLE TRIGGER audit_accessevent_no_update_delete")


def test_person_cases_follow_the_rule_of_their_case_type(minor, authority_a, officer, school_a):
    handler = make_staff("hanna", school_a)
    case = make_case(minor, handler, by=handler)
    minor.left_on = years_ago(2)
    minor.save(update_fields=["left_on"])
    services.rule_set(authority=authority_a, category=C.PERSON_CASE, case_type=case.case_type.name,
                      action=A.DESTROY, years=1, by=officer)
    services.retention_run(authority=authority_a)
    item = DestructionItem.objects.get(kind="person_case")
    services.destruction_approve(destruction_list=item.destruction_list, by=officer)
    assert not Case.objects.filter(pk=case.pk).exists()


# --- Hand-over ------------------------------------------------------------------------------------------------

@pytest.fixture
def long_gone(left):
    student = left["student"]
    student.left_on = years_ago(6)
    student.save(update_fields=["left_on"])
    return left


def test_a_hand_over_before_it_is_due_is_refused(left, officer):
    with pytest.raises(Refused):
        services.handover_make(student=left["student"], by=officer)
    assert not HandOver.objects.exists() and left["student"].archived_on is None


def test_the_hand_over_package_holds_the_preserved_records_and_makes_them_read_only(long_gone, authority_a,
                                                                                   officer, admin):
    student = long_gone["student"]
    assert student in retention.handover_candidates(authority_a)
    handover = services.handover_make(student=student, by=officer, request=as_request(officer))
    student.refresh_from_db()
    assert student.archived_on == timezone.localdate()
    with zipfile.ZipFile(BytesIO(handover.package.read())) as archive:
        assert set(archive.namelist()) == {PDF_NAME, JSON_NAME, XML_NAME}
        data = json.loads(archive.read(JSON_NAME))
        xml = ET.fromstring(archive.read(XML_NAME))
        assert archive.read(PDF_NAME).startswith(b"%PDF")
    kinds = {item["kind"] for item in data["items"]}
    assert {"iop", "document"} <= kinds and not kinds & {"iko_signal", "iko_plan", "access_log"}
    assert [entry["key"] for entry in data["contents"]] and len(data["contents"]) == handover.record_count
    titles = [el.text for el in xml.iter(f"{{{NOARK}}}registrering") for el in el.findall(f"{{{NOARK}}}tittel")]
    assert sorted(titles) == sorted(item["title"] for item in data["items"])
    assert AccessEvent.objects.filter(object_type="archive_handover", student=student, user=officer).exists()
    assert student not in retention.handover_candidates(authority_a)
    assert not rights_for(admin, long_gone["plan"]).writable  # read-only, also for the IOP admin
    with pytest.raises(Refused):
        services.handover_make(student=student, by=officer)


def test_after_the_hand_over_the_destroy_rules_still_run(long_gone, authority_a, officer):
    services.handover_make(student=long_gone["student"], by=officer)
    report = services.retention_run(authority=authority_a)
    assert {d.record.kind for d in report.destroy} == {"iko_signal", "iko_plan"}
    assert not report.handovers


def test_a_document_an_application_uses_is_held_back_and_the_rest_destroyed(left, authority_a, officer):
    from applications.models import ApplicationAttachment

    from ..applications.factories import ApplicationFactory

    student = left["student"]
    used = DocumentFactory(student=student)
    ApplicationAttachment.objects.create(application=ApplicationFactory(student=student), document=used)
    services.rule_set(authority=authority_a, category=C.DOCUMENT, case_type="", action=A.DESTROY, years=1,
                      by=officer)
    services.retention_run(authority=authority_a)
    awaiting = DestructionList.objects.get()
    assert services.destruction_approve(destruction_list=awaiting, by=officer) == 3  # 2 IKO, 1 document
    assert Document.objects.filter(pk=used.pk).exists()
    assert not Document.objects.filter(pk=left["document"].pk).exists()
    assert awaiting.items.get(key=f"document:{used.pk}").held_back
