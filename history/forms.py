"""The restore form and the choice of two versions to compare."""

from django import forms


class RestoreForm(forms.Form):
    number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)  # which version to restore
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)  # the text's version when the page opened


class CompareForm(forms.Form):
    fra = forms.IntegerField(min_value=1)  # the older version's number
    til = forms.IntegerField(min_value=1)  # the newer version's number
