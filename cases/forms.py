from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.guidance import GuidedTextMixin
from accounts.models import School, User
from documents.forms import clean_pdf_upload, upload_title

from .models import Case, CaseType, Event

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username} ({user.username})"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username} ({user.username})"


def staff_of(school: School):
    """Who may be named on a case: the school's staff with an active login."""
    return (User.objects.filter(staff_memberships__school=school, is_active=True).distinct()
            .order_by("last_name", "first_name", "username"))


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or class"), max_length=100, required=False)


class CaseTypeForm(forms.Form):
    name = forms.CharField(label=_("New case type"), max_length=100)


class CaseForm(GuidedTextMixin, forms.ModelForm):
    """A new person case. The case creator must choose the type (no default): the teacher has said which."""

    guidance = {"description": "sensitive"}

    class Meta:
        model = Case
        fields = ["case_type", "category", "description", "handler"]
        field_classes = {"handler": StaffChoiceField}
        help_texts = {
            "description": _("A few words on what the case is about. The details go in its events."),
            "handler": _("Normally the student's contact teacher. The handler reads and writes the case."),
        }

    co_handlers = StaffMultipleChoiceField(
        label=_("Co-handlers (optional)"), queryset=User.objects.none(), required=False,
        help_text=_("They read and write the whole case too. Add only those who need to; the handler can add "
                    "and remove co-handlers later."))

    def __init__(self, *args, student, case_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = CaseType.objects.filter(pk__in=[t.pk for t in case_types if t.active])
        self.fields["case_type"].empty_label = _("Choose the case type")
        self.fields["category"].choices = [("", _("Choose a category")), *Case.Category.choices]
        staff = staff_of(student.school)
        self.fields["handler"].queryset = staff
        self.fields["handler"].empty_label = _("Choose the handler")
        self.fields["co_handlers"].queryset = staff
        if not self.is_bound and student.contact_teacher_id and staff.filter(pk=student.contact_teacher_id).exists():
            self.initial["handler"] = student.contact_teacher_id


class StaffForm(forms.Form):
    """Name someone of the school's staff (a co-handler, or a new handler)."""

    user = StaffChoiceField(label=_("Person"), queryset=User.objects.none(), empty_label=_("Choose a person"))

    def __init__(self, *args, school: School, exclude=(), label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_of(school).exclude(pk__in=list(exclude))
        if label:
            self.fields["user"].label = label


class CloseForm(GuidedTextMixin, forms.Form):
    guidance = {"note": "sensitive"}

    note = forms.CharField(label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
                           help_text=_("Why the case is closed and what was done. Handlers read it later."))


class MultiplePdfInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PdfFilesField(forms.FileField):
    """Zero or more PDFs, each checked and cleaned like every upload."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePdfInput(attrs={"accept": "application/pdf"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data] if data else []
        single = super().clean
        return [(upload_title(upload), clean_pdf_upload(single(upload, initial))) for upload in uploads]


class EventForm(GuidedTextMixin, forms.Form):
    guidance = {"text": "sensitive"}

    category = forms.ChoiceField(label=_("Category"), choices=Event.Category.choices)
    kind = forms.ChoiceField(label=_("Type of event"), choices=Event.Kind.choices, initial=Event.Kind.NOTE)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate,
                                  help_text=_("When it happened."))
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=50000)

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class NewEventForm(EventForm):
    attachments = PdfFilesField(label=_("Attachments (PDF, optional)"), required=False,
                                help_text=_("You can choose several files."))


class CorrectionForm(EventForm):
    based_on = forms.IntegerField(widget=forms.HiddenInput)
