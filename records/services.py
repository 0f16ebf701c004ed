"""Access requests: registered, collected into a checklist, reviewed item by item, released as a package.

Every change is logged (audit.log.record) against the request, with the student: who registered, who
reviewed which record how, what was released, withheld or struck out, and when.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import Refused
from accounts.models import Student, User
from accounts.services import guidance_words_replace
from audit.log import erase_events, record
from cases import services as case_services
from documents import services as document_services
from documents.services import DocumentInUse
from followup import services as followup_services
from history import services as history_services

from . import archive, collect, package, retention
from .access import REQUEST, authority_of
from .models import (
    AccessRequest,
    DestructionItem,
    DestructionList,
    HandOver,
    RecordsOfficer,
    RecordsSettings,
    ReleasePackage,
    RequestItem,
    RetentionRule,
)


def _log(request, action: str, access_request: AccessRequest, detail: str = "") -> None:
    record(request, action=action, object_type=REQUEST, object_id=access_request.pk,
           student=access_request.student, school=access_request.student.school, detail=detail)


def request_register(*, student: Student, requester_kind: str, requester_name: str, requester_user: User | None,
                     relation: str, asked_for: str, received_on, by: User, request=None) -> AccessRequest:
    """A request received by staff of the student's school; it goes to the authority's records officers."""
    authority = authority_of(student)
    if authority is None:
        raise Refused(_("The school's owner (%(owner)s) is not set up for access requests yet. Ask a system "
                        "administrator.") % {"owner": student.school.owner_name})
    settings_row = RecordsSettings.objects.filter(authority=authority).first()
    subject = requester_kind != AccessRequest.Requester.OTHER
    with transaction.atomic():
        access_request = AccessRequest.objects.create(
            authority=authority, student=student, requester_kind=requester_kind,
            requester_name=requester_name.strip(), requester_user=requester_user, relation=relation.strip(),
            asked_for=asked_for.strip(), received_on=received_on,
            deadline_on=AccessRequest.deadline_for(received_on, subject=subject, settings_row=settings_row),
            registered_by=by)
        _log(request, "created", access_request, detail=f"{requester_kind}: {requester_name.strip()}")
    return access_request


def request_collect(*, access_request: AccessRequest, by: User, request=None) -> int:
    """Gather every record of the student into the checklist; records found since are added, decisions kept.
    Returns how many items were added."""
    records = collect.records_of(access_request.student)
    with transaction.atomic():
        locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        locked.require_open()
        known = set(locked.items.values_list("key", flat=True))
        start = locked.items.count()
        new = [RequestItem(request=locked, position=start + n, key=rec.key, kind=rec.kind, title=rec.title[:300],
                           dated=rec.dated, whole_file=rec.file is not None)
               for n, rec in enumerate(r for r in records if r.key not in known)]
        RequestItem.objects.bulk_create(new)
        if locked.status == AccessRequest.Status.REGISTERED or locked.reviewer_id is None:
            locked.status, locked.reviewer = AccessRequest.Status.IN_REVIEW, by
            locked.save(update_fields=["status", "reviewer"])
        _log(request, "changed", access_request, detail=f"collected {len(new)} records")
    return len(new)


def item_review(*, item: RequestItem, by: User, decision: str, legal_basis: str, reason: str,
                strikes: list[dict], request=None) -> None:
    """The reviewer's decision on one record; struck passages must be in the record's texts as they are now."""
    rec = collect.record_for(item.request.student, item.key)
    if rec is None and (decision != RequestItem.Decision.WITHHOLD or strikes):
        raise Refused(_("The record is no longer there: it can only be marked as withheld."))
    for strike in strikes:
        if not package.strike_fits(rec, strike):
            raise Refused(_("“%(passage)s” is not in the text. Copy the passage exactly as it stands.")
                          % {"passage": strike.get("passage", "")[:80]})
    with transaction.atomic():
        locked = RequestItem.objects.select_for_update().select_related("request__student__school").get(pk=item.pk)
        locked.review(by=by, decision=decision, legal_basis=legal_basis, reason=reason, strikes=strikes)
        locked.save()
        _log(request, "changed", locked.request,
             detail=f"{locked.key}: {decision}" + (f" ({len(strikes)} struck)" if strikes else ""))


def request_release(*, access_request: AccessRequest, by: User, request=None) -> ReleasePackage:
    """Build the package from the records as they are now, and answer the request with it."""
    items = list(access_request.items.all())
    if not items:
        raise Refused(_("Collect the student's records first."))
    if any(item.decision == RequestItem.Decision.PENDING for item in items):
        raise Refused(_("Review every record before the answer is released."))
    access_request.require_open()
    built = package.build(access_request, items, released_by=by)  # slow: outside the transaction
    with transaction.atomic():
        locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
        locked.require_open()
        release = ReleasePackage(request=locked, sha256=built.sha256)
        release.pdf.save("package.pdf", ContentFile(built.pdf), save=False)
        release.data.save("package.json", ContentFile(built.json), save=False)
        try:
            release.save()
            locked.status, locked.released_on, locked.released_by = (
                AccessRequest.Status.RELEASED, timezone.localdate(), by)
            locked.save(update_fields=["status", "released_on", "released_by"])
            counts = {d: sum(1 for i in items if i.decision == d) for d in RequestItem.Decision.values}
            _log(request, "changed", locked, detail="released: " + ", ".join(
                f"{d} {n}" for d, n in counts.items() if n))
        except Exception:
            release.pdf.delete(save=False)
            release.data.delete(save=False)
            raise
    return release


# --- The records-officer grant (the Django admin) -----------------------------------------------------


def officer_grant(*, authority, user: User, request=None) -> RecordsOfficer:
    with transaction.atomic():
        grant, _created = RecordsOfficer.objects.get_or_create(authority=authority, user=user)
        record(request, action="granted", object_type="records_officer", object_id=user.pk, detail=str(authority))
    return grant


def officer_revoke(*, grant: RecordsOfficer, request=None) -> None:
    with transaction.atomic():
        record(request, action="revoked", object_type="records_officer", object_id=grant.user_id,
               detail=str(grant.authority))
        grant.delete()


# --- Retention: the rules, the daily job, the hand-over, the destruction list ------------------------------


def _log_authority(request, action: str, object_type: str, object_id, authority, detail: str = "") -> None:
    record(request, action=action, object_type=object_type, object_id=object_id, detail=f"{authority}: {detail}")


def rule_set(*, authority, category: str, case_type: str, action: str, years: int, by: User,
             request=None) -> RetentionRule:
    """Set one rule of the authority's retention table (a person-case rule may name a case type)."""
    case_type = case_type.strip() if category == RetentionRule.Category.PERSON_CASE else ""
    if category in retention.PRESERVED_BY_LAW and action != RetentionRule.Action.PRESERVE:
        raise Refused(_("These records are preserved by law (Riksarkivarens forskrift § 7-28): they are handed "
                        "over to the archive, never destroyed."))
    if category in retention.DESTROY_ONLY and action != RetentionRule.Action.DESTROY:
        raise Refused(_("The access log is not handed over to the archive: it can only be destroyed."))
    with transaction.atomic():
        rule, _created = RetentionRule.objects.update_or_create(
            authority=authority, category=category, case_type=case_type,
            defaults={"action": action, "years": years})
        _log_authority(request, "changed", "retention_rule", rule.pk, authority,
                       f"{category} {case_type}: {action} {years}".replace("  ", " "))
    return rule


def rule_remove(*, rule: RetentionRule, request=None) -> None:
    """Back to the default (or, for a case type, to the rule for every other person case)."""
    with transaction.atomic():
        _log_authority(request, "deleted", "retention_rule", rule.pk, rule.authority, str(rule))
        rule.delete()


def retention_run(*, authority, today=None, request=None) -> retention.Report:
    """The daily job: what is due under the authority's table. Records due for destruction go on the
    authority's destruction list, awaiting a records officer's approval; students due for hand-over are
    listed for the officer. Deletes nothing."""
    report = retention.due_report(authority, today)
    if not report.destroy:
        return report
    with transaction.atomic():
        awaiting, _created = DestructionList.objects.select_for_update().get_or_create(
            authority=authority, status=DestructionList.Status.AWAITING)
        held = set(DestructionItem.objects.filter(destruction_list__authority=authority, held_back=True)
                   .values_list("key", flat=True))
        new = [DestructionItem(destruction_list=awaiting, student=due.student, key=due.record.key,
                               kind=due.record.kind, title=due.record.title[:300], dated=due.record.dated,
                               rule=due.rule.describe()[:300], left_on=due.student.left_on, due_on=due.due_on)
               for due in report.destroy if due.record.key not in held]
        DestructionItem.objects.bulk_create(new, ignore_conflicts=True)
        _log_authority(request, "changed", "destruction_list", awaiting.pk, authority, f"proposed {len(new)}")
    return report


def handover_make(*, student: Student, by: User, request=None) -> HandOver:
    """Hand the student's preserved records over to the archive: the package is made and kept, and from now on
    the student's records are read-only (Student.archived_on)."""
    authority = authority_of(student)
    if student.archived_on is not None:
        raise Refused(_("The student's records are already handed over to the archive."))
    if not any(due.rule.preserve for due in retention.due_for_student(
            student, retention.Table(authority), timezone.localdate())):
        raise Refused(_("Nothing of this student is due for hand-over yet."))
    zipped, count = archive.handover_zip(student, authority, by=by)  # slow: outside the transaction
    with transaction.atomic():
        locked = Student.objects.select_for_update().get(pk=student.pk)
        if locked.archived_on is not None:
            raise Refused(_("The student's records are already handed over to the archive."))
        handover = HandOver(authority=authority, student=locked, record_count=count, made_by=by,
                            sha256=hashlib.sha256(zipped).hexdigest())
        handover.package.save("handover.zip", ContentFile(zipped), save=False)
        try:
            handover.save()
            locked.archived_on = timezone.localdate()
            locked.save(update_fields=["archived_on"])
            record(request, action="changed", object_type="archive_handover", object_id=handover.pk,
                   student=locked, school=locked.school, detail=f"handed over {count} records")
        except Exception:
            handover.package.delete(save=False)
            raise
    student.archived_on = locked.archived_on
    return handover


def item_hold_back(*, item: DestructionItem, reason: str, request=None) -> None:
    """Keep one record off the list (a complaint, a lawsuit): it is not destroyed and not proposed again."""
    if not reason.strip():
        raise Refused(_("Say why the record is held back."))
    with transaction.atomic():
        locked = DestructionItem.objects.select_for_update().select_related("destruction_list").get(pk=item.pk)
        locked.destruction_list.require_awaiting()
        locked.held_back, locked.held_reason = True, reason.strip()[:300]
        locked.save(update_fields=["held_back", "held_reason"])
        record(request, action="changed", object_type="destruction_list", object_id=locked.destruction_list_id,
               student=locked.student, detail=f"held back {locked.key}")


def destruction_approve(*, destruction_list: DestructionList, by: User, request=None) -> int:
    """The records officer approves the list: every record on it that is still due is deleted, and its item
    stays as the tombstone. Records no longer due (the student came back, a rule changed) are left as they
    are and dropped from the list. Returns how many were destroyed."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
        locked.require_awaiting()
        items = list(locked.items.filter(held_back=False).select_related("student__school"))
        still_due = _still_due(locked.authority, items, today)
        now = timezone.now()
        destroyed = 0
        for item in items:
            if item.key not in still_due:
                item.delete()
            elif _erased(item, still_due[item.key]):
                item.destroyed_at = now
                item.save(update_fields=["destroyed_at"])
                record(request, action="deleted", object_type="retention", object_id=item.key,
                       student=item.student, school=item.student.school, detail=item.rule)
                destroyed += 1
        locked.status, locked.approved_by, locked.approved_at = DestructionList.Status.DESTROYED, by, now
        locked.save(update_fields=["status", "approved_by", "approved_at"])
        _log_authority(request, "changed", "destruction_list", locked.pk, locked.authority,
                       f"approved: destroyed {destroyed}")
    return destroyed


def _erased(item: DestructionItem, due: retention.Due) -> bool:
    """Erase one record; a document an application still uses is held back instead (with the reason)."""
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the rest of the approval standing
            _erase(item, due)
    except DocumentInUse:
        item.held_back, item.held_reason = True, _("Attached to an application: kept with it.")
        item.save(update_fields=["held_back", "held_reason"])
        return False
    return True


def _still_due(authority, items: list[DestructionItem], today) -> dict[str, retention.Due]:
    table = retention.Table(authority)
    due = {}
    for student in {item.student for item in items}:  # read inside the approval's transaction: current
        for found in retention.due_for_student(student, table, today):
            if not found.rule.preserve:
                due[found.record.key] = found
    return {item.key: due[item.key] for item in items if item.key in due}


def _erase(item: DestructionItem, due: retention.Due) -> None:
    """Delete one record's content and files, through the service of the app that holds it."""
    pk = item.key.partition(":")[2]
    erase = {
        "iko_signal": lambda: followup_services.erase_for_retention(signal_ids=[int(pk)]),
        "iko_talk": lambda: followup_services.erase_for_retention(talk_ids=[int(pk)]),
        "iko_plan": lambda: followup_services.erase_for_retention(plan_ids=[int(pk)]),
        "person_case": lambda: case_services.erase_for_retention(case_ids=[int(pk)]),
        "case_attachment": lambda: case_services.erase_for_retention(attachment_ids=[int(pk)]),
        "document": lambda: document_services.erase_for_retention(document_ids=[int(pk)]),
        "access_log": lambda: _erase_trail(item.student_id, before=retention.start_of(due.due_on)),
    }.get(item.kind)
    if erase is None:  # the kinds preserved by law have no way to be destroyed
        raise Refused(_("%(title)s is preserved by law and cannot be destroyed.") % {"title": item.title})
    erase()


def _erase_trail(student_id: int, *, before) -> None:
    """The access log and the text history (who saved which version when) are one trail: they go together.
    The texts themselves (IOP, application) are preserved by law and stay as they stand."""
    erase_events(student_id=student_id, before=before)
    history_services.erase_for_student(student_id=student_id, before=before)


def settings_save(*, authority, subject_deadline_days: int, other_deadline_days: int, complaint_text: str,
                  words: dict[str, list[str]], request=None) -> None:
    """The records officer's settings for the authority: deadlines and complaint text (RecordsSettings), and
    the authority's own words for the free-text warning (accounts.guidance)."""
    with transaction.atomic():
        RecordsSettings.objects.update_or_create(authority=authority, defaults={
            "subject_deadline_days": subject_deadline_days, "other_deadline_days": other_deadline_days,
            "complaint_text": complaint_text.strip()})
        _log_authority(request, "changed", "records_settings", authority.pk, authority,
                       f"deadlines {subject_deadline_days}/{other_deadline_days}")
        for language, listed in words.items():
            guidance_words_replace(owner_name=authority.name, language=language, words=listed, request=request)
