"""Who is who: schools, staff, students, guardians, subjects and enrollments."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

ADULT_AGE = 18
SCHOOL_YEAR_START_MONTH = 8  # A Norwegian school year runs 1 August – 31 July.


def years_before(day: date, years: int) -> date:
    """The date `years` years before `day`; someone born then turns `years` on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def adult_cutoff(today: date | None = None) -> date:
    """The one rule of coming of age: whoever was born on or before this day is 18 today.

    Someone born on 29 February comes of age on 1 March in a non-leap year.
    Student.is_adult and the queryset of minors (accounts.access.children_of) both use it.
    """
    return years_before(today or timezone.localdate(), ADULT_AGE)


# What a list of records shows of each one's student (for `.only()` on a record with a `student`): the
# name, the class, and the school the access log needs.
STUDENT_SHOWN = ("student__first_name", "student__last_name", "student__group", "student__school")


def display_name(first_name: str, last_name: str, username: str) -> str:
    """How a user is named (User.__str__): the full name, else the username. For pages that read names
    as plain rows."""
    return f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    """A person who can log in: staff, student or guardian (or several)."""

    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES,
        help_text=_("The language chosen last; used again at the next login."),
    )
    # Login with Feide and ID-porten (accounts/oidc/). Never matched by e-mail or name.
    feide_id = models.CharField(
        _("Feide ID"), max_length=254, unique=True, null=True, blank=True,
        help_text=_("The user's Feide name (eduPersonPrincipalName), e.g. ola.nordmann@skole.no."),
    )
    # HMAC-SHA256 of the national identity number (accounts.oidc.pid.pid_hash); never the number itself.
    pid_hash = models.CharField(_("identity number (hashed)"), max_length=64, unique=True, null=True,
                                blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return display_name(self.first_name, self.last_name, self.username)


class School(models.Model):
    class Kind(models.TextChoices):
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
        PRIMARY = "primary", _("Primary school")

    class OwnerKind(models.TextChoices):
        COUNTY = "county", _("County")
        MUNICIPALITY = "municipality", _("Municipality")

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        unique=True,
        help_text=_("Nine digits, from the Brønnøysund Register Centre."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    owner_kind = models.CharField(_("owner"), max_length=20, choices=OwnerKind.choices)
    owner_name = models.CharField(_("owner's name"), max_length=200, help_text=_("E.g. Vestland fylkeskommune."))

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        # The school roles (IOP admin, IKO team) are granted per school as guardian
        # object permissions; there is deliberately no global use of them.
        permissions = [
            ("administer_iop", _("Is IOP admin of the school")),
            ("follow_up_iko", _("Is on the school's IKO team")),
            ("create_cases", _("May create person cases at the school")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(org_number__regex=r"^[0-9]{9}$"), name="school_org_number_nine_digits"
            ),
        ]

    def __str__(self):
        return self.name


class SchoolUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian permission rows for schools (the IOP-admin and IKO-team roles)."""

    content_object = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("school role of a user")
        verbose_name_plural = _("school roles of users")


class SchoolGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("school role of a group")
        verbose_name_plural = _("school roles of groups")


class SchoolYearQuerySet(models.QuerySet):
    def current(self, today: date | None = None, *, create: bool = False) -> "SchoolYear | None":
        """The one way to this school year's row.

        Reading, it is None before anything exists for the year (a GET never creates a row);
        `create=True` is for a change that belongs to the year (a new application, IOP or decision).
        """
        start_year = SchoolYear.start_year_of(today or timezone.localdate())
        if create:
            return self.get_or_create(start_year=start_year)[0]
        return self.filter(start_year=start_year).first()


class SchoolYear(models.Model):
    """A school year, 1 August of `start_year` to 31 July of the next year."""

    start_year = models.PositiveSmallIntegerField(_("starts in year"), unique=True)

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-start_year"]

    def __str__(self):
        return f"{self.start_year}/{self.start_year + 1}"

    @staticmethod
    def start_year_of(day: date) -> int:
        return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1

    @property
    def starts_on(self) -> date:
        return date(self.start_year, SCHOOL_YEAR_START_MONTH, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, SCHOOL_YEAR_START_MONTH - 1, 31)


class StaffMembership(models.Model):
    """A user works at a school as a teacher or as its principal."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        PRINCIPAL = "principal", _("Principal")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_memberships")
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE,
                               related_name="staff_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "role"], name="staff_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.school}"


class Student(models.Model):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="students")
    group = models.CharField(_("class/group"), max_length=20, help_text=_("E.g. 1STA or 9B."))
    # From the school administration system (OneRoster `grades`): 1–10, and Vg1–Vg3 as 11–13.
    grade_level = models.PositiveSmallIntegerField(_("year of schooling"), null=True, blank=True,
                                                   help_text=_("1–10; Vg1, Vg2 and Vg3 are 11, 12 and 13."))
    contact_teacher = models.ForeignKey(
        User,
        verbose_name=_("contact teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_students",
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("student's login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="student",
    )
    # An adult student logging in with ID-porten is linked to this record (accounts.oidc.pid.pid_hash).
    pid_hash = models.CharField(_("identity number (hashed)"), max_length=64, unique=True, null=True,
                                blank=True, editable=False)
    # Set by the roster import when the student is no longer in the school's export; never deleted
    # (the records duties depend on the student's records staying).
    left_on = models.DateField(_("left the school on"), null=True, blank=True)
    # The day the student is to leave, known ahead (the roster import: the end date of the student's
    # homeroom enrollment). Person cases must be closed before it.
    leaves_on = models.DateField(_("leaves the school on"), null=True, blank=True)
    # Set when the records officer hands the student's records over to the archive (records.retention):
    # from then on they are read-only for everyone (accounts.access.require_not_archived).
    archived_on = models.DateField(_("handed over to the archive"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["school", "group"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_adult(self, today: date | None = None) -> bool:
        return self.birth_date <= adult_cutoff(today)

    @property
    def leaving_date(self) -> date | None:
        """The day the student leaves or left the school, the planned day first."""
        return self.leaves_on or self.left_on


class Guardianship(models.Model):
    # No account yet: the parent is known by `guardian_pid_hash` and gets one at the first ID-porten login.
    guardian = models.ForeignKey(User, verbose_name=_("guardian"), on_delete=models.CASCADE,
                                 related_name="guardianships", null=True)
    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE,
                                related_name="guardianships")
    guardian_pid_hash = models.CharField(_("guardian's identity number (hashed)"), max_length=64, null=True,
                                         blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student"], name="guardianship_unique"),
            models.UniqueConstraint(fields=["guardian_pid_hash", "student"], name="guardianship_unique_pid",
                                    condition=Q(guardian_pid_hash__isnull=False)),
            models.CheckConstraint(condition=Q(guardian__isnull=False) | Q(guardian_pid_hash__isnull=False),
                                   name="guardianship_has_guardian"),
        ]

    def __str__(self):
        return f"{self.guardian or _('(no account yet)')} → {self.student}"


class SubjectQuerySet(models.QuerySet):
    def taken_by(self, student, school_year) -> "SubjectQuerySet":
        """The subjects a student takes in a school year (Elevadmin > Fag)."""
        return self.filter(enrollments__student=student, enrollments__school_year=school_year).distinct()


class Subject(models.Model):
    code = models.CharField(_("subject code"), max_length=20, unique=True, help_text=_("E.g. MAT1019."))
    name = models.CharField(_("name"), max_length=200)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["code"]

    def __str__(self):
        return subject_label(self.code, self.name)


def subject_label(code: str, name: str) -> str:
    """How a subject is named (Subject.__str__), for pages that read subjects as plain rows."""
    return f"{code} {name}"


class EnrollmentQuerySet(models.QuerySet):
    def active(self, today: date | None = None):
        """Enrollments of the current school year that have not ended."""
        today = today or timezone.localdate()
        return self.filter(school_year__start_year=SchoolYear.start_year_of(today)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today)
        )


class Enrollment(models.Model):
    """A student takes a subject in a school year, taught by one or more teachers.

    All teachers are equal here: a co-teacher (tolærer) is simply a second teacher.
    """

    student = models.ForeignKey(Student, verbose_name=_("student"), on_delete=models.CASCADE,
                                related_name="enrollments")
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT,
                                related_name="enrollments")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT,
                                    related_name="enrollments")
    teachers = models.ManyToManyField(User, verbose_name=_("teachers"), related_name="teaching_enrollments",
                                      blank=True)
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("Set if the student left the subject during the year."),
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "subject", "school_year"], name="enrollment_unique_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.student} – {self.subject} ({self.school_year})"


class GuidanceWord(models.Model):
    """A word the free-text guidance warns about (accounts/guidance.py): a judgement of character, or offensive.

    Blank owner: the default list, for everyone. An owner (a county or municipality, spelled as in
    School.owner_name) adds words for its schools' pages.
    """

    owner_name = models.CharField(
        _("owner's name"), max_length=200, blank=True,
        help_text=_(
            "The county or municipality, as in the schools' owner's name. Blank: the default list for everyone."
        ),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    word = models.CharField(_("word"), max_length=100, help_text=_("Matched as a whole word, whatever the case."))

    class Meta:
        verbose_name = _("guidance word")
        verbose_name_plural = _("guidance words")
        ordering = ["owner_name", "language", "word"]
        constraints = [
            models.UniqueConstraint(fields=["owner_name", "language", "word"], name="guidance_word_unique"),
        ]

    def __str__(self):
        return self.word
