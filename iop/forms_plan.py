"""Forms for the IOP page: part 1, its special-education rows, the stage, the log."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms import enrolled_subjects, subject_menu

from .models import LogEntry, Plan, PlanSubject

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


class Part1Form(forms.ModelForm):
    part_of_individual_plan = forms.TypedChoiceField(
        label=Plan._meta.get_field("part_of_individual_plan").verbose_name.capitalize(),
        choices=YES_NO_UNDECIDED, widget=forms.RadioSelect, required=False,
        coerce=lambda value: value == "yes", empty_value=None,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Plan
        fields = [
            "part_of_individual_plan", "basis_documents", "mapping_academic", "mapping_social", "goal_kind",
            "goal_text", "long_term_plan", "extended_time", "framework_factors", "partners_internal",
            "partners_external", "other", "evaluation_time",
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


class PlanSubjectForm(forms.ModelForm):
    class Meta:
        model = PlanSubject
        fields = ["subject", "content", "extent", "organisation"]
        widgets = {"content": textarea(3), "organisation": textarea(2)}

    def __init__(self, *args, subjects, menu, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects  # what a posted choice is checked against
        self.fields["subject"].choices = menu
        for field in self.fields.values():  # the rows sit in a table without <label>s
            field.widget.attrs.setdefault("aria-label", field.label)


class BasePlanSubjectFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        chosen = [
            form.cleaned_data["subject"] for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Each subject can be listed only once."))


def plan_subject_formset(data=None, *, plan: Plan):
    formset_class = forms.inlineformset_factory(
        Plan, PlanSubject, form=PlanSubjectForm, formset=BasePlanSubjectFormSet, extra=1, can_delete=True,
        max_num=MAX_SUBJECT_ROWS, validate_max=True, absolute_max=MAX_SUBJECT_ROWS,
    )
    subjects = enrolled_subjects(plan.student, plan.school_year)
    return formset_class(
        data, instance=plan, prefix="subjects", queryset=plan.subjects.select_related("subject"),
        form_kwargs={"subjects": subjects, "menu": subject_menu(subjects)},
    )


class StageForm(forms.Form):
    stage = forms.TypedChoiceField(choices=Plan.Stage.choices, coerce=int)


class LogEntryForm(forms.ModelForm):
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
