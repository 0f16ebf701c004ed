"""Forms of the IOP: part 1, subjects, log, part 2 goals and assessments, the annual report and annex."""

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.forms import OneRowPerSubjectMixin, SubjectRowMixin, subject_menu
from accounts.guidance import GuidedTextMixin
from accounts.models import Subject
from applications.forms import not_in_future
from curriculum.selectors import published_goal

from .models import AnnexRow, Goal, LogEntry, Plan, PlanSubject, SchoolSettings, SchoolYearDeadlines


MAX_SUBJECT_ROWS = 50
YES_NO_UNDECIDED = [("yes", _("Yes")), ("no", _("No")), ("", _("Not decided"))]


def textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


def keep_drafts(form, prefix: str, since=None) -> None:
    """Mark every textarea for static/js/drafts.js: a key per object and field, and when the
    server's text last changed (a draft older than that is dropped rather than restored)."""
    since_ms = int(since.timestamp() * 1000) if since else 0
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.update({"data-draft-key": f"{prefix}-{name}", "data-draft-since": since_ms})


PART1_TEXTS = [
    "basis_documents", "mapping_academic", "mapping_social", "goal_text", "long_term_plan", "extended_time",
    "framework_factors", "partners_internal", "partners_external", "other", "evaluation_time",
]


class Part1Form(GuidedTextMixin, forms.ModelForm):
    guidance = {
        "mapping_academic": "assessment", "mapping_social": "observation", "goal_text": "goal",
        "long_term_plan": "goal", "framework_factors": "sensitive", "other": "sensitive",
    }

    part_of_individual_plan = forms.TypedChoiceField(
        label=capfirst(Plan._meta.get_field("part_of_individual_plan").verbose_name),  # lazy, case kept
        choices=YES_NO_UNDECIDED, widget=forms.RadioSelect, required=False,
        coerce=lambda value: value == "yes", empty_value=None,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Plan
        fields = [
            "part_of_individual_plan", "basis_documents", "mapping_academic", "mapping_social", "goal_kind",
            "goal_text", "long_term_plan", "extended_time", "framework_factors", "partners_internal",
            "partners_external", "other", "evaluation_time", "builds_on_upper_levels",
        ]
        widgets = {"goal_kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        self.initial["version"] = plan.part1_version
        value = plan.part_of_individual_plan
        self.initial["part_of_individual_plan"] = "" if value is None else ("yes" if value else "no")
        self.fields["goal_kind"].choices = [("", _("Not decided")), *Plan.GoalKind.choices]
        keep_drafts(self, f"iop-{plan.pk}-part1", plan.changed_at)

    def values(self) -> dict:
        """The part-1 fields to save (without the version)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlanSubjectForm(SubjectRowMixin, forms.ModelForm):
    class Meta:
        model = PlanSubject
        fields = ["subject", "content", "extent", "organisation"]
        widgets = {"content": textarea(3), "organisation": textarea(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the rows sit in a table without <label>s
            field.widget.attrs.setdefault("aria-label", field.label)


class BasePlanSubjectFormSet(OneRowPerSubjectMixin, forms.BaseInlineFormSet):
    pass


def plan_subject_formset(data=None, *, plan: Plan):
    formset_class = forms.inlineformset_factory(
        Plan, PlanSubject, form=PlanSubjectForm, formset=BasePlanSubjectFormSet, extra=1, can_delete=True,
        max_num=MAX_SUBJECT_ROWS, validate_max=True, absolute_max=MAX_SUBJECT_ROWS,
    )
    subjects = Subject.objects.taken_by(plan.student, plan.school_year)
    return formset_class(
        data, instance=plan, prefix="subjects", queryset=plan.subjects.select_related("subject"),
        form_kwargs={"subjects": subjects, "menu": subject_menu(subjects)},
    )


DIRECTIONS = {"up": -1, "down": +1}


def direction_from(data) -> int | None:
    """-1 (up) or +1 (down) from a posted "direction", or None for anything else."""
    return DIRECTIONS.get(data.get("direction"))


class StageForm(forms.Form):
    stage = forms.TypedChoiceField(choices=Plan.Stage.choices, coerce=int)


class LogEntryForm(GuidedTextMixin, forms.ModelForm):
    guidance = {"text": "observation"}

    class Meta:
        model = LogEntry
        fields = ["text"]
        widgets = {"text": textarea(4)}

    def __init__(self, *args, plan: Plan, newest_entry_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            keep_drafts(self, f"iop-{plan.pk}-log-{self.instance.pk}", self.instance.changed_at)
        else:  # a draft of a new entry is done once any newer entry exists
            keep_drafts(self, f"iop-{plan.pk}-log-new", newest_entry_at)


class LogEntryEditForm(LogEntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version


class SwitchForm(forms.Form):
    plan = forms.IntegerField(min_value=1)


GOAL_TEXTS = ["competence_goal", "learning_goal", "content"]


class GoalForm(GuidedTextMixin, forms.ModelForm):
    """A goal row; `version` is the row's version when the form was opened (optimistic locking)."""

    guidance = {"competence_goal": "goal", "learning_goal": "goal", "content": "goal"}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["competence_goal", "grep_code", "learning_goal", "content", "reached"]
        widgets = {**{name: forms.Textarea(attrs={"rows": 3}) for name in GOAL_TEXTS}, "grep_code": forms.HiddenInput}

    def __init__(self, *args, draft_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name in GOAL_TEXTS:
            self.fields[name].widget.attrs["data-draft-key"] = f"{draft_key}-{name}"

    def clean_grep_code(self) -> str:
        """Empty for a goal in free text; else a published goal of the goal bank (or the code the row has)."""
        code = self.cleaned_data["grep_code"].strip()
        if code and code != self.instance.grep_code and published_goal(code) is None:
            raise forms.ValidationError(_("This code is not a competence goal in the goal bank."))
        return code

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AssessmentForm(GuidedTextMixin, forms.Form):
    """A half-year or annual assessment: two texts, the done mark and the version it was opened at."""

    guidance = {"development": "assessment", "opportunities": "assessment"}

    development = forms.CharField(
        label=_("Assessment of the student's development"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    opportunities = forms.CharField(
        label=_("Assessment of the student's further development opportunities"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    done = forms.BooleanField(label=_("Done"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, draft_key: str = "", goals=(), scale=(), **kwargs):
        """`goals`: the subject's goals, each given a choice on the school's progress `scale`."""
        super().__init__(*args, **kwargs)
        for name in ("development", "opportunities"):
            self.fields[name].widget.attrs["data-draft-key"] = f"{draft_key}-{name}"
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[self.progress_key(goal)] = forms.TypedChoiceField(
                label=goal.summary, required=False, coerce=int, empty_value=None,
                choices=[("", _("Not assessed")), *scale], widget=forms.RadioSelect,
            )

    @staticmethod
    def progress_key(goal) -> str:
        return f"progress_{goal.pk}"

    def progress_fields(self):
        return [self[self.progress_key(goal)] for goal in self.goals]

    def progress(self) -> dict[int, int | None]:
        """Goal id → the step chosen (None: not assessed), from the valid form."""
        return {goal.pk: self.cleaned_data[self.progress_key(goal)] for goal in self.goals}


REPORT_TEXTS = ["report_training", "report_assessment", "report_continued_need"]


class ReportForm(GuidedTextMixin, forms.ModelForm):
    """The three report texts and the sent date; `version` guards against lost work."""

    guidance = {"report_training": "measure", "report_assessment": "assessment", "report_continued_need": "assessment"}

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Plan
        fields = [*REPORT_TEXTS, "report_sent_on"]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 6}) for name in REPORT_TEXTS},
            "report_sent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, instance=plan, initial={"version": plan.report_version}, **kwargs)
        since = int(plan.changed_at.timestamp() * 1000) if plan.changed_at else 0
        for name in REPORT_TEXTS:
            # drafts.js keeps what is typed in the browser, per plan and field.
            self.fields[name].widget.attrs.update({"data-draft-key": f"iop-{plan.pk}-{name}", "data-draft-since": since})

    def clean_report_sent_on(self):
        # One rule for every "sent" date: the school batch's (applications) and the report's.
        return not_in_future(self.cleaned_data["report_sent_on"])

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


# The year the training ended: 2027, or a school year 2026/2027.
ANNEX_YEAR = re.compile(r"^(\d{4})(?:\s*/\s*(\d{4}))?$")


def clean_annex_year(value: str) -> str:
    match = ANNEX_YEAR.match(value.strip())
    if not match or (match[2] and int(match[2]) != int(match[1]) + 1):
        raise forms.ValidationError(
            _("Enter the year the training ended as four digits, e.g. 2027, or as a school year, e.g. 2026/2027.")
        )
    return f"{match[1]}/{match[2]}" if match[2] else match[1]


class AnnexRowForm(GuidedTextMixin, forms.ModelForm):
    guidance = {"assessment": "assessment"}

    class Meta:
        model = AnnexRow
        fields = ["extent", "subject_topic", "year", "assessment"]
        widgets = {"assessment": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"extent": {"invalid": _("Enter the extent as a whole number, e.g. 140.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extent"].widget.attrs.update({"min": 0, "step": 1, "inputmode": "numeric"})
        self.fields["year"].help_text = _("The year the training ended, e.g. 2027 or 2026/2027.")
        self.fields["year"].widget.attrs["inputmode"] = "numeric"

    def clean_year(self):
        return clean_annex_year(self.cleaned_data["year"])


class AnnexFromGoalsForm(forms.Form):
    """Annex rows from reached part-2 goals: one row per subject, listing its chosen goals."""

    goals = forms.ModelMultipleChoiceField(
        label=_("Reached goals"), queryset=Goal.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reached goal.")},
    )
    extent = forms.IntegerField(
        label=_("Extent"), min_value=0, help_text=_("A whole number, e.g. hours; the same for each new row."),
        error_messages={"invalid": _("Enter the extent as a whole number, e.g. 140.")},
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, auto_id="id_from_goals_%s", **kwargs)  # beside the row form's fields on one page
        self.fields["goals"].queryset = goals
        self.fields["goals"].label_from_instance = lambda goal: f"{goal.plan_subject.subject}: {goal.summary}"


class NotationChoiceForm(forms.Form):
    """Per subject: does the student get a grade? Starts from the choices saved with the plan."""

    HAS_GRADE, NO_BASIS = "grade", "iv"
    CHOICES = [(HAS_GRADE, _("Has a grade")), (NO_BASIS, _("No basis for a grade"))]

    def __init__(self, data=None, *, subjects):
        super().__init__(data)
        self.subjects = subjects
        for subject in subjects:
            self.fields[self.key(subject)] = forms.ChoiceField(
                label=str(subject.subject), choices=self.CHOICES, widget=forms.RadioSelect,
                initial=self.HAS_GRADE if subject.certificate_grade else self.NO_BASIS,
            )

    @staticmethod
    def key(plan_subject) -> str:
        return f"s{plan_subject.pk}"

    def grades(self) -> dict[int, bool]:
        """Plan subject id → has a grade, from the valid form."""
        return {s.pk: self.cleaned_data[self.key(s)] == self.HAS_GRADE for s in self.subjects}


class PlanCopyForm(forms.Form):
    """What to copy from last year's IOP into this year's, one box per section of the preview."""

    part1 = forms.BooleanField(label=_("Copy the texts of part 1"), required=False, initial=True)
    subjects = forms.BooleanField(label=_("Copy the special-education subjects"), required=False, initial=True)
    goals = forms.BooleanField(label=_("Copy the goals not reached"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(_("Choose at least one part to copy, or create the IOP without copying."))
        if data.get("goals") and not data.get("subjects"):
            self.add_error("goals", _("Goals are copied into their subjects: choose the subjects too."))
        return data

    def sections(self) -> frozenset[str]:
        """The chosen sections (their names are the service's COPY_* names)."""
        return frozenset(name for name in self.fields if self.cleaned_data[name])


# --- Progress overview and the school's IOP settings (issue 18 part 3) ---------------------------

OVERVIEW_SORTS = [
    ("name", _("Name, A–Z")), ("-name", _("Name, Z–A")), ("group", _("Class/group")),
    ("stage", _("Stage, first to last")), ("-stage", _("Stage, last to first")),
]


class OverviewFilterForm(forms.Form):
    """The coordinator overview's filters and order. A bad value is a form error, never a 500."""

    stage = forms.TypedChoiceField(label=_("Stage"), required=False, coerce=int, empty_value=None,
                                   choices=[("", _("All stages")), *Plan.Stage.choices])
    teacher = forms.TypedChoiceField(label=_("Teacher"), required=False, coerce=int, empty_value=None)
    not_done = forms.BooleanField(label=_("Only IOPs with work not done"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=OVERVIEW_SORTS)

    def __init__(self, data=None, *, teachers: list[tuple[int, str]]):
        """`teachers`: the school's, as (user id, name); only those may be chosen."""
        super().__init__(data)
        # Ids as text: the menu prints them as they are, not as localised numbers.
        self.fields["teacher"].choices = [("", _("All teachers")), *((str(pk), name) for pk, name in teachers)]

    def filters(self) -> dict:
        """The valid form's choices as keyword arguments of overview.school_plans."""
        data = self.cleaned_data
        return {"stage": data["stage"], "teacher": data["teacher"], "not_done": data["not_done"],
                "sort": data["sort"] or "name"}


class SchoolSettingsForm(forms.ModelForm):
    """The progress scale's names and the deadline rules of a school (empty name: the default)."""

    class Meta:
        model = SchoolSettings
        fields = ["scale_1", "scale_2", "scale_3", "scale_4", "plan_weeks_after_decision", "approval_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for step, default in enumerate(SchoolSettings.DEFAULT_SCALE, 1):
            self.fields[f"scale_{step}"].widget.attrs["placeholder"] = default
        self.fields["plan_weeks_after_decision"].validators.append(MaxValueValidator(52))
        self.fields["plan_weeks_after_decision"].widget.attrs.update(min=1, max=52)
        self.fields["approval_days"].validators.append(MaxValueValidator(365))
        self.fields["approval_days"].widget.attrs.update(min=1, max=365)

    def clean(self):
        data = super().clean()
        for name in ("plan_weeks_after_decision", "approval_days"):
            if data.get(name) == 0:
                self.add_error(name, _("Give at least 1."))
        return data


class YearDeadlinesForm(forms.ModelForm):
    """The school's due dates for one school year; each date must fall inside the year."""

    class Meta:
        model = SchoolYearDeadlines
        fields = ["half_year_due", "annual_due"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in fields}

    def __init__(self, *args, school_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_year = school_year

    def clean(self):
        data = super().clean()
        year = self.school_year
        for name in ("half_year_due", "annual_due"):
            day = data.get(name)
            if day and not year.starts_on <= day <= year.ends_on:
                self.add_error(name, _("Choose a date in the school year %(year)s.") % {"year": year})
        if data.get("half_year_due") and data.get("annual_due") and data["annual_due"] < data["half_year_due"]:
            self.add_error("annual_due", _("The annual report is due after the half-year assessments."))
        return data
