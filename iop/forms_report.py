"""Forms of the annual report and the certificate annex."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AnnexRow, Plan

REPORT_TEXTS = ["report_training", "report_assessment", "report_continued_need"]


class ReportForm(forms.ModelForm):
    """The three report texts and the sent date; `version` guards against lost work."""

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

    def values(self) -> dict:
        # update() skips auto_now; drafts.js compares its drafts with changed_at.
        return {**{name: self.cleaned_data[name] for name in self._meta.fields}, "changed_at": timezone.now()}


class AnnexRowForm(forms.ModelForm):
    class Meta:
        model = AnnexRow
        fields = ["extent", "subject_topic", "year", "assessment"]
        widgets = {"assessment": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"extent": {"invalid": _("Enter the extent as a whole number, e.g. 140.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extent"].widget.attrs.update({"min": 0, "step": 1, "inputmode": "numeric"})


class NotationChoiceForm(forms.Form):
    """Per subject: does the student get a grade? Default: no basis for a grade."""

    HAS_GRADE, NO_BASIS = "grade", "iv"
    CHOICES = [(HAS_GRADE, _("Has a grade")), (NO_BASIS, _("No basis for a grade"))]

    def __init__(self, data, *, subjects):
        choices = {self.key(subject): data.get(self.key(subject), self.NO_BASIS) for subject in subjects}
        super().__init__(choices)
        self.subjects = subjects
        for subject in subjects:
            self.fields[self.key(subject)] = forms.ChoiceField(
                label=str(subject.subject), choices=self.CHOICES, initial=self.NO_BASIS,
                widget=forms.RadioSelect, required=False,
            )

    @staticmethod
    def key(plan_subject) -> str:
        return f"s{plan_subject.pk}"

    def has_grade(self, plan_subject) -> bool:
        return self.data.get(self.key(plan_subject)) == self.HAS_GRADE
