"""Forms of part 2: competence-goal rows and the half-year/annual assessments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Goal


class GoalForm(forms.ModelForm):
    """A goal row; `version` is the row's version when the form was opened (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["competence_goal", "learning_goal", "content"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}

    def __init__(self, *args, draft_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name in self.Meta.fields:
            self.fields[name].widget.attrs["data-draft-key"] = f"{draft_key}-{name}"


class AssessmentForm(forms.Form):
    """A half-year or annual assessment: two texts, the done mark and the version it was opened at."""

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

    def __init__(self, *args, draft_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("development", "opportunities"):
            self.fields[name].widget.attrs["data-draft-key"] = f"{draft_key}-{name}"
