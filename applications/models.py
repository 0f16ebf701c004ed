"""Student applications for special education, school batches and decisions (workflow steps 1–5)."""

import hashlib
import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import Refused


class Authority(models.Model):
    """The county or municipality that decides on special education (the batch's recipient)."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County")
        MUNICIPALITY = "municipality", _("Municipality")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.TextField(_("postal address"), blank=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Application(models.Model):
    """A student's application for special education in one school year."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        UNDER_PROCESSING = "under_processing", _("Under processing")
        GRANTED = "granted", _("Granted")
        REJECTED = "rejected", _("Rejected")

    student = models.ForeignKey("accounts.Student", on_delete=models.PROTECT, related_name="applications")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)

    expert_assessment_date = models.DateField(_("date of the expert assessment"), null=True, blank=True)
    expert_assessment_by = models.CharField(
        _("expert assessment by"), max_length=200, blank=True, help_text=_("E.g. PPT Fjordbyen.")
    )
    expert_assessment_summary = models.TextField(_("summary of the expert assessment"), blank=True)
    student_goal = models.TextField(_("the student's goal for the training"), blank=True)
    other_information = models.TextField(_("other information"), blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    # Set on approval: who approved which content, and the PDF they approved (what is sent).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_hash = models.CharField(max_length=64, blank=True)
    snapshot = models.FileField(upload_to="applications/", blank=True, max_length=200)

    batch = models.ForeignKey(
        "SchoolBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    sent_on = models.DateField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["student__last_name", "student__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year"], name="one_application_per_student_year"),
        ]
        # The IOP overview's applications waiting for approval, of one school, are found among the county's of
        # that year and status: without it PostgreSQL reads the year's every application (bench/explain.py).
        indexes = [models.Index(fields=["school_year", "status"], name="application_year_status")]

    def __str__(self):
        return f"{self.student} ({self.school_year})"

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.REGISTERED, self.Status.AWAITING_APPROVAL}

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.REGISTERED

    @property
    def is_locked_by_batch(self) -> bool:
        """Nothing in a sent batch changes (SchoolBatch.is_sent is the rule)."""
        return self.batch_id is not None and self.batch.is_sent

    def content_hash(self) -> str:
        """SHA-256 of everything an approver reads: approval is of this exact content."""
        content = {
            "student": self.student_id,
            "school_year": self.school_year_id,
            "expert_assessment": [
                self.expert_assessment_date.isoformat() if self.expert_assessment_date else "",
                self.expert_assessment_by,
                self.expert_assessment_summary,
            ],
            "student_goal": self.student_goal,
            "other_information": self.other_information,
            "subjects": [[s.subject.code, s.extent, s.organisation] for s in self.subjects.select_related("subject")],
            "attachments": [[a.document_id, a.document.sha256] for a in self.attachments.select_related("document")],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    # --- Transitions: each locks the row, checks the state and changes it. ---
    # Who may make them is decided by applications.access; the services log them.

    def publish(self) -> None:
        """Registered → awaiting approval: the student or guardians may now read and approve."""
        with transaction.atomic():
            locked = self._locked()
            locked._require({self.Status.REGISTERED}, _("Only a registered application can be published."))
            locked._set(status=self.Status.AWAITING_APPROVAL)
        self.refresh_from_db()

    def approve(self, *, by, content_hash: str, snapshot_pdf: bytes) -> None:
        """Awaiting approval → approved, by `by` (whom applications.access.may_approve allows).

        `content_hash` is what the approver saw and `snapshot_pdf` its rendering
        (made before the lock: rendering is slow). If the content changed in
        between, the approval is refused rather than stored for other content.
        """
        with transaction.atomic():
            locked = self._locked()
            locked._require({self.Status.AWAITING_APPROVAL}, _("The application is not awaiting approval."))
            if locked.content_hash() != content_hash:
                raise Refused(_("The application was changed while you read it. Read it again, then approve."))
            locked.snapshot.save(f"{locked.pk}-{content_hash[:12]}.pdf", ContentFile(snapshot_pdf), save=False)
            locked._set(
                status=self.Status.APPROVED, approved_by=by, approved_at=timezone.now(),
                approved_hash=content_hash, snapshot=locked.snapshot,
            )
        self.refresh_from_db()

    def reopen(self) -> None:
        """Approved → registered: editable again, and the old approval no longer counts."""
        with transaction.atomic():
            locked = self._locked()
            locked._require({self.Status.APPROVED}, _("Only an approved application can be reopened."))
            if locked.is_locked_by_batch:
                raise Refused(_("The application is in a batch that has been sent."))
            locked._set(status=self.Status.REGISTERED, approved_by=None, approved_at=None, approved_hash="",
                        snapshot=None, batch=None)
        self.refresh_from_db()

    def comment(self, *, by, kind: str, text: str, content_hash: str) -> "ApplicationComment":
        """An approver's answer instead of an approval: it stays awaiting approval, for the admin to act on.

        Like an approval, the comment is about the content the approver read (`content_hash`).
        """
        with transaction.atomic():
            locked = self._locked()
            locked._require({self.Status.AWAITING_APPROVAL}, _("The application is not awaiting approval."))
            if locked.content_hash() != content_hash:
                raise Refused(_("The application was changed while you read it. Read it again, then answer."))
            return self.comments.create(by=by, kind=kind, text=text, content_hash=content_hash)

    def mark_sent(self, *, on) -> None:
        """Approved → under processing: sent on its own, outside a batch."""
        with transaction.atomic():
            locked = self._locked()
            locked._require({self.Status.APPROVED}, _("Only an approved application can be sent."))
            if locked.batch_id:
                raise Refused(_("The application is in a school batch; it is sent with the batch."))
            locked._set(status=self.Status.UNDER_PROCESSING, sent_on=on)
        self.refresh_from_db()

    def _locked(self) -> "Application":
        # Two people may act on the same application at once (two guardians
        # approving): the row lock makes the second see the first's result.
        # of=("self",): PostgreSQL cannot lock the nullable side of the batch join.
        return Application.objects.select_for_update(of=("self",)).select_related("student", "batch").get(pk=self.pk)

    def _require(self, allowed: set, refusal) -> None:
        if self.status not in allowed:
            raise Refused(refusal)

    def _set(self, **fields) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=[*fields, "changed_at"])


class ApplicationSubject(models.Model):
    """A subject applied for, with the recommended extent and organisation (Tilrådning)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="subjects")
    subject = models.ForeignKey("accounts.Subject", on_delete=models.PROTECT, related_name="+")
    extent = models.CharField(_("recommended extent"), max_length=200, help_text=_("E.g. 2 hours a week."))
    organisation = models.TextField(_("organisation"), blank=True, help_text=_("E.g. in a small group."))

    class Meta:
        verbose_name = _("subject applied for")
        verbose_name_plural = _("subjects applied for")
        ordering = ["subject__code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "subject"], name="application_subject_once"),
        ]

    def __str__(self):
        return str(self.subject)


class ApplicationAttachment(models.Model):
    """A document from the student's IOP documents attached to the application.

    PROTECT is the rule "a document attached to an application cannot be deleted".
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "document"], name="attachment_once"),
        ]

    def __str__(self):
        # Named so on the document's delete page, which finds what holds a document without knowing this app.
        application = self.application
        return gettext("The application for %(student)s, %(year)s") % {
            "student": application.student, "year": application.school_year}

    def get_absolute_url(self) -> str:
        return reverse("applications:application_detail", args=[self.application_id])


class ApplicationComment(models.Model):
    """A guardian's or the adult student's disagreement or question instead of an approval."""

    class Kind(models.TextChoices):
        DISAGREE = "disagree", _("I do not agree")
        QUESTION = "question", _("I have a question")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("answer"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("comment"))
    content_hash = models.CharField(max_length=64)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment on an application")
        verbose_name_plural = _("comments on applications")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.by}, {self.at:%Y-%m-%d})"


class SchoolBatch(models.Model):
    """The school's combined application to one authority (samlesøknad)."""

    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="batches")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="batches")
    name = models.CharField(_("name"), max_length=200, help_text=_("E.g. Vestland fylkeskommune, autumn 2026."))
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The merged PDF of the last download and the content it was built from,
    # so an unchanged batch is served without rendering or merging again.
    pdf = models.FileField(upload_to="batches/", blank=True, max_length=200)
    pdf_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("school batch")
        verbose_name_plural = _("school batches")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def is_sent(self) -> bool:
        """A sent batch is frozen: nothing in it changes (the workflow, docs/architecture.md)."""
        return self.sent_on is not None


class Decision(models.Model):
    """The authority's decision on special education for a student and school year.

    Registered on an application, or directly (a school may start at step 5).
    Granted gives the student special-education status for that year.
    """

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REJECTED = "rejected", _("Rejected")

    student = models.ForeignKey("accounts.Student", on_delete=models.PROTECT, related_name="decisions")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    decided_on = models.DateField(_("decision date"))
    reference = models.CharField(_("reference"), max_length=100, blank=True, help_text=_("The authority's case number."))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year"], name="one_decision_per_student_year"),
        ]

    def __str__(self):
        return f"{self.student} ({self.school_year}): {self.get_outcome_display()}"

    def correct(self, *, outcome: str, decided_on, reference: str, reason: str, by) -> "DecisionCorrection":
        """Put right a wrongly registered decision; the values before are kept in the correction row.

        The application's status follows the outcome, so the student and guardians see the corrected one.
        """
        with transaction.atomic():
            locked = Decision.objects.select_for_update().get(pk=self.pk)
            new = {"outcome": outcome, "decided_on": decided_on, "reference": reference}
            if all(getattr(locked, name) == value for name, value in new.items()):
                raise Refused(_("Nothing was changed. Change the outcome, the date or the reference."))
            if outcome != locked.outcome and locked.plans.exists():
                raise Refused(_("An IOP has been made from this decision, so its outcome cannot be changed here."))
            correction = self.corrections.create(
                previous_outcome=locked.outcome, previous_decided_on=locked.decided_on,
                previous_reference=locked.reference, reason=reason, by=by,
            )
            Decision.objects.filter(pk=self.pk).update(**new)
            if locked.application_id:
                Application.objects.filter(pk=locked.application_id).update(status=outcome, changed_at=timezone.now())
        self.refresh_from_db()
        return correction


class DecisionCorrection(models.Model):
    """A correction of a registered decision: what it said before, why it was corrected, by whom."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="corrections")
    previous_outcome = models.CharField(_("decision before"), max_length=10, choices=Decision.Outcome.choices)
    previous_decided_on = models.DateField(_("decision date before"))
    previous_reference = models.CharField(_("reference before"), max_length=100, blank=True)
    reason = models.TextField(_("reason for the correction"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction of a decision")
        verbose_name_plural = _("corrections of decisions")
        ordering = ["-at", "-pk"]

    def log_detail(self) -> str:
        """The values before the correction, for the access log (the reason stays on the row)."""
        return (f"corrected; before: {self.previous_outcome} {self.previous_decided_on.isoformat()} "
                f"{self.previous_reference}").strip()[:255]


class DecidedSubject(models.Model):
    """A subject the decision covers, ready to be transferred to IOP part 1."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="subjects")
    subject = models.ForeignKey("accounts.Subject", on_delete=models.PROTECT, related_name="+")
    extent = models.CharField(_("extent"), max_length=200, blank=True)
    organisation = models.TextField(_("organisation"), blank=True)

    class Meta:
        verbose_name = _("subject of the decision")
        verbose_name_plural = _("subjects of the decision")
        ordering = ["subject__code"]
        constraints = [models.UniqueConstraint(fields=["decision", "subject"], name="decided_subject_once")]
