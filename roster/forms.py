from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ZIP_MAGIC = b"PK\x03\x04"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Export (zip)"),
        help_text=_("A zip of the OneRoster CSV files from the school administration system: orgs.csv, "
                    "users.csv, … and, if you have them, grades.csv, absence.csv and admissions.csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)

    def __init__(self, *args, schools, system_admin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if system_admin:
            self.fields["school"].required = False
            self.fields["school"].empty_label = _("Every school in the export")
        elif schools.count() == 1:
            self.fields["school"].initial = schools.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ROSTER_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20})
        head = upload.read(4)
        upload.seek(0)
        if head != ZIP_MAGIC:
            raise forms.ValidationError(_("The file is not a zip archive. Put the CSV files in a zip first."))
        return upload
