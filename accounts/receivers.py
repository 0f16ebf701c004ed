"""Whose page header must be read afresh when a role changes (accounts/header.py)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .header import forget_header
from .models import Guardianship, SchoolUserObjectPermission, StaffMembership, Student, User

# Each model that gives a role, and the field naming whose role it is.
ROLE_HOLDERS = {
    StaffMembership: "user_id",
    Guardianship: "guardian_id",
    SchoolUserObjectPermission: "user_id",
    Student: "user_id",
    User: "pk",
}


def role_changed(sender, instance, **kwargs) -> None:
    user_id = getattr(instance, ROLE_HOLDERS[sender])
    if user_id:
        # After the commit: a page read before it would cache the old roles under the new mark.
        transaction.on_commit(lambda: forget_header(user_id))


def connect() -> None:
    for model in ROLE_HOLDERS:
        post_save.connect(role_changed, sender=model, dispatch_uid=f"header-{model.__name__}-saved")
        post_delete.connect(role_changed, sender=model, dispatch_uid=f"header-{model.__name__}-deleted")
