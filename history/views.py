"""A text's versions (who saved, when), the difference of two, and restoring one.

Only those who may write the text get here (history.access); a restore is a save like any other,
refused (409) when someone saved the text after the page was opened.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.exceptions import Refused
from iop.models import StaleEdit

from . import selectors, services
from .access import get_text_for
from .forms import CompareForm, RestoreForm
from .selectors import latest_history_id
from .texts import application_of


@login_required
@require_GET
def text_versions(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Those who may write the text (§4): its versions, with who saved and when."""
    text, instance, student = get_text_for(request, kind, pk)
    return render(request, "history/versions.html", _context(text, instance, student))


@login_required
@require_GET
def text_difference(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Those who may write the text: two of its versions side by side, the changes marked."""
    text, instance, student = get_text_for(request, kind, pk)
    context = _context(text, instance, student)
    form = CompareForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose two versions to compare."))
        return render(request, "history/versions.html", context, status=400)
    versions = context["versions"]
    older, newer = (_version(versions, form.cleaned_data[name]) for name in ("fra", "til"))
    if older.number > newer.number:
        older, newer = newer, older
    rows = selectors.difference(text, older, newer)
    return render(request, "history/difference.html", {**context, "older": older, "newer": newer, "rows": rows})


@login_required
@require_POST
def text_restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Those who may write the text: save an earlier version again, as a new version."""
    text, instance, student = get_text_for(request, kind, pk)
    context = _context(text, instance, student)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The version to restore was not given. Open the versions again."))
        return render(request, "history/versions.html", context, status=400)
    version = _version(context["versions"], form.cleaned_data["number"])
    if version.current:
        messages.error(request, _("This is the text as it stands now; there is nothing to restore."))
        return render(request, "history/versions.html", context, status=400)
    try:
        services.text_restore(text=text, instance=instance, version=version, expected=form.cleaned_data["version"],
                              student=student, request=request)
    except StaleEdit:
        # Like any stale edit (iop.views.stale): nothing was overwritten, the text as saved now is shown.
        context = _context(text, instance, student)
        return render(request, "history/versions.html", {**context, "stale": True}, status=409)
    except Refused as refusal:  # an application that may no longer be changed
        messages.error(request, refusal.message)
        return render(request, "history/versions.html", context, status=409)
    messages.success(request, _("The version of %(when)s was restored as a new version.")
                     % {"when": date_format(localtime(version.saved_at), "SHORT_DATETIME_FORMAT")})
    return redirect("history:versions", kind=text.kind, pk=instance.pk)


def _version(versions, number: int):
    """The version by its number on this page; another number (forged, or of another text) is a 404."""
    if not 1 <= number <= len(versions):
        raise Http404
    return versions[number - 1]


def _context(text, instance, student) -> dict:
    versions = selectors.versions(text, instance)
    return {
        "text": text,
        "instance": instance,
        "student": student,
        "versions": versions,
        "latest": versions[-1],
        "version_now": getattr(instance, text.version_field) if text.version_field else latest_history_id(instance),
        "back_url": _page_of(text, instance),
        "may_restore": _may_change(instance),
    }


def _may_change(instance) -> bool:
    """An application (and its subject rows) changes only while it may be edited; an IOP text whenever its
    writer may write it (history.access)."""
    application = application_of(instance)
    return application is None or application.is_editable


def _page_of(text, instance) -> str:
    """The page the text is shown on, to go back to."""
    name, pk = text.page
    return reverse(name, args=[getattr(instance, pk)])
