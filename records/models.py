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
