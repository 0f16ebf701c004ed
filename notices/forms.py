from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Event


class PreferenceForm(forms.Form):
    """Which events come by e-mail (the list in the app shows them all)."""

    email_events = forms.MultipleChoiceField(
        label=_("Send me an e-mail when"), choices=Event.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
