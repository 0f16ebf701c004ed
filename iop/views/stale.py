"""The one answer to a stale edit (409): someone saved the same text after this form was opened."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def stale_edit_response(request: HttpRequest, *, instance, fields: list[str], version_field: str, template: str,
                        context: dict, form_for: Callable[[dict], object]) -> HttpResponse:
    """Nothing was overwritten: show the text saved now beside the user's own, kept in the form.

    The form now carries the saved version, so saving again (after merging) replaces it knowingly.
    """
    instance.refresh_from_db(fields=[*fields, version_field])
    saved = [(instance._meta.get_field(name).verbose_name, getattr(instance, name)) for name in fields]
    data = request.POST.copy()
    data["version"] = getattr(instance, version_field)
    form = form_for(data)
    form.is_valid()  # show the user's text as they typed it, errors and all
    return render(request, template, {**context, "form": form, "stale_saved": saved}, status=409)
