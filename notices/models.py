"""Notices: one row per recipient and event, shown in the app and (if wanted) sent by e-mail.

A notice holds what happened, the student's first name and a link — never anything else about
the student: it goes out by e-mail, and e-mail is no place for health-grade data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What happened. The labels name the event for the preferences page."""

    # To a guardian of a minor or the adult student.
    APPLICATION_TO_APPROVE = "application_to_approve", _("An application awaits my approval")
    PLAN_PUBLISHED_TO_FAMILY = "plan_published_to_family", _("An IOP is published to me")
    REPORT_PUBLISHED_TO_FAMILY = "report_published_to_family", _("An assessment or annual report is published to me")
    # To teachers.
    PLAN_PUBLISHED_TO_TEACHERS = "plan_published_to_teachers", _("An IOP is published to the student's teachers")
    ASSESSMENT_DUE = "assessment_due", _("An assessment is due")
    # To the IOP admins of the student's school.
    APPLICATION_ANSWERED = "application_answered", _("A guardian or student approved an application, or answered it")
    DEADLINE_PASSED = "deadline_passed", _("A deadline has passed")


class Notice(models.Model):
    """One event told to one user. (user, event, key) is unique, so an event is told once."""

    class EmailState(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NOT_WANTED = "not_wanted", _("Not wanted")
        NO_ADDRESS = "no_address", _("No e-mail address")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices",
                             verbose_name=_("recipient"))
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    # What the event is about, e.g. "plan:12:stage:3": the same key never notifies the same user twice.
    key = models.CharField(_("key"), max_length=200)
    # The student's first name and nothing more about them.
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    # A path inside the app (the e-mail makes it absolute with SITE_URL).
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(_("e-mail"), max_length=20, choices=EmailState.choices,
                                   default=EmailState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "key"], name="notice_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_state"]),
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.user}"

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


class Preference(models.Model):
    """Which events a user gets by e-mail. No row: every event (the in-app list always shows all)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notice_preference", verbose_name=_("user"))
    # The events the user has turned off for e-mail (so a new event is on by default).
    email_off = models.JSONField(_("events not sent by e-mail"), default=list, blank=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")

    def __str__(self):
        return str(self.user)

    def wants_email(self, event: str) -> bool:
        return event not in self.email_off
