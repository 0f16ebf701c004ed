"""The goal bank: curricula, goal sets and competence goals from Udir's Grep (NLOD).

Public data, not a student record. Rows are never deleted: an IOP goal keeps the
code it was taken with (iop.Goal.grep_code), so a goal Grep drops is marked expired.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .bank import LANGUAGES, PUBLISHED, search_fields, title_in

# Grep's own language codes (tittel.tekst[].spraak) for ours.
GREP_LANGUAGES = {"nb": "nob", "nn": "nno", "en": "eng"}


def current_language() -> str:
    language = (get_language() or "nb")[:2]
    return language if language in LANGUAGES else "nb"


class Titled(models.Model):
    """A title in bokmål, nynorsk and (where Grep has it) English, shown in the user's language."""

    title_nb = models.TextField(_("title (bokmål)"), blank=True)
    title_nn = models.TextField(_("title (nynorsk)"), blank=True)
    title_en = models.TextField(_("title (English)"), blank=True)

    class Meta:
        abstract = True

    @property
    def titles(self) -> dict[str, str]:
        return {language: getattr(self, f"title_{language}") for language in LANGUAGES}

    def title_in(self, language: str) -> str:
        """The title in `language`, else the other written Norwegian, else English."""
        return title_in(self.titles, language)

    @property
    def title(self) -> str:
        return self.title_in(current_language())


class Curriculum(Titled):
    """A læreplan, e.g. MAT01-06 (LK20) or MAT1-04 (LK06)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=30, default=PUBLISHED)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class CurriculumSubject(models.Model):
    """A subject code (fagkode, accounts.Subject.code such as MAT1019) taught after a curriculum."""

    curriculum = models.ForeignKey(Curriculum, on_delete=models.CASCADE, related_name="subject_codes")
    subject_code = models.CharField(_("subject code"), max_length=40, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["curriculum", "subject_code"], name="curriculum_subject_once")]


class GoalSet(Titled):
    """A kompetansemålsett: the goals after one level (e.g. aarstrinn10, vg1) of a curriculum."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    curriculum = models.ForeignKey(Curriculum, on_delete=models.PROTECT, related_name="goal_sets")
    level = models.CharField(_("level"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=30, default=PUBLISHED)

    class Meta:
        verbose_name = _("goal set")
        verbose_name_plural = _("goal sets")
        ordering = ["curriculum", "code"]

    def __str__(self):
        return self.code


class CompetenceGoal(Titled):
    """A kompetansemål, e.g. KM13328, with its text in nb/nn/en."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    curriculum = models.ForeignKey(Curriculum, on_delete=models.PROTECT, related_name="goals")
    goal_set = models.ForeignKey(GoalSet, on_delete=models.PROTECT, related_name="goals", null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, default=PUBLISHED)
    position = models.PositiveIntegerField(default=0)
    url_data = models.URLField(_("Grep data URL"), max_length=300, blank=True)
    # The code and the title in each language (falling back as shown), casefolded: what search matches.
    search_nb = models.TextField(editable=False, default="")
    search_nn = models.TextField(editable=False, default="")
    search_en = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("competence goal")
        verbose_name_plural = _("competence goals")
        ordering = ["curriculum", "goal_set", "position", "code"]
        indexes = [models.Index(fields=["status", "curriculum"], name="goal_status_curriculum")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    def search_texts(self) -> dict[str, str]:
        """The values of search_nb/nn/en for the current titles."""
        return search_fields(self.code, self.titles)

    def udir_url(self, language: str | None = None) -> str:
        """Udir's public page for the goal: its goal set's page on udir.no (LK20), else Grep's data URL (or "")."""
        language = language or current_language()
        if self.goal_set_id and self.code.startswith("KM"):
            return (f"https://www.udir.no/lk20/{self.curriculum.code.lower()}/kompetansemaal-og-vurdering/"
                    f"{self.goal_set.code.lower()}?lang={GREP_LANGUAGES[language]}")
        return self.url_data
