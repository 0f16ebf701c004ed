"""The IKO follow-up's changes: each in one transaction, each logged with `audit.log.record` (architecture §2)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.exceptions import Refused
from accounts.models import School, SchoolYear, Student
from applications.services import application_create, application_set_attachments
from documents.sanitize import sanitize_pdf
from documents.services import document_create
from audit.log import record

from .models import SEED_MEETINGS, Measure, MeasureNote, Meeting, MeetingDecision, Plan, Resource, Signal, Talk
from .rules import find_signals

RULES_RUN = "iko_rules"


def signals_find(*, school, by=None, request=None, today=None) -> dict:
    """Run the identification rules for one school; one access-log event when anything new was found.

    Two runs for the same school wait for each other (the school row is locked), so the second finds
    what the first created instead of colliding with it. Returns the new signals per rule.
    """
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()
        counts = find_signals(school=school, today=today)
        if any(counts.values()):
            record(request, action="created", object_type=RULES_RUN, object_id=school.pk, school=school, user=by,
                   detail=counts_line(counts))
    return counts


def counts_line(counts: dict) -> str:
    """`absence: 3, core_grade: 1`: the rules that found something, for the log and the command."""
    return ", ".join(f"{rule}: {n}" for rule, n in counts.items() if n) or "nothing new"


# --- Signals, talks and plans: every change in a transaction, logged with the student ------------


def concern_report(*, student, rule: str, text: str, by, request=None) -> Signal:
    """A teacher's concern about a critical factor (seed 002): a signal for the contact teacher and the team."""
    if rule not in Signal.CONCERNS:
        raise Refused(_("Choose what worries you."))
    with transaction.atomic():
        signal = Signal.objects.create(student=student, school_year=SchoolYear.objects.current(create=True),
                                       rule=rule, reported_by=by, text=text)
        record(request, action="created", object_type="iko_signal", object_id=signal.pk, student=student)
    return signal


def signal_assess(*, signal: Signal, by, take: bool, reason: str = "", request=None) -> None:
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        signal.assess(by=by, take=take, reason=reason)
        signal.save(update_fields=["status", "dismiss_reason", "assessed_by", "assessed_on"])
        record(request, action="changed", object_type="iko_signal", object_id=signal.pk, student=signal.student,
               detail=signal.status)


def record_saved(form, *, object_type: str, student=None, school=None, request=None, created: bool = False):
    """Save a form (a talk or a measure of a student; a meeting, resource or approach of the school) and log it,
    in one transaction."""
    with transaction.atomic():
        saved = form.save()
        record(request, action="created" if created else "changed", object_type=object_type, object_id=saved.pk,
               student=student, school=school)
    return saved


def plan_create(*, student, by, request=None) -> Plan:
    with transaction.atomic():
        Student.objects.select_for_update().get(pk=student.pk)  # two clicks make one plan
        if Plan.objects.filter(student=student).exclude(status=Plan.Status.EVALUATED).exists():
            raise Refused(_("The student already has a follow-up plan that is not evaluated."))
        plan = Plan.objects.create(student=student, school_year=SchoolYear.objects.current(create=True),
                                   created_by=by)
        record(request, action="created", object_type="iko_plan", object_id=plan.pk, student=student)
    return plan


def plan_change(*, plan: Plan, change, fields: list[str], request=None, detail: str = "") -> None:
    """Lock the plan, apply `change(locked_plan)` (a model method that may refuse), save, log."""
    with transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("student").get(pk=plan.pk)
        if not locked.is_editable:
            raise Refused(_("The plan is evaluated and can no longer be changed."))
        change(locked)
        locked.save(update_fields=fields)
        record(request, action="changed", object_type="iko_plan", object_id=locked.pk, student=locked.student,
               detail=detail)


REFERRAL_TITLE = "IKO: kartlegging og oppfølgingsplan"  # the attachment's title, as the IOP admins see it


def plan_evaluate(*, plan: Plan, outcome: str, note: str, by, request=None, mapping_pdf: bytes | None = None) -> Plan:
    """End the plan. A referral to special education makes a draft application for the IOP admins, with the
    mapping and the plan (`mapping_pdf`, from followup.pdfs.referral_pdf) attached as one of the student's
    documents (not visible to teachers)."""
    if outcome == Plan.Outcome.REFERRAL and mapping_pdf is None:
        raise Refused(_("A referral needs the mapping attached."))
    with transaction.atomic():
        locked = Plan.objects.select_for_update().select_related("student").get(pk=plan.pk)
        locked.evaluate(outcome=outcome, note=note)
        fields = ["status", "outcome", "outcome_note", "evaluated_on"]
        if outcome == Plan.Outcome.REFERRAL:
            locked.referral = application_create(student=locked.student, by=by, request=request,
                                                 school_year=SchoolYear.objects.current(create=True))
            mapping = document_create(student=locked.student, title=REFERRAL_TITLE, visible_to_teachers=False,
                                      pdf=sanitize_pdf(mapping_pdf), by=by, request=request)
            application_set_attachments(application=locked.referral, documents=[mapping])
            fields.append("referral")
        locked.save(update_fields=fields)
        record(request, action="changed", object_type="iko_plan", object_id=locked.pk, student=locked.student,
               detail=f"evaluated: {outcome}")
    return locked


def measure_note_add(*, measure: Measure, text: str, by, request=None) -> MeasureNote:
    with transaction.atomic():
        note = MeasureNote.objects.create(measure=measure, written_by=by, text=text)
        record(request, action="created", object_type="iko_measure_note", object_id=note.pk,
               student=measure.plan.student)
    return note


# --- The team's year ---------------------------------------------------------------------------


def meetings_create(*, school, school_year, request=None) -> list[Meeting]:
    """The year's meetings, from the school's themes of last year where it has them, else the seed's."""
    with transaction.atomic():
        School.objects.select_for_update().get(pk=school.pk)  # two clicks make one calendar
        if Meeting.objects.filter(school=school, school_year=school_year).exists():
            raise Refused(_("This school year's meetings are already made."))
        last_year = list(Meeting.objects.filter(school=school, school_year__start_year=school_year.start_year - 1)
                         .values_list("month", "themes"))
        meetings = Meeting.objects.bulk_create([
            Meeting(school=school, school_year=school_year, number=number, month=month, themes=themes)
            for number, (month, themes) in enumerate(last_year or SEED_MEETINGS, start=1)])
        record(request, action="created", object_type="iko_meetings", object_id=school_year.start_year, school=school)
    return meetings


def meeting_decide(*, meeting: Meeting, student, text: str, by, request=None) -> MeetingDecision:
    with transaction.atomic():
        decision = MeetingDecision.objects.create(meeting=meeting, student=student, text=text, decided_by=by)
        record(request, action="created", object_type="iko_decision", object_id=decision.pk, student=student)
    return decision


def team_object_delete(*, obj, object_type: str, request=None) -> None:
    """Delete a resource or a catalogue approach of the team's school, logged."""
    with transaction.atomic():
        record(request, action="deleted", object_type=object_type, object_id=obj.pk, school=obj.school,
               detail=str(obj))
        obj.delete()


# --- Retention ---------------------------------------------------------------------------------


def erase_for_retention(*, signal_ids=(), talk_ids=(), plan_ids=()) -> int:
    """Delete these signals, talks and plans (a plan's measures, their notes and named responsibles go with it);
    return how many of them were deleted. Unknown ids are skipped.

    For the records service's destruction only: it has decided access and logs each destruction, so
    nothing is logged here. Nothing links signals, talks and plans to each other, so the order is free.
    A plan's referral (a draft application with the mapping attached) is the applications' record and stays.
    """
    with transaction.atomic():
        return sum(_erase(model, ids) for model, ids in ((Signal, signal_ids), (Talk, talk_ids), (Plan, plan_ids)))


def _erase(model, ids) -> int:
    _total, by_model = model.objects.filter(pk__in=list(ids)).delete()
    return by_model.get(model._meta.label, 0)
