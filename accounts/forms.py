from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StudentFilterForm(forms.Form):
    """Filter for the IOP admin's student list (GET)."""

    q = forms.CharField(
        label=_("Name"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    group = forms.ChoiceField(label=_("Class/group"), required=False, widget=forms.Select(attrs={"data-width": "auto"}))

    def __init__(self, data=None, *, groups=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["group"].choices = [("", _("All classes"))] + [(g, g) for g in groups]

    def filter(self, students):
        if not self.is_valid():
            return students
        for word in self.cleaned_data["q"].split():
            students = students.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        if self.cleaned_data["group"]:
            students = students.filter(group=self.cleaned_data["group"])
        return students


def subject_menu(subjects) -> list[tuple]:
    """The subject menu for every row of a formset, read once.

    A ModelChoiceField reads its queryset again each time it renders, which is
    one query per row of the formset.
    """
    return [("", _("Choose a subject")), *((subject.pk, str(subject)) for subject in subjects)]


class SubjectRowMixin:
    """A formset row whose `subject` is one of the student's subjects, from a menu read once."""

    def __init__(self, *args, subjects, menu, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects  # what a posted choice is checked against
        self.fields["subject"].choices = menu


class OneRowPerSubjectMixin:
    """A formset of subject rows in which each subject appears once."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        chosen = [form.cleaned_data["subject"] for form in self.filled_forms()]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Each subject can be listed only once."))

    def filled_forms(self) -> list:
        # An untouched extra row is valid with empty cleaned_data.
        return [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]


class SelfGrantForm(forms.Form):
    """A principal giving the IOP-admin role to themselves says so explicitly."""

    confirm = forms.BooleanField(
        label=_("I am giving the IOP-admin role to myself, and the school's other principals will see it."),
        error_messages={"required": _("Tick the box to confirm that you are giving the role to yourself.")},
    )

