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
