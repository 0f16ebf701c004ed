"""The user's own notices: the list, opening one, marking read, and which come by e-mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.pagination import paginate

from . import access, services
from .forms import PreferenceForm


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """Any logged-in user: their own notices, newest first."""
    paged = paginate(request, access.notices_of(request.user))
    return render(request, "notices/list.html", {"paged": paged})


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice's recipient: mark it read and go where it points."""
    notice = access.get_notice_for(request, pk)
    notice.mark_read()
    if url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notices:list")


@login_required
@require_POST
def notices_mark_read(request: HttpRequest) -> HttpResponse:
    """Any logged-in user: mark one of their notices read (`notice`), or all of them."""
    if "notice" in request.POST:
        services.notices_mark_read(user=request.user, notice_ids=[access.get_notice_for(request, _pk(request)).pk])
    else:
        services.notices_mark_read(user=request.user)
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("notices:list")


def _pk(request: HttpRequest) -> int:
    try:
        return int(request.POST["notice"])
    except ValueError:
        return 0  # no such notice: get_notice_for answers 404


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Any logged-in user: which notices they get by e-mail."""
    # Bound on any POST: every box unticked sends no field at all.
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial={"email_events": services.email_events_of(request.user)})
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, email_events=form.cleaned_data["email_events"])
        messages.success(request, _("Your choices are saved."))
        return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form, "has_email": bool(request.user.email)})
