"""The records pages (records/urls.py names them): access requests and the student's dossier."""

from .dossier import dossier, dossier_download, dossier_students
from .requests import home, receipt, register, register_student
from .review import collect_records, item_review, package_json, package_pdf, release, request_detail

__all__ = ["collect_records", "dossier", "dossier_download", "dossier_students", "home", "item_review",
           "package_json", "package_pdf", "receipt", "register", "register_student", "release", "request_detail"]
