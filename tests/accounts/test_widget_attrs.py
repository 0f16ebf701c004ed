"""The form widgets' attributes, written in Python (accounts/templatetags/iop_tags.py: widget_attrs), come out
as the templates wrote them: Designsystemet's class first, False left out, True bare, every text escaped."""

import pytest
from django import forms
from django.template import Context, Template

from accounts.templatetags.iop_tags import widget_attrs

# What templates/django/forms/widgets/ds_attrs.html and Django's widgets/attrs.html (hidden inputs) wrote.
DESIGN = Template(
    ' class="ds-input{% if widget.attrs.class %} {{ widget.attrs.class }}{% endif %}"{% for name, value in '
    'widget.attrs.items %}{% if value is not False and name != "class" %} {{ name }}{% if value is not True %}='
    '"{{ value|stringformat:\'s\' }}"{% endif %}{% endif %}{% endfor %}')
PLAIN = Template('{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}{% if value '
                 'is not True %}="{{ value|stringformat:\'s\' }}"{% endif %}{% endif %}{% endfor %}')

ATTRS = [
    {},
    {"id": "id_text", "required": True, "disabled": False, "maxlength": 200},
    {"class": "wide", "aria-describedby": "id_text_helptext id_text_error", "aria-invalid": "true"},
    {"placeholder": 'Say "hi" & <b>', "data-x": "'quoted'", "autofocus": True},
]


@pytest.mark.parametrize("widget", [forms.TextInput(), forms.Textarea(), forms.Select(), forms.HiddenInput()])
@pytest.mark.parametrize("attrs", ATTRS)
def test_the_attributes_are_written_as_the_templates_wrote_them(widget, attrs):
    context = widget.get_context("field", "value", attrs)["widget"]
    reference = PLAIN if getattr(widget, "input_type", None) == "hidden" else DESIGN
    assert widget_attrs(context) == reference.render(Context({"widget": context}))


def test_a_rendered_field_carries_its_attributes():
    class Form(forms.Form):
        text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"class": "wide"}))

    html = str(Form()["text"])
    assert html == '<input type="text" name="text" class="ds-input wide" maxlength="20" required id="id_text">'
