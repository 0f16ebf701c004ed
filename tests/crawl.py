"""Walking every URL of the project with real (or forged) objects: shared by the crawler-style tests."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.services import case_creator_grant
from applications.models import Authority
from applications.services import decision_register
from records.models import DestructionItem, DestructionList, HandOver, RetentionRule
from records.services import officer_grant, request_collect, request_register
from cases.services import card_register, case_create, case_types_of, event_create
from documents.sanitize import sanitize_pdf

from .applications.factories import ApplicationFactory, ApplicationSubjectFactory, SchoolBatchFactory
from .factories import DocumentFactory, SubjectFactory, blank_pdf
from .followup.factories import iko_objects
from .roster.factories import ImportRunFactory
from .iop.factories import AnnexRowFactory, GoalFactory, LogEntryFactory, PlanFactory, PlanSubjectFactory
from .notices.factories import NoticeFactory

SKIP_PREFIXES = ("admin/", "i18n/", "logg-inn/", "logg-ut/")
FORGED = 999999

# Valid values for the str/slug kwargs, as found in the views; "x" is the junk value.
STR_VALUES = {
    "kind": {
        "iop:assessment_edit": ["halvar", "ar"],
        "iop:plan_download": ["iop", "halvar", "arsrapport", "vedlegg"],
        "followup:talk_add": ["startup", "mapping"],
        # The crawl's pk is the plan (pk_key): its two texts; the other kinds meet whatever has that pk.
        **{f"history:{page}": ["del1", "arsrapport", "fag", "mal", "logg", "vedlegg", "soknad"]
           for page in ("versions", "difference", "restore")},
    },
    "change": {"followup:plan_state": ["start", "share"]},
    "what": {"followup:team_object_delete": ["resource", "approach"]},
    "fmt": {"records:dossier_download": ["pdf", "json"]},
    "code": {"curriculum:goal_page": ["KM13328"]},  # a goal of the shipped goal bank
    "action": {"accounts:school_access_change": ["grant", "revoke", "grant_iko", "revoke_iko", "grant_cases",
                                                 "revoke_cases"],
               "cases:case_type_toggle": ["retire", "restore"]},
}


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(SKIP_PREFIXES):
                continue
            yield from walk(p.url_patterns, route, f"{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern):
            if route.startswith(SKIP_PREFIXES) or not p.name:
                continue
            yield namespace + p.name, p.pattern.converters


def pk_key(name):
    """Which fixture object a `pk` kwarg means, by URL name."""
    if name.startswith("roster:"):
        return "roster_import"
    if name.startswith("notices:"):
        return "notice"
    if name.startswith("history:"):
        return "plan"
    if name.startswith("records:"):
        return {"records:item": "request_item", "records:rule_remove": "retention_rule",
                "records:handover_download": "handover", "records:destruction_list": "destruction_list",
                "records:destruction_approve": "destruction_list",
                "records:item_hold_back": "destruction_item"}.get(name, "access_request")
    if name.startswith("cases:"):
        return {"cases:case_type_toggle": "case_type", "cases:event_correct": "case_event",
                "cases:attachment": "case_attachment"}.get(name, "person_case")
    if name.startswith("followup:"):
        return {"followup:signal_assess": "iko_signal", "followup:measure_edit": "iko_measure",
                "followup:measure_note": "iko_measure", "followup:meeting": "iko_meeting",
                "followup:meeting_decide": "iko_meeting", "followup:resource_edit": "iko_resource",
                "followup:team_object_delete": "iko_resource"}.get(name, "iko_plan")
    name = name.split(":")[-1]
    if name.startswith(("annex_row_",)) or name == "annex_move":
        return "annex_row"
    if name.startswith(("document_",)):
        return "document"
    if name.startswith(("application_",)):
        return "application"
    if name.startswith(("decision_",)):
        return "decision"
    if name.startswith(("batch_",)):
        return "batch"
    if name.startswith(("plan_", "report_")) or name in ("annex", "log_add"):
        return "plan"
    if name.startswith(("subject_", "assessment_")) or name in ("goals_done", "goal_add"):
        return "plan_subject"
    if name in ("goal_edit", "goal_delete", "goal_move"):
        return "goal"
    if name == "log_edit":
        return "log"
    raise AssertionError(f"no pk mapping for {name}")


INT_KWARGS = {"student_pk": "minor", "school_pk": "school_a", "user_pk": "teacher", "application_pk": "application",
              "plan_pk": "iko_plan", "authority_pk": "authority"}


def kwarg_sets(name, converters, objects, forged=False):
    """All kwargs combinations to try for one URL name."""
    ints, strs = {}, {}
    for kw, conv in converters.items():
        if conv.regex == "[0-9]+":
            key = pk_key(name) if kw == "pk" else INT_KWARGS[kw]
            ints[kw] = FORGED if forged else objects[key].pk
        else:
            strs[kw] = STR_VALUES.get(kw, {}).get(name, []) + ["x"]
    combos = [dict(ints)]
    for kw, values in strs.items():
        combos = [{**c, kw: v} for c in combos for v in values]
    return combos


URLS = sorted(set((n, tuple(sorted(c.items()))) for n, c in walk(get_resolver().url_patterns)))


@pytest.fixture
def objects(admin, teacher, guardian, minor, school_a):
    application = ApplicationFactory(student=minor)
    ApplicationSubjectFactory(application=application, subject=SubjectFactory(code="MAT1019"))
    plan = PlanFactory(student=minor)
    plan_subject = PlanSubjectFactory(plan=plan, subject=SubjectFactory(code="MAT1019"))
    return {
        "minor": minor,
        "school_a": school_a,
        "teacher": teacher,
        "document": DocumentFactory(student=minor),
        "application": application,
        "decision": decision_register(student=minor, school_year=application.school_year, outcome="granted",
                                      decided_on=timezone.localdate(), reference="2026/7", by=admin),
        "batch": SchoolBatchFactory(school=school_a),
        "plan": plan,
        "plan_subject": plan_subject,
        "goal": GoalFactory(plan_subject=plan_subject),
        "log": LogEntryFactory(plan=plan, created_by=admin),
        "annex_row": AnnexRowFactory(plan=plan),
        "roster_import": ImportRunFactory(school=school_a, created_by=admin),
        "notice": NoticeFactory(user=admin),
        **iko_objects(minor, teacher),
        **case_objects(minor, handler=admin, co_handler=teacher),
        **records_objects(minor, officer=admin),
    }


def records_objects(student, *, officer) -> dict:
    """An access request about `student`, registered and collected by `officer`, who is also the records officer
    of the school's authority (so one user walks every page). Not released: building a package is slow."""
    authority = Authority.objects.get_or_create(name=student.school.owner_name, defaults={"kind": "county"})[0]
    officer_grant(authority=authority, user=officer)
    access_request = request_register(student=student, requester_kind="other", requester_name="Advokat Berg",
                                      requester_user=None, relation="advokat", asked_for="Alt",
                                      received_on=timezone.localdate(), by=officer)
    request_collect(access_request=access_request, by=officer)
    return {"access_request": access_request, "request_item": access_request.items.first(), "authority": authority,
            **retention_objects(student, authority)}


def retention_objects(student, authority) -> dict:
    """A rule of the authority's own, a destruction list awaiting approval with one item, and a hand-over
    package: made directly (the crawl is about access, not about making packages)."""
    rule = RetentionRule.objects.create(authority=authority, category="iko", action="destroy", years=2)
    destruction = DestructionList.objects.create(authority=authority)
    today = timezone.localdate()
    item = DestructionItem.objects.create(destruction_list=destruction, student=student, key=f"iko_signal:{FORGED}",
                                          kind="iko_signal", title="IKO-signal", rule="IKO: 2 år", left_on=today,
                                          due_on=today)
    handover = HandOver(authority=authority, student=student, record_count=0, sha256="0" * 64)
    handover.package.save("handover.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    handover.save()
    return {"retention_rule": rule, "destruction_list": destruction, "destruction_item": item, "handover": handover}


def case_objects(student, *, handler, co_handler) -> dict:
    """A person case about `student`: `handler` is also the school's case creator (so one user walks every
    page of the app), `co_handler` is named on it; one event with a PDF attachment."""
    case_creator_grant(school=student.school, user=handler)
    card_register(student=student, by=handler)
    case_type = case_types_of(student.school)[0]
    case = case_create(student=student, case_type=case_type, category="care", description="Bekymring",
                       handler=handler, co_handlers=[co_handler], by=handler)
    event = event_create(case=case, by=handler, category="observation", kind="note",
                         occurred_on=timezone.localdate(), title="Observasjon", text="Notat",
                         pdfs=[("Vedlegg", sanitize_pdf(blank_pdf()))])
    return {"person_case": case, "case_type": case_type, "case_event": event,
            "case_attachment": event.attachments.get()}
