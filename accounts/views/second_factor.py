"""The second factor's pages: enrolment (QR code, first code, recovery codes once) and the code page.

The rules (who needs it, when) and the work are in accounts/second_factor.py.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .. import second_factor


@never_cache
@login_required
def verify(request):
    """The logged-in user gives a code from the authenticator app or a recovery code."""
    user = request.user
    next_url = second_factor.safe_next(request)
    if second_factor.is_verified(user):
        return redirect(next_url)
    if second_factor.confirmed_totp_device(user) is None:
        return redirect(second_factor.gate_url(user, next_url))
    if not second_factor.verify_allowed(request=request):
        return second_factor.lockout_response(request)
    form = second_factor.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if outcome == second_factor.Outcome.VERIFIED:
            return redirect(next_url)
        if not second_factor.verify_allowed(request=request):
            return second_factor.lockout_response(request)
        if outcome == second_factor.Outcome.WAIT:
            form.add_error("code", _("Too many wrong codes in a row. Wait a minute and try again."))
        else:
            form.add_error("code", _("The code is wrong or has expired. Try the newest code from the app."))
    return render(request, "second_factor/verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def setup(request):
    """The logged-in user sets up an authenticator app (a user who has one sees that it is on)."""
    user = request.user
    next_url = second_factor.safe_next(request)
    if second_factor.confirmed_totp_device(user) is not None:
        if not second_factor.is_verified(user):
            return redirect(second_factor.gate_url(user, next_url))
        return render(request, "second_factor/status.html", {
            "codes_left": second_factor.recovery_codes_left(user), "next": next_url,
        })
    device = second_factor.pending_totp_device(user)
    form = second_factor.CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.second_factor_enrol(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session[second_factor.NEW_RECOVERY_CODES_KEY] = codes
            return redirect(f"{_recovery_codes_url()}?{_next_query(next_url)}")
        form.add_error("code", _("The code is wrong. Type the code the app shows now."))
    return render(request, "second_factor/setup.html", {
        "form": form,
        "next": next_url,
        "qr_code": second_factor.qr_code_data_uri(device),
        "secret": second_factor.secret_text(device),
    })


@never_cache
@login_required
def recovery_codes(request):
    """The recovery codes made at enrolment, shown to their owner once."""
    codes = request.session.pop(second_factor.NEW_RECOVERY_CODES_KEY, None)
    next_url = second_factor.safe_next(request)
    if not codes:
        return redirect(next_url)
    return render(request, "second_factor/recovery_codes.html", {"codes": codes, "next": next_url})


def _recovery_codes_url() -> str:
    return reverse("accounts:second_factor_recovery_codes")


def _next_query(next_url: str) -> str:
    return urlencode({"next": next_url})
