"""The access log in words: a translatable label for every object type the apps write, and the fixed
details (a stage change, a PDF's kind, "row added") said readably. The codes stay in the log itself;
every app writes here, so the labels live with the log (tests/audit/test_issue17_labels.py finds every
object type in the code and fails when one has no label)."""

import re

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OBJECT_TYPES: dict[str, Promise] = {
    # accounts
    "user": _("user account"),
    "student": _("student"),
    "student_list": _("list of students"),
    "student_leaving_confirmed": _("student marked as leaving"),
    "guardianship": _("guardianship"),
    "school": _("school"),
    "guidance_words": _("guidance words"),
    "iop_admin_role": _("IOP-admin role"),
    "iko_team_role": _("IKO-team role"),
    "case_creator_role": _("case-creator role"),
    # documents
    "document": _("document"),
    "document_list": _("list of documents"),
    # roster
    "roster_import": _("roster import"),
    # curriculum (the goal bank: public data; only a refused staff page is logged)
    "goal_bank": _("goal bank"),
    # applications
    "application": _("application"),
    "application_list": _("list of applications"),
    "school_batch": _("school batch"),
    "decision": _("decision"),
    # iop
    "iop": _("IOP"),
    "iop_log": _("IOP log"),
    "iop_annex": _("certificate annex"),
    "iop_report": _("annual report"),
    "iop_pdf": _("IOP as PDF"),
    "plan_subject": _("IOP subject"),
    "goal": _("IOP goal"),
    "assessment": _("assessment"),
    "iop_overview": _("IOP overview of the school"),
    "iop_work_list": _("teacher's list of IOP work"),
    "iop_settings": _("IOP settings of the school"),
    # followup (IKO)
    "iko_student": _("IKO follow-up of the student"),
    "iko_overview": _("IKO overview"),
    "iko_signal": _("IKO signal"),
    "iko_rules": _("IKO identification rules"),
    "iko_concerns": _("IKO concerns"),
    "iko_talk": _("IKO talk"),
    "iko_startup_talks": _("IKO start-up talks"),
    "iko_plan": _("IKO follow-up plan"),
    "iko_measure": _("IKO measure"),
    "iko_measure_note": _("IKO measure follow-up"),
    "iko_meeting": _("IKO meeting"),
    "iko_meetings": _("IKO meetings"),
    "iko_decision": _("IKO meeting decision"),
    "iko_resource": _("IKO resource"),
    "iko_approach": _("IKO approach"),
    # cases
    "person_case": _("person case"),
    "person_case_card": _("student in the case system"),
    "person_case_list": _("list of person cases"),
    "person_case_type": _("case type"),
    "person_case_admin": _("person case (Django admin)"),
    # records
    "access_request": _("access request"),
    "access_request_list": _("list of access requests"),
    "dossier": _("the student's dossier"),
    "records_officer": _("records-officer role"),
    "retention": _("retention"),
    "retention_list": _("list of records due for retention"),
    "destruction_list": _("destruction list"),
    "archive_handover": _("archive hand-over"),
    # the Django admin (audit.admin_logging), where a class names its own type
    "admin:iop_admin_grant": _("IOP-admin role (Django admin)"),
    "admin:document_grant": _("download right (Django admin)"),
    # records.collect: what an access request's record is (its log type is "records:<kind>")
    "application_snapshot": _("approved application as it was approved"),
    "case_attachment": _("case attachment"),
    "access_log": _("access log"),
}

# Types made of a prefix and a code: records.collect's "records:<kind>" and the Django admin's
# default "admin:<app_label>.<model_name>" (audit.admin_logging).
PREFIXES: dict[str, Promise] = {
    "records:": _("%(what)s, in an access request"),
    "admin:": _("%(what)s (Django admin)"),
}

PDF_KINDS: dict[str, Promise] = {  # iop.views.report.PDF_KINDS: the kind in the URL
    "iop": _("IOP"),
    "halvar": _("Half-year assessment"),
    "arsrapport": _("Annual report"),
    "vedlegg": _("Annex to the certificate"),
}

DETAILS: dict[str, Promise] = {  # fixed details the services write
    "part 1": _("part 1"),
    "row added": _("row added"),
    "row changed": _("row changed"),
    "row deleted": _("row deleted"),
    "moved up": _("moved up"),
    "moved down": _("moved down"),
    "certificate notation": _("certificate notation"),
    "special-education subjects": _("special-education subjects"),
    "subjects transferred from the decision": _("subjects transferred from the decision"),
    "earlier school year opened for changes": _("earlier school year opened for changes"),
    "edited": _("edited"),
    "sent": _("sent"),
    "closed": _("closed"),
    "idle timeout": _("logged out after being idle"),
    "reset link": _("reset link"),
    "second factor set up": _("second factor set up"),
    "password set in admin": _("password set in the Django admin"),
}

STAGE_CHANGE = re.compile(r"^stage (\d+) → (\d+)$")
RESTORED = re.compile(r"^restored version of (.+)$")  # history.services.text_restore


def object_label(object_type: str) -> str:
    """The object type in words; an unknown code as it is."""
    if object_type in OBJECT_TYPES:
        return str(OBJECT_TYPES[object_type])
    for prefix, template in PREFIXES.items():
        if object_type.startswith(prefix):
            return str(template % {"what": _model_or_code(object_type.removeprefix(prefix))})
    return object_type


def _model_or_code(code: str) -> str:
    if code in OBJECT_TYPES:
        return str(OBJECT_TYPES[code])
    try:  # "app_label.model_name", as the Django admin writes it
        return str(apps.get_model(code)._meta.verbose_name)
    except (LookupError, ValueError):
        return code


def detail_label(object_type: str, detail: str) -> str:
    """The event's detail readably where it is a fixed code; free text (a title, a name) as it is."""
    if object_type == "iop_pdf" and detail in PDF_KINDS:
        return str(PDF_KINDS[detail])
    if stage := STAGE_CHANGE.match(detail):
        return str(_("publication stage %(old)s → %(new)s") % {"old": stage[1], "new": stage[2]})
    if restored := RESTORED.match(detail):
        return str(_("restored the version of %(when)s") % {"when": restored[1]})
    return str(DETAILS.get(detail, detail))
