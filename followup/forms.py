from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.guidance import GuidedTextMixin
from accounts.models import User

from .models import Approach, Measure, Meeting, Plan, Resource, Signal, Talk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessForm(GuidedTextMixin, forms.Form):
    guidance = {"reason": "observation"}

    TAKE, DISMISS = "take", "dismiss"
    decision = forms.ChoiceField(label=_("Assessment"), widget=forms.RadioSelect, choices=[
        (TAKE, _("Take into mapping")), (DISMISS, _("Dismiss"))])
    reason = forms.CharField(label=_("Why dismissed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DISMISS and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the signal is dismissed."))
        return data


class ConcernForm(GuidedTextMixin, forms.Form):
    guidance = {"text": "observation"}

    student = forms.ModelChoiceField(label=_("Student"), queryset=None)
    rule = forms.ChoiceField(label=_("What worries you"), widget=forms.RadioSelect,
                             choices=[(rule.value, rule.label) for rule in Signal.CONCERNS])
    text = forms.CharField(label=_("Describe what you have seen"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students.order_by("group", "last_name", "first_name")
        self.fields["student"].label_from_instance = lambda s: f"{s.full_name} ({s.group})"


class TalkForm(GuidedTextMixin, forms.ModelForm):
    guidance = {"student_view": "student_view", "wishes": "student_view", "notes": "observation"}

    causes = forms.MultipleChoiceField(label=_("Causes"), required=False, widget=forms.CheckboxSelectMultiple,
                                       choices=Talk.Cause.choices)

    class Meta:
        model = Talk
        fields = ["held_on", "participants", "student_view", "causes", "wishes", "notes"]
        widgets = {"held_on": DATE, **{name: forms.Textarea(attrs={"rows": 3})
                                       for name in ("student_view", "wishes", "notes")}}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())  # the instance has no date yet
        super().__init__(*args, **kwargs)


class MeasureForm(GuidedTextMixin, forms.ModelForm):
    guidance = {"approach": "measure", "evaluation": "measure"}

    catalogue = forms.MultipleChoiceField(
        label=_("Approaches from the catalogue"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what fits, and write more below if you need to."))

    class Meta:
        model = Measure
        fields = ["challenge", "catalogue", "approach", "responsible", "extent", "starts_on", "ends_on", "evaluator",
                  "evaluation"]
        labels = {"approach": _("Approach in your own words")}
        widgets = {"starts_on": DATE, "ends_on": DATE, "approach": forms.Textarea(attrs={"rows": 3}),
                   "evaluation": forms.Textarea(attrs={"rows": 3}), "responsible": forms.CheckboxSelectMultiple}

    def __init__(self, *args, staff, catalogue: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Measure.Challenge.choices)
        self.fields["catalogue"].choices = [(text, f"{labels[challenge]}: {text}") for challenge, text in catalogue]
        self.fields["approach"].required = False
        self.fields["responsible"].queryset = staff
        self.fields["evaluator"].queryset = staff
        for name in ("responsible", "evaluator"):
            self.fields[name].label_from_instance = User.get_full_name

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The measure ends before it starts."))
        chosen = [text for text in data.get("catalogue", []) if text not in data.get("approach", "")]
        data["approach"] = "\n".join([*chosen, data.get("approach", "").strip()]).strip()
        if not data["approach"]:
            self.add_error("approach", _("Choose an approach from the catalogue or write one."))
        return data


class ApproachForm(forms.ModelForm):
    class Meta:
        model = Approach
        fields = ["challenge", "text"]


class InformedForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["guardians_informed_on", "guardians_informed_how"]
        widgets = {"guardians_informed_on": DATE}

    def clean(self):
        data = super().clean()
        for name in self.Meta.fields:
            if not data.get(name):
                self.add_error(name, _("This field is required."))
        return data


class EvaluateForm(GuidedTextMixin, forms.Form):
    guidance = {"note": "assessment"}

    outcome = forms.ChoiceField(label=_("How the plan ends"), widget=forms.RadioSelect, choices=Plan.Outcome.choices)
    note = forms.CharField(label=_("Evaluation of the plan"), widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(GuidedTextMixin, forms.Form):
    guidance = {"text": "observation"}

    text = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(GuidedTextMixin, forms.ModelForm):
    guidance = {"notes": "observation"}

    class Meta:
        model = Meeting
        fields = ["held_on", "themes", "notes"]
        widgets = {"held_on": DATE, "themes": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 4})}


class DecisionForm(GuidedTextMixin, forms.Form):
    guidance = {"text": "measure"}

    student = forms.ModelChoiceField(label=_("Student"), queryset=None)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["name", "notes", "available"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
