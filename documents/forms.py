from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .access import grant_recipients
from .models import Document
from .sanitize import RejectedPdf, SanitizedPdf, sanitize_pdf


def clean_pdf_upload(upload) -> SanitizedPdf:
    """An uploaded PDF, checked and cleaned (documents.sanitize), or a ValidationError saying why not."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        # Refuse before reading the whole file into memory.
        raise forms.ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    try:
        return sanitize_pdf(upload.read())
    except RejectedPdf as rejection:
        raise forms.ValidationError(rejection.message) from None


def upload_title(upload) -> str:
    """A title from the uploaded file's name."""
    return PurePath(upload.name).stem[:200] or str(_("Document"))


class DocumentUploadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    visible_to_teachers = forms.BooleanField(label=_("Visible to subject teachers"), required=False)
    file = forms.FileField(label=_("PDF file"), help_text=_("PDF only, at most %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.sanitized = clean_pdf_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and cleaned.get("file"):
            cleaned["title"] = upload_title(cleaned["file"])
        return cleaned


class DocumentEditForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "visible_to_teachers"]
        labels = {"title": _("Title"), "visible_to_teachers": _("Visible to subject teachers")}


class GrantForm(forms.Form):
    """One more person to download the document, picked from those a grant may go to (documents.access)."""

    grantee = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        help_text=_("A guardian of the student, the student, or staff at the school."),
        # The same words for any id not in the list, so a forged id reveals nothing about who exists.
        error_messages={"invalid_choice": _("Choose a person from the list.")},
    )

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        people = grant_recipients(student).order_by("last_name", "first_name", "username")
        self.fields["grantee"].queryset = people
        self.fields["grantee"].label_from_instance = _person_label


def _person_label(person) -> str:
    return f"{person.get_full_name() or person.username} ({person.username})"
