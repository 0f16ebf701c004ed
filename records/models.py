"""Records duties (seed 003 and Norwegian law): access requests answered after a secrecy review, and the
packages they release.

A request is registered by whoever receives it (staff of the student's school) and answered only by a
records officer of the school's county or municipality: per record, release, withhold, or release with
passages struck out. The records themselves are never copied here: an item names a record by its key, and
the package is built from the records as they are when it is released.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import Refused

DEFAULT_COMPLAINT_TEXT = _(
    "If you disagree with what is withheld, you may complain. Send the complaint to us within three weeks of "
    "receiving this answer, and say which parts you complain about. If we do not change the decision, the "
    "complaint goes to the Norwegian Data Protection Authority (Datatilsynet) or the county governor "
    "(Statsforvalteren).")


class RecordsOfficer(models.Model):
    """A records officer (arkivansvarlig) of a county or municipality: given by a system administrator."""

    authority = models.ForeignKey("applications.Authority", on_delete=models.CASCADE, related_name="records_officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="records_officer_grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("records officer")
        verbose_name_plural = _("records officers")
        constraints = [models.UniqueConstraint(fields=["authority", "user"], name="records_officer_unique")]

    def __str__(self):
        return f"{self.user} – {self.authority}"


class RecordsSettings(models.Model):
    """One authority's choices: the deadline for a data subject's request, the text on how to complain."""

    authority = models.OneToOneField("applications.Authority", on_delete=models.CASCADE,
                                     related_name="records_settings")
    subject_deadline_days = models.PositiveSmallIntegerField(
        _("days to answer a data subject"), default=30, help_text=_("GDPR article 15: one month."))
    other_deadline_days = models.PositiveSmallIntegerField(_("days to answer anyone else"), default=30)
    complaint_text = models.TextField(_("how to complain (in the cover letter)"), default=DEFAULT_COMPLAINT_TEXT)

    class Meta:
        verbose_name = _("records settings")
        verbose_name_plural = _("records settings")

    def __str__(self):
        return str(self.authority)


class AccessRequest(models.Model):
    """A request to see a student's records (innsynskrav)."""

    class Requester(models.TextChoices):
        STUDENT = "student", _("The student")
        GUARDIAN = "guardian", _("A guardian of the student")
        OTHER = "other", _("Someone else")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        IN_REVIEW = "in_review", _("In review")
        RELEASED = "released", _("Answered")

    authority = models.ForeignKey("applications.Authority", on_delete=models.PROTECT, related_name="access_requests")
    student = models.ForeignKey("accounts.Student", on_delete=models.PROTECT, related_name="access_requests")
    requester_kind = models.CharField(_("who asks"), max_length=10, choices=Requester.choices)
    requester_name = models.CharField(_("the requester's name"), max_length=200)
    # The student's own login or a guardian's: the answer is then also delivered in the app.
    requester_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="access_requests_made")
    relation = models.CharField(_("relation to the student"), max_length=200, blank=True,
                                help_text=_("For someone else: e.g. lawyer, the child welfare service."))
    asked_for = models.TextField(_("what they ask for"), help_text=_("In the requester's words."))
    received_on = models.DateField(_("received"), default=timezone.localdate)
    deadline_on = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    released_on = models.DateField(_("answered"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["deadline_on", "pk"]
        indexes = [models.Index(fields=["authority", "status", "deadline_on"])]

    def __str__(self):
        return _("Access request %(number)s") % {"number": self.pk}

    @property
    def is_subject(self) -> bool:
        """The data subject asks (the student, or a guardian of a minor on the student's behalf)."""
        return self.requester_kind != self.Requester.OTHER

    def days_left(self, today=None) -> int:
        return (self.deadline_on - (today or timezone.localdate())).days

    @staticmethod
    def deadline_for(received_on, *, subject: bool, settings_row: "RecordsSettings | None"):
        days = (settings_row.subject_deadline_days if subject else settings_row.other_deadline_days) \
            if settings_row else 30
        return received_on + timedelta(days=days)

    def require_open(self) -> None:
        if self.status == self.Status.RELEASED:
            raise Refused(_("The request is answered; its review cannot change."))


class RequestItem(models.Model):
    """One record of the student on a request's checklist, and the reviewer's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        RELEASE = "release", _("Release")
        WITHHOLD = "withhold", _("Withhold")
        STRIKE = "strike", _("Release with parts struck out")

    class LegalBasis(models.TextChoices):
        NONE = "", _("—")
        CONFIDENTIALITY = "fvl13", _("Duty of confidentiality (forvaltningsloven § 13, offentleglova § 13)")
        OTHERS = "gdpr15_4", _("Others' rights and freedoms (GDPR art. 15(4))")
        INTERNAL = "offl14", _("Internal document (offentleglova § 14)")
        PARTY = "fvl19", _("Exception from a party's access (forvaltningsloven § 19)")
        HEALTH = "fvl19_2", _("Harmful to the student's health or relations (forvaltningsloven § 19 second paragraph)")
        OUTSIDE = "outside", _("Not covered by the request")

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=60)  # "<kind>:<pk>", see records.collect
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    dated = models.DateField(_("date"), null=True, blank=True)
    whole_file = models.BooleanField(default=False)  # an uploaded PDF: released whole or withheld
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    legal_basis = models.CharField(_("legal basis"), max_length=10, choices=LegalBasis.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Passages struck out: [{"section": <index of the record's section>, "passage": <the exact text>}]
    strikes = models.JSONField(default=list, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request item")
        verbose_name_plural = _("request items")
        ordering = ["request", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "key"], name="request_item_unique")]

    def __str__(self):
        return self.title

    def review(self, *, by, decision: str, legal_basis: str, reason: str, strikes: list) -> None:
        self.request.require_open()
        if decision == self.Decision.PENDING:
            raise Refused(_("Choose release, withhold or strike out."))
        if decision == self.Decision.STRIKE and self.whole_file:
            raise Refused(_("An uploaded PDF is released whole or withheld."))
        if decision == self.Decision.STRIKE and not strikes:
            raise Refused(_("Mark at least one passage to strike out."))
        if decision in (self.Decision.WITHHOLD, self.Decision.STRIKE) and not legal_basis:
            raise Refused(_("Give the legal basis for what is withheld."))
        self.decision, self.legal_basis, self.reason = decision, legal_basis, reason.strip()
        self.strikes = strikes if decision == self.Decision.STRIKE else []
        self.reviewed_by, self.reviewed_at = by, timezone.now()


def package_name(package: "ReleasePackage", filename: str) -> str:
    """A generated name: nothing of the student reaches the disk's file names."""
    return f"records/{uuid.uuid4().hex}{'.json' if filename.endswith('.json') else '.pdf'}"


class ReleasePackage(models.Model):
    """What was released: the PDF/A (cover letter, contents, the records) and the same as JSON, kept as sent."""

    request = models.OneToOneField(AccessRequest, on_delete=models.PROTECT, related_name="package")
    pdf = models.FileField(upload_to=package_name, max_length=200)
    data = models.FileField(upload_to=package_name, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("release package")
        verbose_name_plural = _("release packages")


# --- Retention and archive hand-over ------------------------------------------------------------------


class RetentionRule(models.Model):
    """How long one kind of record is kept after the student leaves, and what then: hand-over to the archive
    or destruction after the records officer's approval. An authority without a row for a kind has the
    default (records.retention.DEFAULTS)."""

    class Category(models.TextChoices):
        IOP = "iop", _("IOPs with their assessments, annual reports and certificate annex")
        APPLICATION = "application", _("Applications for special education, with the expert assessment")
        DECISION = "decision", _("Decisions on special education")
        DOCUMENT = "document", _("Uploaded documents")
        IKO = "iko", _("IKO records (signals, talks, follow-up plans)")
        PERSON_CASE = "person_case", _("Person cases")
        ACCESS_LOG = "access_log", _("Access log")

    class Action(models.TextChoices):
        PRESERVE = "preserve", _("Preserve: hand over to the archive")
        DESTROY = "destroy", _("Destroy, after approval")

    authority = models.ForeignKey("applications.Authority", on_delete=models.CASCADE, related_name="retention_rules")
    category = models.CharField(_("records"), max_length=20, choices=Category.choices)
    # Person cases: a rule per case type (by name: each school has its own types); blank is every other type.
    case_type = models.CharField(_("case type"), max_length=100, blank=True)
    action = models.CharField(_("then"), max_length=10, choices=Action.choices)
    years = models.PositiveSmallIntegerField(_("years after the student leaves"))

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["authority", "category", "case_type"]
        constraints = [models.UniqueConstraint(fields=["authority", "category", "case_type"],
                                               name="retention_rule_unique")]

    def __str__(self):
        return f"{self.get_category_display()} {self.case_type}".strip()


def handover_name(handover: "HandOver", filename: str) -> str:
    return f"records/handover/{uuid.uuid4().hex}.zip"


class HandOver(models.Model):
    """The package a student's preserved records were handed over to the archive in (PDF/A, JSON, XML in a
    zip), kept as it was made. From then on the student's records are read-only (Student.archived_on)."""

    authority = models.ForeignKey("applications.Authority", on_delete=models.PROTECT, related_name="handovers")
    student = models.OneToOneField("accounts.Student", on_delete=models.PROTECT, related_name="handover")
    package = models.FileField(upload_to=handover_name, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    record_count = models.PositiveIntegerField(_("records"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    made_at = models.DateTimeField(_("handed over"), auto_now_add=True)

    class Meta:
        verbose_name = _("archive hand-over")
        verbose_name_plural = _("archive hand-overs")
        ordering = ["-made_at", "pk"]

    def __str__(self):
        return _("Hand-over %(number)s") % {"number": self.pk}


class DestructionList(models.Model):
    """Records due for destruction under the retention rules, proposed by the daily job. Nothing on it is
    deleted until a records officer of the authority approves it."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting approval")
        DESTROYED = "destroyed", _("Approved and destroyed")

    authority = models.ForeignKey("applications.Authority", on_delete=models.PROTECT,
                                  related_name="destruction_lists")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AWAITING)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["authority"], condition=models.Q(status="awaiting"),
                                               name="one_awaiting_destruction_list")]

    def __str__(self):
        return _("Destruction list %(number)s") % {"number": self.pk}

    def require_awaiting(self) -> None:
        if self.status != self.Status.AWAITING:
            raise Refused(_("This list is already approved."))


class DestructionItem(models.Model):
    """One record on a destruction list; after the destruction, its tombstone: what it was, under which rule,
    approved by whom and when (the list), and when it was deleted. The content is gone."""

    destruction_list = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="items")
    student = models.ForeignKey("accounts.Student", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=60)  # "<kind>:<pk>", see records.collect
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    dated = models.DateField(_("date"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=300)  # the rule as it read when the item was proposed
    left_on = models.DateField(_("left the school on"))
    due_on = models.DateField(_("due"))
    # Held back by the officer (e.g. a complaint or a lawsuit): not destroyed, not proposed again.
    held_back = models.BooleanField(_("held back"), default=False)
    held_reason = models.CharField(_("why held back"), max_length=300, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction list item")
        verbose_name_plural = _("destruction list items")
        ordering = ["destruction_list", "student__last_name", "student__first_name", "student_id", "key"]
        constraints = [models.UniqueConstraint(fields=["destruction_list", "key"], name="destruction_item_unique")]

    def __str__(self):
        return self.title
