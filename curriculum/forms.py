"""The goal-bank search form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Curriculum

MAX_QUERY = 200


class CurriculumChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, curriculum):
        return f"{curriculum.code} {curriculum.title}"


class GoalSearchForm(forms.Form):
    """Words to find in a goal's text or code, within one curriculum or all. A bad value is a form error."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=MAX_QUERY)
    laereplan = CurriculumChoiceField(
        label=_("Curriculum"), required=False, to_field_name="code", empty_label=_("All curricula"),
        queryset=Curriculum.objects.order_by("code"),
    )
