"""A system administrator in the Django admin, and the POST a browser would send back."""

import pytest
from django.forms import CheckboxInput, MultiWidget

from audit.models import AccessEvent

from ..factories import UserFactory
from .verified import force_login_verified


@pytest.fixture
def sysadmin(client):
    user = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    force_login_verified(client, user)
    return user


def events(**filters):
    """The admin's events (the login event of `force_login` left out), oldest first."""
    return list(AccessEvent.objects.exclude(action=AccessEvent.Action.LOGIN).filter(**filters).order_by("pk"))


def form_data(response) -> dict:
    """The change page's forms as a browser would submit them, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            names = [bound.html_name] + ([bound.html_initial_name] if bound.field.show_hidden_initial else [])
            for html_name in names:
                data.update(_as_posted(html_name, bound.field.widget, bound.value()))
    return data


def _as_posted(name: str, widget, value) -> dict:
    if isinstance(widget, MultiWidget):
        return {f"{name}_{i}": "" if part is None else str(part) for i, part in enumerate(widget.decompress(value))}
    if isinstance(widget, CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(value, (list, tuple)):
        return {name: [str(v) for v in value]}
    return {name: "" if value is None else str(value)}
