"""Access requests: registered, collected into a checklist, reviewed item by item, released as a package.

Every change is logged (audit.log.record) against the request, with the student: who registered, who
reviewed which record how, what was released, withheld or struck out, and when.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import Refused
from accounts.models import Student, User
from audit.log import record

from . import collect, package
from .access import REQUEST, authority_of
from .models import AccessRequest, RecordsOfficer, RecordsSettings, ReleasePackage, RequestItem


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
