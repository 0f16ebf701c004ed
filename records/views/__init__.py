"""The records pages (records/urls.py names them): access requests, the student's dossier, retention."""

from .dossier import dossier, dossier_download, dossier_students
from .requests import home, receipt, register, register_student
from .retention import (
    authority_settings,
    destruction_approve,
    destruction_list,
    handover,
    handover_download,
    item_hold_back,
    retention_home,
    rule_edit,
    rule_remove,
    run_now,
)
from .review import collect_records, item_review, package_json, package_pdf, release, request_detail

__all__ = ["authority_settings", "collect_records", "destruction_approve", "destruction_list", "dossier", "dossier_download",
           "dossier_students", "handover", "handover_download", "home", "item_hold_back", "item_review",
           "package_json", "package_pdf", "receipt", "register", "register_student", "release", "request_detail",
           "retention_home", "rule_edit", "rule_remove", "run_now"]
