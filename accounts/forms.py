from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .leaving import open_matters
from .oidc.pid import pid_hash


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


def valid_identity_number(number: str) -> bool:
    """Eleven digits with the two mod-11 check digits of a Norwegian national identity (or D-) number."""
    if len(number) != 11 or not number.isdigit():
        return False
    digits = [int(d) for d in number]
    for weights, position in (((3, 7, 6, 1, 8, 9, 4, 5, 2), 9), ((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), 10)):
        check = 11 - sum(w * d for w, d in zip(weights, digits)) % 11
        if check == 11:
            check = 0
        if check == 10 or check != digits[position]:
            return False
    return True


class IdentityNumberField(forms.CharField):
    """A national identity number typed into the admin: checked, never shown again (only its hash is kept)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=True, widget=forms.PasswordInput(render_value=False), **kwargs)

    def clean(self, value):
        number = "".join(str(super().clean(value) or "").split())
        if number and not valid_identity_number(number):
            raise forms.ValidationError(_("Not a valid national identity number (11 digits)."))
        if number and not settings.PID_HASH_KEY:
            raise forms.ValidationError(_("Identity numbers cannot be stored until PID_HASH_KEY is set."))
        return number


class GuardianshipAdminForm(forms.ModelForm):
    """A guardianship of an account, or of a parent known only by national identity number (ID-porten)."""

    identity_number = IdentityNumberField(
        label=_("Guardian's national identity number"),
        help_text=_("Only for a guardian without an account: they get one at their first ID-porten login. "
                    "Stored only as a keyed hash and never shown."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "guardian" in self.fields:  # not on the user's page, where the user is the guardian
            self.fields["guardian"].required = False

    def clean(self):
        cleaned = super().clean()
        known = cleaned.get("guardian") or self.instance.guardian_id or self.instance.guardian_pid_hash
        if not known and not cleaned.get("identity_number"):
            raise forms.ValidationError(_("Choose the guardian's account or type their national identity number."))
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("identity_number"):
            self.instance.guardian_pid_hash = pid_hash(self.cleaned_data["identity_number"])
        return super().save(commit)


class StudentAdminForm(forms.ModelForm):
    """A student; an adult student's national identity number links their ID-porten login to this record."""

    identity_number = IdentityNumberField(
        label=_("National identity number"),
        help_text=_("For logging in with ID-porten. Stored only as a keyed hash and never shown."),
    )
    confirm_leaving = forms.BooleanField(
        label=_("Mark the student as leaving although matters are still open"), required=False,
        help_text=_("Only asked when something must be closed before the student leaves. The confirmation is "
                    "logged."))

    def clean(self):
        cleaned = super().clean()
        self.open_matters = self._open_matters_on_leaving(cleaned)
        if self.open_matters and not cleaned.get("confirm_leaving"):
            self.add_error("confirm_leaving", _("Still open: %(matters)s Close them first, or confirm.")
                           % {"matters": " ".join(self.open_matters)})
        return cleaned

    def _open_matters_on_leaving(self, cleaned) -> list[str]:
        """A leaving date set or moved by hand on an existing student: what is still open."""
        student = self.instance
        marks_leaving = any(cleaned.get(name) and cleaned.get(name) != getattr(student, name)
                            for name in ("left_on", "leaves_on"))
        return open_matters(student) if student.pk and marks_leaving else []

    def save(self, commit=True):
        if self.cleaned_data.get("identity_number"):
            self.instance.pid_hash = pid_hash(self.cleaned_data["identity_number"])
        return super().save(commit)

