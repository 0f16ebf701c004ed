"""The goal-bank search form."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .models import Curriculum

MAX_QUERY = 200


def _after_year(year: int) -> str:
    return pgettext("goal bank level", "After year %(year)s") % {"year": year}


# Grep's levels (a goal set's etter-aarstrinn): after years 1-10 of primary and lower secondary, Vg1-Vg3.
LEVELS = [
    ("", _("All levels")),
    *((f"aarstrinn{year}", lazy(_after_year, str)(year)) for year in range(1, 11)),
    *((f"vg{year}", f"Vg{year}") for year in range(1, 4)),
]


class CurriculumChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, curriculum):
        return f"{curriculum.code} {curriculum.title}"


class GoalSearchForm(forms.Form):
    """Words to find in a goal's text or code, within one curriculum or all, at one level or all. A bad value is
    a form error."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=MAX_QUERY)
    laereplan = CurriculumChoiceField(
        label=_("Curriculum"), required=False, to_field_name="code", empty_label=_("All curricula"),
        queryset=Curriculum.objects.order_by("code"),
    )
    trinn = forms.ChoiceField(label=_("Level"), required=False, choices=LEVELS)
