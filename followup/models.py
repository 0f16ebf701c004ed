"""The IKO model (seed 002): signals that identify students at risk, talks that map why, and
time-limited follow-up plans with measures."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.exceptions import Refused


class RuleSettings(models.Model):
    """The thresholds of the identification rules of one county or municipality (a school's owner).

    The defaults are the seed's; a county that chooses otherwise saves a row.
    """

    owner_name = models.CharField(_("county or municipality"), max_length=200, unique=True)
    first_choice_average_below = models.DecimalField(
        _("first choice: grade average below"), max_digits=3, decimal_places=2, default=Decimal("2.50"))
    lower_choice_average_at_most = models.DecimalField(
        _("lower than first choice: grade average at most"), max_digits=3, decimal_places=2, default=Decimal("3.00"))
    vg1_core_subjects = models.CharField(
        _("Vg1: subjects whose low grades count (code prefixes)"), max_length=100, default="MAT,ENG,NOR")
    vg1_low_grades = models.CharField(_("Vg1: low grades"), max_length=20, default="IV,1,2")
    later_low_grades = models.CharField(_("Vg2 and Vg3: low grades"), max_length=20, default="IV,1")
    absence_over_percent = models.DecimalField(
        _("absence over (%)"), max_digits=5, decimal_places=2, default=Decimal("10.00"))
    absence_rise_points = models.DecimalField(
        _("absence rising by (percentage points) between periods"), max_digits=5, decimal_places=2,
        default=Decimal("5.00"))
    grade_average_drop = models.DecimalField(
        _("grade average falling by between terms"), max_digits=3, decimal_places=2, default=Decimal("1.00"))

    class Meta:
        verbose_name = _("IKO rule settings")
        verbose_name_plural = _("IKO rule settings")

    def __str__(self):
        return self.owner_name

    @classmethod
    def for_owner(cls, owner_name: str) -> "RuleSettings":
        """The owner's settings, or the seed's defaults (unsaved) if it has none."""
        return cls.objects.filter(owner_name=owner_name).first() or cls(owner_name=owner_name)

    @staticmethod
    def split(text: str) -> list[str]:
        return [part.strip().upper() for part in text.split(",") if part.strip()]


class Signal(models.Model):
    """One reason to look at a student: a rule that matched (with its evidence as it was), or a concern."""

    class Rule(models.TextChoices):
        FIRST_CHOICE_AVERAGE = "first_choice_average", _("Vg1: first choice, low grade average")
        LOWER_CHOICE_AVERAGE = "lower_choice_average", _("Vg1: below first choice, low grade average")
        CORE_GRADE = "core_grade", _("Vg1: IV, 1 or 2 in maths, English or Norwegian")
        ABSENCE = "absence", _("Absence over the limit")
        LOW_GRADE = "low_grade", _("Vg2/Vg3: 1 or IV in T2, final assessment or exam")
        ABSENCE_TREND = "absence_trend", _("Absence rising")
        GRADE_TREND = "grade_trend", _("Grades falling")
        WELLBEING = "wellbeing", _("Concern: poor wellbeing or motivation")
        CAREER = "career", _("Concern: unrealistic study or career choice")
        BASIC_SKILLS = "basic_skills", _("Concern: critical basic skills (reading, writing, numeracy)")
        OTHER = "other", _("Concern: other critical factors (health, behaviour)")

    CONCERNS = (Rule.WELLBEING, Rule.CAREER, Rule.BASIC_SKILLS, Rule.OTHER)

    class Status(models.TextChoices):
        NEW = "new", _("New")
        DISMISSED = "dismissed", _("Dismissed")
        MAPPING = "mapping", _("Taken into mapping")

    student = models.ForeignKey("accounts.Student", on_delete=models.CASCADE, related_name="iko_signals")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("reason"), max_length=30, choices=Rule.choices)
    # What makes a rule's finding one finding (a subject code, a period): a second run finds it again, not anew.
    key = models.CharField(max_length=100, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    found_on = models.DateField(_("found"), default=timezone.localdate)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reported by"))
    text = models.TextField(_("what is the concern"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    assessed_on = models.DateField(null=True, blank=True)
    dismiss_reason = models.TextField(_("why dismissed"), blank=True)

    class Meta:
        verbose_name = _("IKO signal")
        verbose_name_plural = _("IKO signals")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year", "rule", "key"], name="signal_found_once",
                                    condition=models.Q(reported_by__isnull=True)),
        ]

    def __str__(self):
        return f"{self.get_rule_display()} – {self.student}"

    def evidence_lines(self) -> list[str]:
        """The evidence snapshot as lines to show ("grades: MAT1019 T1 2, ENG1007 T1 IV")."""
        def shown(value) -> str:
            if isinstance(value, dict):
                return ", ".join(f"{key} {shown(item)}" for key, item in value.items())
            if isinstance(value, list):
                return ", ".join(shown(item) for item in value)
            return str(value)

        return [f"{key}: {shown(value)}" for key, value in self.evidence.items()]

    @property
    def is_concern(self) -> bool:
        return self.rule in self.CONCERNS

    def assess(self, *, by, take: bool, reason: str = "") -> None:
        if self.status != self.Status.NEW:
            raise Refused(_("The signal has already been assessed."))
        if not take and not reason.strip():
            raise Refused(_("Say why the signal is dismissed."))
        self.status = self.Status.MAPPING if take else self.Status.DISMISSED
        self.dismiss_reason = "" if take else reason.strip()
        self.assessed_by, self.assessed_on = by, timezone.localdate()


class Talk(models.Model):
    """A start-up talk by the contact teacher, or a mapping talk by an education leader or counsellor."""

    class Kind(models.TextChoices):
        STARTUP = "startup", _("Start-up talk")
        MAPPING = "mapping", _("Mapping talk")

    class Cause(models.TextChoices):
        ACADEMIC = "academic", _("Academic")
        SOCIAL = "social", _("Social")
        HEALTH = "health", _("Health")
        MOTIVATION = "motivation", _("Motivation")
        PROGRAMME = "programme", _("Choice of programme")

    student = models.ForeignKey("accounts.Student", on_delete=models.CASCADE, related_name="iko_talks")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of talk"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                verbose_name=_("held by"))
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    student_view = models.TextField(_("the student's own view"), blank=True)
    causes = models.JSONField(_("causes"), default=list, blank=True)
    wishes = models.TextField(_("wishes and needs"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("IKO talk")
        verbose_name_plural = _("IKO talks")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on} – {self.student}"

    def cause_labels(self) -> list[str]:
        return [self.Cause(cause).label for cause in self.causes if cause in self.Cause.values]


class Plan(models.Model):
    """A time-limited follow-up plan: measures, who is responsible, and how it ended."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        EVALUATED = "evaluated", _("Evaluated")

    class Outcome(models.TextChoices):
        ORDINARY = "ordinary", _("Back to ordinary teaching")
        EXTENDED = "extended", _("Extended")
        OTHER = "other", _("Other measures")
        REFERRAL = "referral", _("Referral to special education")

    student = models.ForeignKey("accounts.Student", on_delete=models.CASCADE, related_name="iko_plans")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    guardians_informed_on = models.DateField(_("guardians informed on"), null=True, blank=True)
    guardians_informed_how = models.CharField(_("how guardians were informed"), max_length=200, blank=True)
    shared_on = models.DateField(_("shared with the student and guardians on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("evaluation of the plan"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    referral = models.OneToOneField("applications.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="iko_plan", verbose_name=_("application for special education"))

    class Meta:
        verbose_name = _("IKO follow-up plan")
        verbose_name_plural = _("IKO follow-up plans")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{_('Follow-up plan')} – {self.student}"

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.EVALUATED

    def needs_guardians_informed(self, today: date | None = None) -> bool:
        """For a student under 18 the guardians are informed (seed 002) before the plan starts."""
        return not self.student.is_adult(today) and self.guardians_informed_on is None

    def activate(self) -> None:
        if self.status != self.Status.DRAFT:
            raise Refused(_("Only a draft plan can be started."))
        if not self.measures.exists():
            raise Refused(_("Add at least one measure before the plan starts."))
        if self.needs_guardians_informed():
            raise Refused(_("The student is under 18: record when and how the guardians were informed first."))
        self.status = self.Status.ACTIVE

    def share(self) -> None:
        if self.status == self.Status.DRAFT:
            raise Refused(_("Start the plan before sharing it."))
        self.shared_on = self.shared_on or timezone.localdate()

    def evaluate(self, *, outcome: str, note: str) -> None:
        if self.status != self.Status.ACTIVE:
            raise Refused(_("Only an active plan can be evaluated."))
        if outcome not in self.Outcome.values:
            raise Refused(_("Choose how the plan ends."))
        self.status, self.outcome, self.outcome_note = self.Status.EVALUATED, outcome, note
        self.evaluated_on = timezone.localdate()


class Measure(models.Model):
    """One measure of a plan (seed 002's table: the challenge, the approach, who follows up)."""

    class Challenge(models.TextChoices):
        WELLBEING = "wellbeing", _("Poor wellbeing (the whole school situation)")
        ABSENCE = "absence", _("Absence")
        ACADEMIC = "academic", _("Academic: 1/IV in a subject")
        CAREER = "career", _("Unrealistic career plans")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    challenge = models.CharField(_("the challenge it answers"), max_length=10, choices=Challenge.choices)
    approach = models.TextField(_("approach"))
    responsible = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="iko_measures",
                                         verbose_name=_("responsible"))
    extent = models.CharField(_("extent"), max_length=200, blank=True, help_text=_("E.g. 2 lessons a week."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("evaluated by"))
    evaluation = models.TextField(_("evaluation"), blank=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return f"{self.get_challenge_display()}: {self.approach[:50]}"


# The approaches of seed 002's table, by the challenge they answer: the catalogue every school starts from.
SEED_APPROACHES = (
    ("wellbeing", "Dialog for å avklare hvor utfordringene ligger – relasjonelle, psykiske, helsemessige, mobbing – "
                  "og iverksetting av aktuelle tiltak"),
    ("absence", "Tydelige forventninger til deltakelse"),
    ("absence", "Rask involvering av foresatte"),
    ("academic", "Intensivopplæring i avgrensede perioder"),
    ("academic", "Begrepsopplæring"),
    ("academic", "Læringsstøttende hjelpemidler"),
    ("academic", "Alternative læringsarenaer og metodevalg"),
    ("career", "Karriereveiledning"),
    ("career", "Bevisst bruk av yrkesfaglig fordypning"),
)


class Approach(models.Model):
    """A school's own addition to the catalogue of approaches a measure can take."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="iko_approaches")
    challenge = models.CharField(_("the challenge it answers"), max_length=10, choices=Measure.Challenge.choices)
    text = models.CharField(_("approach"), max_length=300)

    class Meta:
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")
        ordering = ["challenge", "text"]

    def __str__(self):
        return self.text

    @classmethod
    def catalogue(cls, school) -> list[tuple[str, str]]:
        """(challenge, text) of the seed's approaches and the school's own, in the table's order."""
        own = list(cls.objects.filter(school=school).values_list("challenge", "text"))
        order = list(Measure.Challenge.values)
        return sorted([*SEED_APPROACHES, *own], key=lambda item: order.index(item[0]))


class MeasureNote(models.Model):
    """The follow-up of a measure, recorded by someone responsible for it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="notes")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("follow-up"))

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["written_at", "pk"]


# The eight IKO meetings of a school year (seed 002), the default a school's calendar starts from:
# (month, themes). Data in Norwegian, as the seed writes them; each school edits its own.
SEED_MEETINGS = (
    (8, "Ved oppstart – overgangsinformasjon for Vg1, overgangsinformasjon og fjorårets resultater for Vg2 og Vg3"),
    (9, "Ukentlig fraværssjekk for Vg1-klasser (ukene 35, 36, 37, 38 og 39). Resultatoppfølging: "
        "fraværsgjennomgang + opplysninger fra oppstartsamtalene"),
    (10, "Resultatoppfølging: karakterer, fravær, psykososialt (i kombinasjon med klasselærermøte på ST)"),
    (12, "Resultatoppfølging: karakterer, fravær, psykososialt + opplysninger fra elevsamtaler og møter med "
         "foresatte (evt. i kombinasjon med klasselærermøte orden/atferd)"),
    (1, "Halvårskarakterer – status og analyse av karakterer og fravær"),
    (2, "Resultatoppfølging: karakterer, fravær, psykososialt + opplysninger fra elevsamtaler (i kombinasjon med "
        "klasselærermøte på ST)"),
    (4, "Resultatoppfølging: karakterer, fravær, psykososialt"),
    (5, "Møter etter behov (evt. i kombinasjon med klasselærermøte orden/atferd, evaluering av skoleåret, "
        "innsamling av overgangsinformasjon m.m.)"),
)


class Meeting(models.Model):
    """One of the IKO team's meetings of a school year, with its themes and decisions per student."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="iko_meetings")
    school_year = models.ForeignKey("accounts.SchoolYear", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("meeting number"))
    month = models.PositiveSmallIntegerField(_("month"))
    themes = models.TextField(_("themes"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("IKO meeting")
        verbose_name_plural = _("IKO meetings")
        ordering = ["school_year", "number"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year", "number"], name="meeting_once")]

    def __str__(self):
        return f"{_('IKO meeting')} {self.number} – {self.school_year}"

    @property
    def first_day(self) -> date:
        """The first day of the meeting's month in its school year (August–December in the first calendar year)."""
        year = self.school_year.start_year + (0 if self.month >= 8 else 1)
        return date(year, self.month, 1)


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    student = models.ForeignKey("accounts.Student", on_delete=models.CASCADE, related_name="iko_decisions")
    text = models.TextField(_("decision"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["created_at", "pk"]


class Resource(models.Model):
    """Something the team can put in (seed 002: LØFT funds, extra lessons, learning aids)."""

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="iko_resources")
    name = models.CharField(_("resource"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, help_text=_("How much is left, who to ask, until when."))
    available = models.BooleanField(_("available now"), default=True)

    class Meta:
        verbose_name = _("IKO resource")
        verbose_name_plural = _("IKO resources")
        ordering = ["-available", "name"]

    def __str__(self):
        return self.name
