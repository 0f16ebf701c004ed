"""The access log: who did what to which record, when and from where (append-only).

Retention deletion is the one exception, see audit.log.erase_events.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an access event."""


class AccessEventQuerySet(models.QuerySet):
    """Bulk writes are refused: events are only ever added."""

    def update(self, **kwargs):
        raise AppendOnlyError("Access events cannot be changed.")

    update.alters_data = True

    def delete(self):
        raise AppendOnlyError("Access events cannot be deleted.")

    delete.alters_data = True
    delete.queryset_only = True


def _loose_link(to: str, verbose_name) -> models.ForeignKey:
    """A foreign key that outlives its target.

    The log must neither block deleting a user, student or school (the admin's
    deletion and GDPR erasure must work) nor forget which one an event was
    about. SET_NULL would rewrite old events; PROTECT would block the
    deletion. So: no database constraint and DO_NOTHING — the raw id stays,
    ids are never reused (AUTOINCREMENT / identity columns), and a dangling
    link simply reads as None through select_related. No single-column index:
    the composite (x, -at) indexes below lead with the column.
    """
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
    )


class AccessEvent(models.Model):
    """One access to, or attempt on, a record. Written only through `audit.log.record`."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("viewed")
        DOWNLOADED = "downloaded", _("downloaded")
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")
        GRANTED = "granted", _("granted")
        REVOKED = "revoked", _("revoked")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logged out")
        PASSWORD_CHANGED = "password_changed", _("changed password")
        PASSWORD_RESET = "password_reset", _("requested password reset")
        DENIED = "denied", _("denied")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = _loose_link(settings.AUTH_USER_MODEL, _("user"))
    # The username at the time, so the event stays readable after the user is deleted.
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    student = _loose_link("accounts.Student", _("student"))
    school = _loose_link("accounts.School", _("school"))
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at", "-pk"]
        # Django's internal updates (e.g. related-object handling) go through the guard too.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["student", "-at"], name="audit_event_student_at"),
            models.Index(fields=["school", "-at"], name="audit_event_school_at"),
            models.Index(fields=["user", "-at"], name="audit_event_user_at"),
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_event_object_at"),
        ]

    def __str__(self):
        who = self.username or "-"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.object_type} {self.object_id}".strip()

    # A guard, not business logic: an event is inserted once and never rewritten.
    def save(self, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Access events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access events cannot be deleted.")
