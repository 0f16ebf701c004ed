"""Forms for the IOP admin's application pages: filters, the application, subject rows, decisions."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import OneRowPerSubjectMixin, SubjectRowMixin, subject_menu
from accounts.guidance import GuidedTextMixin

from documents.forms import DocumentUploadForm

from .models import Application, ApplicationComment, ApplicationSubject, Decision, SchoolBatch

MAX_SUBJECT_ROWS = 50


def date_input():
    # type=date needs ISO dates whatever the UI language's date format is.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class ApplicationFilterForm(forms.Form):
    """Filter for the school's application list (GET)."""

    q = forms.CharField(label=_("Student"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Application.Status.choices]
    )

    def filter(self, applications):
        if not self.is_valid():
            return applications
        for word in self.cleaned_data["q"].split():
            applications = applications.filter(
                Q(student__first_name__icontains=word) | Q(student__last_name__icontains=word)
            )
        if self.cleaned_data["status"]:
            applications = applications.filter(status=self.cleaned_data["status"])
        return applications


class StudentPickForm(forms.Form):
    """The student to add an application for (a hidden field on each row's button)."""

    student = forms.IntegerField(min_value=1)


class ApplicationForm(GuidedTextMixin, forms.ModelForm):
    """The application's text fields and its attachments (from the student's documents)."""

    guidance = {"expert_assessment_summary": "assessment", "student_goal": "goal", "other_information": "sensitive"}

    attachments = forms.ModelMultipleChoiceField(
        label=_("Attachments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("PDF documents from the student's IOP documents (all years). They are sent with the application."),
    )

    class Meta:
        model = Application
        fields = [
            "expert_assessment_date",
            "expert_assessment_by",
            "expert_assessment_summary",
            "student_goal",
            "other_information",
        ]
        widgets = {
            "expert_assessment_date": date_input(),
            "expert_assessment_summary": forms.Textarea(attrs={"rows": 5}),
            "student_goal": forms.Textarea(attrs={"rows": 3}),
            "other_information": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].queryset = documents
        self.fields["attachments"].initial = list(self.instance.attachments.values_list("document_id", flat=True))

    def clean_expert_assessment_date(self):
        return not_in_future(self.cleaned_data["expert_assessment_date"])

    def save_to(self, application: Application) -> None:
        """Write the fields onto `application` (the row locked by application_editing)."""
        for name in self._meta.fields:
            setattr(application, name, self.cleaned_data[name])
        application.save(update_fields=[*self._meta.fields, "changed_at"])


class AttachmentUploadForm(DocumentUploadForm):
    """On the application form: optionally a new PDF, checked and cleaned as on the documents page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="upload", **kwargs)
        self.fields["file"].required = False
        self.sanitized = None

    def clean_file(self):
        return super().clean_file() if self.cleaned_data.get("file") else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("title") and not cleaned.get("file") and not self.has_error("file"):
            self.add_error("file", _("Choose the PDF file to upload, or leave the title empty."))
        return cleaned

    def new_document(self) -> dict | None:
        """The upload for services.application_update, or None when no file was chosen."""
        if self.sanitized is None:
            return None
        return {"title": self.cleaned_data["title"], "visible_to_teachers": self.cleaned_data["visible_to_teachers"],
                "pdf": self.sanitized}


class SubjectRowForm(SubjectRowMixin, forms.Form):
    """One subject with its recommended extent and organisation (Tilrådning)."""

    subject = forms.ModelChoiceField(label=_("Subject"), queryset=None, empty_label=_("Choose a subject"))
    # No help texts: the rows sit in a table, whose caption and headers explain the columns.
    extent = forms.CharField(label=_("Recommended extent"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BaseSubjectRowFormSet(OneRowPerSubjectMixin, forms.BaseFormSet):
    def rows(self) -> list[tuple]:
        """(subject, extent, organisation) of the filled rows not marked for removal."""
        return [
            (form.cleaned_data["subject"], form.cleaned_data["extent"], form.cleaned_data["organisation"])
            for form in self.filled_forms()
        ]

    def save_to(self, application: Application) -> None:
        """Replace the subjects applied for; call inside application_editing."""
        application.subjects.all().delete()
        ApplicationSubject.objects.bulk_create(
            ApplicationSubject(application=application, subject=subject, extent=extent, organisation=organisation)
            for subject, extent, organisation in self.rows()
        )


def subject_formset(data=None, *, subjects, initial=(), extra=1):
    formset_class = forms.formset_factory(
        SubjectRowForm, formset=BaseSubjectRowFormSet, extra=extra, can_delete=True,
        max_num=MAX_SUBJECT_ROWS, validate_max=True, absolute_max=MAX_SUBJECT_ROWS,
    )
    return formset_class(
        data, initial=list(initial), prefix="subjects",
        form_kwargs={"subjects": subjects, "menu": subject_menu(subjects)},
    )


class SentOnForm(forms.Form):
    """The day an application or a school batch was sent: today or earlier."""

    sent_on = forms.DateField(label=_("Sent on"), widget=date_input(), initial=timezone.localdate)

    def clean_sent_on(self):
        return not_in_future(self.cleaned_data["sent_on"])


class DecisionForm(forms.Form):
    """The authority's decision as the school received it."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Decision date"), widget=date_input())
    reference = forms.CharField(
        label=_("Reference"), max_length=100, required=False, help_text=_("The authority's case number.")
    )

    def clean_decided_on(self):
        return not_in_future(self.cleaned_data["decided_on"])


class StudentChoiceForm(forms.Form):
    """Step one of a decision without an application: which student (GET)."""

    elev = forms.ModelChoiceField(label=_("Student"), queryset=None, empty_label=_("Choose a student"))

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elev"].queryset = students
        self.fields["elev"].label_from_instance = lambda student: f"{student.full_name} ({student.group})"


class ApprovalForm(forms.Form):
    """The hash of the content the approver read: approval is of exactly that content."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CommentForm(forms.ModelForm):
    """Instead of approving: I do not agree, or I have a question, with a text; about the content read."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = ApplicationComment
        fields = ["kind", "text"]
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4, "maxlength": 4000})}
        labels = {"kind": _("Your answer"), "text": _("Your comment to the school")}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) > 4000:
            raise forms.ValidationError(_("Write at most 4000 characters."))
        return text


class DecisionCorrectionForm(DecisionForm):
    """The decision as it should have been registered, and why it is corrected."""

    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the date was typed wrong. Kept with the decision's history."),
    )


class BatchCreateForm(forms.ModelForm):
    class Meta:
        model = SchoolBatch
        fields = ["name", "authority"]
        labels = {"authority": _("Recipient (county or municipality)")}
