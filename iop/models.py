"""The IOP itself: part 1 (the plan), part 2 (goals and assessments per subject), log,
annual report and certificate annex (workflow steps 6–10)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone else saved the same text after this form was opened; nothing was overwritten."""


class Plan(models.Model):
    """One student's IOP for one school year. Creating it creates part 1."""

    class Stage(models.IntegerChoices):
        DRAFT = 1, _("Draft (IOP admins only)")
        TEACHERS = 2, _("Published to teachers")
        STUDENT_AND_GUARDIANS = 3, _("Published to student and guardians")
        HALF_YEAR = 4, _("Half-year assessment published")
        ANNUAL_REPORT = 5, _("Annual report published")

    class GoalKind(models.TextChoices):
        STUDY = "study", _("Study competence")
        VOCATIONAL = "vocational", _("Vocational competence")
        BASIC = "basic", _("Basic competence")

    student = models.ForeignKey("accounts.Student", on_delete=models.PROTECT, related_name="plans")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "applications.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    stage = models.PositiveSmallIntegerField(_("publication stage"), choices=Stage.choices, default=Stage.DRAFT)

    # Part 1
    part_of_individual_plan = models.BooleanField(
        _("part of an individual plan (IP) under health legislation"), null=True, blank=True
    )
    basis_documents = models.TextField(_("basis documents"), blank=True)
    mapping_academic = models.TextField(_("the school's pedagogical mapping, academic"), blank=True)
    mapping_social = models.TextField(_("the school's pedagogical mapping, social"), blank=True)
    goal_kind = models.CharField(_("goal of the training"), max_length=20, choices=GoalKind.choices, blank=True)
    goal_text = models.TextField(_("goal of the training, described"), blank=True)
    long_term_plan = models.TextField(
        _("long-term plan"), blank=True, help_text=_("Which years the student takes which levels.")
    )
    extended_time = models.TextField(
        _("extended training time"), blank=True, help_text=_("On the basis of a new expert assessment.")
    )
    framework_factors = models.TextField(_("framework factors"), blank=True)
    partners_internal = models.TextField(_("partners, internal"), blank=True)
    partners_external = models.TextField(_("partners, external"), blank=True)
    other = models.TextField(_("other"), blank=True)
    evaluation_time = models.TextField(
        _("time of evaluation"), blank=True, help_text=_("When the training and the student's development are evaluated.")
    )
    builds_on_upper_levels = models.BooleanField(
        _("this year's plan builds on goals from Vg2 or Vg3"), default=False,
        help_text=_("If no year of the plan does, the certificate names only the Vg1 programme area."),
    )
    part1_version = models.PositiveIntegerField(default=0)

    # Annual report (step 10)
    report_training = models.TextField(_("overview of the training given per subject"), blank=True)
    report_assessment = models.TextField(_("overall assessment of the teaching given"), blank=True)
    report_continued_need = models.TextField(_("need for continued IOP"), blank=True)
    report_sent_on = models.DateField(_("sent to the county/municipality"), null=True, blank=True)
    report_version = models.PositiveIntegerField(default=0)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("IOP")
        verbose_name_plural = _("IOPs")
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="one_plan_per_student_year")]
        indexes = [models.Index(fields=["school_year", "stage"])]

    def __str__(self):
        return f"IOP {self.student} ({self.school_year})"


class PlanSubject(models.Model):
    """A subject with special education this year: its part-1 row and its part 2."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="subjects")
    subject = models.ForeignKey(
        "accounts.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    position = models.PositiveIntegerField(default=0)
    content = models.TextField(_("content"), blank=True)
    extent = models.CharField(_("extent"), max_length=200, blank=True)
    organisation = models.TextField(_("organisation"), blank=True)

    ORDER_PARENT = "plan"

    goals_done = models.BooleanField(_("goals done"), default=False)

    half_year_development = models.TextField(_("the student's development"), blank=True)
    half_year_opportunities = models.TextField(_("further development opportunities"), blank=True)
    half_year_done = models.BooleanField(_("half-year assessment done"), default=False)
    half_year_version = models.PositiveIntegerField(default=0)

    annual_development = models.TextField(_("the student's development"), blank=True)
    annual_opportunities = models.TextField(_("further development opportunities"), blank=True)
    annual_done = models.BooleanField(_("annual assessment done"), default=False)
    annual_version = models.PositiveIntegerField(default=0)

    # The notation helper's choice for the certificate (seed 001, 11.2/11.3); default: no basis for a grade.
    certificate_grade = models.BooleanField(_("has a grade on the certificate"), default=False)

    class Meta:
        verbose_name = _("special-education subject")
        verbose_name_plural = _("special-education subjects")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "subject"], name="plan_subject_once")]

    def __str__(self):
        return str(self.subject)


class Goal(models.Model):
    """A competence-goal row of part 2: competence goal, learning goal, content."""

    plan_subject = models.ForeignKey(PlanSubject, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(default=0)
    competence_goal = models.TextField(_("competence goal"))
    # The goal's code in Udir's Grep (e.g. KM1234) when it was taken from the goal bank; empty for free text.
    grep_code = models.CharField(_("code in the national curriculum"), max_length=20, blank=True)
    learning_goal = models.TextField(_("learning goal"), blank=True)
    content = models.TextField(_("content"), blank=True)
    reached = models.BooleanField(_("goal reached"), default=False)
    # How far the student has come, on the school's short scale (1 = not started … 4 = reached),
    # set with the subject's half-year and annual assessments; None = not assessed.
    progress_half_year = models.PositiveSmallIntegerField(_("progress at the half-year assessment"), null=True, blank=True)
    progress_annual = models.PositiveSmallIntegerField(_("progress at the annual assessment"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    ORDER_PARENT = "plan_subject"  # services.row_move() reorders among these siblings

    class Meta:
        verbose_name = _("competence goal")
        verbose_name_plural = _("competence goals")
        ordering = ["position", "pk"]

    @property
    def summary(self) -> str:
        """The goal in one line (the annex names reached goals so): its learning goal, else its competence goal."""
        return self.learning_goal or self.competence_goal


class LogEntry(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="log_entries")
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-created_at", "-pk"]


class AnnexRow(models.Model):
    """A row of the certificate annex, kept in the order the admin gives it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="annex_rows")
    position = models.PositiveIntegerField(default=0)
    extent = models.PositiveIntegerField(_("extent"), help_text=_("A whole number, e.g. hours."))
    subject_topic = models.CharField(_("subject/topic"), max_length=200)
    year = models.CharField(_("year"), max_length=20)
    assessment = models.TextField(_("assessment"), blank=True)

    ORDER_PARENT = "plan"

    class Meta:
        verbose_name = _("annex row")
        verbose_name_plural = _("annex rows")
        ordering = ["position", "pk"]


class SchoolSettings(models.Model):
    """A school's IOP settings, set by its IOP admins: the progress scale's names and the deadline rules.

    An empty scale name means the default (translated) name. No row means every default.
    """

    # The law says an IOP is made "as soon as possible" after the decision (opplæringslova § 11-10);
    # three weeks leaves time for a planning meeting and the subject teachers' goals, and flags a plan
    # that is still missing well before the first month of the training is gone.
    DEFAULT_PLAN_WEEKS = 3
    DEFAULT_APPROVAL_DAYS = 14

    school = models.OneToOneField("accounts.School", on_delete=models.CASCADE, related_name="iop_settings")
    scale_1 = models.CharField(_("scale step 1"), max_length=40, blank=True)
    scale_2 = models.CharField(_("scale step 2"), max_length=40, blank=True)
    scale_3 = models.CharField(_("scale step 3"), max_length=40, blank=True)
    scale_4 = models.CharField(_("scale step 4"), max_length=40, blank=True)
    plan_weeks_after_decision = models.PositiveSmallIntegerField(
        _("weeks from a granted decision to the IOP"), default=DEFAULT_PLAN_WEEKS,
        help_text=_("The law says as soon as possible; after this many weeks a missing IOP is overdue."),
    )
    approval_days = models.PositiveSmallIntegerField(
        _("days an approval may wait"), default=DEFAULT_APPROVAL_DAYS,
        help_text=_("An application waiting longer than this for the family's approval is overdue."),
    )

    DEFAULT_SCALE = (_("not started"), _("begun"), _("partly reached"), _("reached"))

    def scale(self) -> list[tuple[int, str]]:
        """The progress scale as (value, name), 1 = not started … 4 = reached, the school's names first."""
        names = (self.scale_1, self.scale_2, self.scale_3, self.scale_4)
        return [(step, name or default) for step, (name, default) in enumerate(zip(names, self.DEFAULT_SCALE), 1)]

    class Meta:
        verbose_name = _("IOP settings of a school")
        verbose_name_plural = _("IOP settings of schools")


class SchoolYearDeadlines(models.Model):
    """The dates a school sets for one school year: the half-year assessments and the annual report."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="iop_deadlines")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    half_year_due = models.DateField(_("half-year assessments due"), null=True, blank=True)
    annual_due = models.DateField(_("annual report due"), null=True, blank=True)

    class Meta:
        verbose_name = _("IOP deadlines of a school year")
        verbose_name_plural = _("IOP deadlines of school years")
        constraints = [models.UniqueConstraint(fields=["school", "school_year"], name="iop_deadlines_once_a_year")]
