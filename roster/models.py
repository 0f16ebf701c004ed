"""Roster imports, the link from the source system's ids to our rows, and the school results brought in."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import Refused


def stored_name(run: "ImportRun", filename: str) -> str:
    """A generated name: the uploaded file's name never reaches the disk."""
    return f"roster/{uuid.uuid4().hex}.zip"


class ImportRun(models.Model):
    """One upload (or command run): checked first, then applied as one transaction, or not at all."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked, ready to apply")
        REJECTED = "rejected", _("Has errors, nothing changed")
        APPLYING = "applying", _("Being applied")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed, nothing changed")
        DISCARDED = "discarded", _("Discarded")

    # None: every school in the export (a system administrator); else the one school it may touch.
    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("school"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # The uploader's language: the check runs in the background and writes its messages in it.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    # Kept only until the run is applied, rejected or discarded (it holds identity numbers).
    file = models.FileField(_("uploaded file"), upload_to=stored_name, max_length=200, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    files = models.JSONField(_("files"), default=list, help_text=_("Name, size and SHA-256 of each file read."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(_("step"), max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    summary = models.JSONField(_("summary"), default=dict)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("applied by"))
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.APPLYING)

    @property
    def can_apply(self) -> bool:
        return self.status == self.Status.CHECKED

    @property
    def error_count(self) -> int:
        return self.summary.get("error_count", 0)

    @property
    def percent_done(self) -> int:
        return min(100, 100 * self.progress_done // self.progress_total) if self.progress_total else 0

    def begin_apply(self, user) -> None:
        if not self.can_apply:
            raise Refused(_("Only a checked import without errors can be applied."))
        self.status = self.Status.APPLYING
        self.applied_by = user
        self.step = ""
        self.progress_done = self.progress_total = 0

    def discard(self) -> None:
        if self.status not in (self.Status.CHECKED, self.Status.REJECTED, self.Status.FAILED):
            raise Refused(_("Only an import that has not been applied can be discarded."))
        self.status = self.Status.DISCARDED


class SourceLink(models.Model):
    """The source system's `sourcedId` of one of our rows: how an import finds it again, never by name.

    Only the import writes and reads these; they mark what it owns (a relation made by hand is never
    ended by an import).
    """

    class Kind(models.TextChoices):
        SCHOOL = "school", _("school")
        USER = "user", _("user")
        STUDENT = "student", _("student")
        # Relations the import made (or found as the export says): only these does it ever end.
        # Their id is made of the people's: "user|school|role" and "guardian|student".
        MEMBERSHIP = "membership", _("staff membership")
        GUARDIANSHIP = "guardianship", _("guardianship")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    sourced_id = models.CharField(_("id in the school administration system"), max_length=255)
    object_id = models.BigIntegerField(_("id here"))

    class Meta:
        verbose_name = _("link to the school administration system")
        verbose_name_plural = _("links to the school administration system")
        constraints = [
            models.UniqueConstraint(fields=["kind", "sourced_id"], name="source_link_unique_id"),
            models.UniqueConstraint(fields=["kind", "object_id"], name="source_link_unique_object"),
        ]

    def __str__(self):
        return f"{self.kind} {self.sourced_id} → {self.object_id}"


class Grade(models.Model):
    """A grade from the school administration system (half-year, final, exam, or from lower secondary)."""

    class Term(models.TextChoices):
        T1 = "T1", _("first half-year")
        T2 = "T2", _("second half-year")
        FINAL = "standpunkt", _("final assessment")
        EXAM = "eksamen", _("exam")
        ADMISSION = "inntak", _("admission (lower secondary)")

    GRADES = ["1", "2", "3", "4", "5", "6", "IV"]

    student = models.ForeignKey("accounts.Student", on_delete=models.CASCADE, related_name="grades",
                                verbose_name=_("student"))
    subject = models.ForeignKey("accounts.Subject", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("subject"))
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    term = models.CharField(_("term"), max_length=10, choices=Term.choices)
    grade = models.CharField(_("grade"), max_length=2, choices=[(g, g) for g in GRADES])

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.UniqueConstraint(fields=["student", "subject", "school_year", "term"], name="grade_unique"),
        ]


class Absence(models.Model):
    """A student's absence over a period, documented or not, in all subjects or in one."""

    class Kind(models.TextChoices):
        DOCUMENTED = "documented", _("documented")
        UNDOCUMENTED = "undocumented", _("undocumented")

    student = models.ForeignKey("accounts.Student", on_delete=models.CASCADE, related_name="absences",
                                verbose_name=_("student"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # Empty: all subjects together.
    subject_code = models.CharField(_("subject code"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    percent = models.DecimalField(_("absence (%)"), max_digits=5, decimal_places=2)
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1, null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absence")
        constraints = [
            models.UniqueConstraint(fields=["student", "period_start", "period_end", "subject_code", "kind"],
                                    name="absence_unique"),
        ]


class Admission(models.Model):
    """How a new upper-secondary student was admitted: grade average from lower secondary, and which choice."""

    class Choice(models.TextChoices):
        FIRST = "first", _("first choice")
        LOWER = "lower", _("lower than first choice")

    student = models.ForeignKey("accounts.Student", on_delete=models.CASCADE, related_name="admissions",
                                verbose_name=_("student"))
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("school year"))
    grade_average = models.DecimalField(_("grade average"), max_digits=3, decimal_places=2)
    choice = models.CharField(_("admitted on"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="admission_unique")]
