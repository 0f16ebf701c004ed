"""Person cases (seed 004, like Sikker Sak): a student card in the case system, confidential cases on it,
and the events (journal notes) inside a case.

Access is per case and only by naming (cases/access.py). Nothing in a case is silently overwritten or
deleted: an event's text is corrected by a new version, and cases are closed, never removed (but by retention,
after a records officer approves the destruction: cases.services.erase_for_retention).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import Refused

# The defaults a school's list of case types starts with (the case creator edits the list).
DEFAULT_CASE_TYPES = [
    _("Concern about home conditions"),
    _("School environment (Education Act chapter 12)"),
    _("Report to the child welfare service"),
    _("Observation over time"),
    _("Absence"),
    _("Health"),
    _("Other"),
]


class CaseType(models.Model):
    """One of a school's case types (sakstype); retired types stay on the cases that have them."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="case_types")
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("case type")
        verbose_name_plural = _("case types")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="case_type_unique_per_school")]

    def __str__(self):
        return self.name


class CaseStudent(models.Model):
    """The student registered in the case system (the seed's first step), before any case."""

    student = models.OneToOneField("accounts.Student", on_delete=models.PROTECT, related_name="case_card")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+")
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("student in the case system")
        verbose_name_plural = _("students in the case system")

    def __str__(self):
        return str(self.student)


class Case(models.Model):
    """A person case (personsak) about one student, read and written only by its handlers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Category(models.TextChoices):
        SCHOOL_ENVIRONMENT = "school_environment", _("School environment and wellbeing")
        CARE = "care", _("Care and home conditions")
        HEALTH = "health", _("Health")
        LEARNING = "learning", _("Learning and development")
        ABSENCE = "absence", _("Absence")
        OTHER = "other", _("Other")

    card = models.ForeignKey(CaseStudent, on_delete=models.PROTECT, related_name="cases")
    # The school that keeps the case: the student's school when it was created.
    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="person_cases")
    case_type = models.ForeignKey(CaseType, verbose_name=_("case type"), on_delete=models.PROTECT,
                                  related_name="cases")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    description = models.CharField(_("short description"), max_length=300)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), on_delete=models.PROTECT,
                                related_name="handled_cases")
    co_handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="CoHandler",
                                         through_fields=("case", "user"), related_name="co_handled_cases")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("person case")
        verbose_name_plural = _("person cases")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self):
        return _("Case %(number)s") % {"number": self.pk}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def require_open(self) -> None:
        if not self.is_open:
            raise Refused(_("The case is closed. Nothing more can be added to it."))

    def close(self, *, by, note: str) -> None:
        self.require_open()
        if not note.strip():
            raise Refused(_("Write a closing note: why the case is closed and what was done."))
        self.status, self.closing_note = self.Status.CLOSED, note.strip()
        self.closed_on, self.closed_by = timezone.localdate(), by

    def hand_over(self, *, to) -> None:
        """A new handler; a co-handler who becomes the handler is no longer listed twice."""
        self.require_open()
        if to.pk == self.handler_id:
            raise Refused(_("%(name)s is already the handler.") % {"name": to})
        self.handler = to


class CoHandler(models.Model):
    """Named on a case by its creator or handler; removing the row takes the access away at once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="co_handler_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-handler")
        verbose_name_plural = _("co-handlers")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="co_handler_unique")]


class Event(models.Model):
    """An event (hendelse) in a case. It has no other home than its case: `case` is never null, and there is
    no other way to make one (the seed: an event on the student card ends up where everyone sees it)."""

    class Category(models.TextChoices):
        OBSERVATION = "observation", _("Observation")
        CONVERSATION = "conversation", _("Conversation with the student")
        MEETING = "meeting", _("Meeting")
        GUARDIANS = "guardians", _("Contact with the guardians")
        AGENCY = "agency", _("Contact with another agency")
        OTHER = "other", _("Other")

    class Kind(models.TextChoices):
        NOTE = "note", _("Journal note")
        INCOMING = "incoming", _("Message or document received")
        OUTGOING = "outgoing", _("Message or document sent")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Event %(number)s") % {"number": self.pk}


class EventVersion(models.Model):
    """What an event says. A correction is a new version; earlier versions stay and are shown to the handlers."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    category = models.CharField(_("category"), max_length=20, choices=Event.Category.choices)
    kind = models.CharField(_("type of event"), max_length=20, choices=Event.Kind.choices, default=Event.Kind.NOTE)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event version")
        verbose_name_plural = _("event versions")
        ordering = ["event", "number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="event_version_unique")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise Refused(_("A saved text is never changed; write a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Refused(_("A saved text is never deleted; write a correction."))


def attachment_name(attachment: "Attachment", filename: str) -> str:
    """A generated name: the user's file name never reaches the disk."""
    return f"cases/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    """A PDF attached to an event, cleaned like every upload (documents.sanitize)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=attachment_name, max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    page_count = models.PositiveIntegerField(_("pages"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.title
