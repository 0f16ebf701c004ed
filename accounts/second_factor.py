"""The second factor (TOTP, with recovery codes) for password logins: who needs it, and the gate.

Who: every superuser, and every account with a role on student data (IOP admin, principal,
teacher, guardian of a minor, student), asked live on each request, so a role granted during
a session is caught at once. An account with none of these (nothing to see) is not made to enrol.

When: only for a session whose login was the local password form (`login_method == "local"`,
set by accounts.views.login.LoginView and by the Django admin's login). A Feide or ID-porten
login (`"feide"`, `"idporten"`) already had a second factor at the identity provider. The
Django admin needs a verified second factor for everyone, whatever the login path
(`protect_admin_site`).

The devices are django-otp's: a TOTP device (an authenticator app) and a static device holding
the recovery codes, each of which works once. Wrong codes count as failed logins under
django-axes and are written to the access log, like a wrong current password
(accounts/passwords.py); django-otp's own per-device throttle (a growing wait after each wrong
code) stays on as well.
"""

import base64
import io
from urllib.parse import urlencode

from axes.helpers import get_credentials, get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

import django_otp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.log import record
from audit.models import AccessEvent

from . import passwords
from .access import admin_schools, children_of, is_teacher_anywhere, principal_schools, student_self

LOGIN_METHOD_KEY = "login_method"
LOCAL_LOGIN = "local"
# Any other login method ("feide", "idporten", set by accounts/oidc/) had its second factor at the
# identity provider; a session without one (tests' force_login) is not asked either, but the admin asks all.
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
# The recovery codes just made, shown once by the page after enrolment, then gone from the session.
NEW_RECOVERY_CODES_KEY = "second_factor_new_codes"

# Pages open to a logged-in user who has not yet given the second factor.
OPEN_VIEWS = frozenset({
    "accounts:second_factor_verify", "accounts:second_factor_setup", "accounts:second_factor_recovery_codes",
    "logout", "admin:logout", "set_language", "health", "health_db",
    # What an anonymous visitor may open anyway: logging in with Feide or ID-porten instead, and
    # the idle timeout's keep-alive (accounts/idle.py), which the code page's own script sends.
    "accounts:feide_login", "accounts:feide_callback", "accounts:idporten_login", "accounts:idporten_callback",
    "accounts:session_keepalive",
})


def mark_local_login(request) -> None:
    """The session's login was the password form (the gate then asks for the second factor)."""
    request.session[LOGIN_METHOD_KEY] = LOCAL_LOGIN


# Roles on student data that apps above `accounts` hand out (e.g. the records officer): each app registers
# its check in AppConfig.ready(), since accounts may not import it.
_ROLE_CHECKS = []


def add_role_check(check) -> None:
    """`check(user) -> bool`: the user holds a role of that app (and so owes the second factor)."""
    if check not in _ROLE_CHECKS:
        _ROLE_CHECKS.append(check)


def needs_second_factor(user) -> bool:
    """A superuser, or an account with any role on student data."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    checks = (
        lambda: is_teacher_anywhere(user),
        lambda: principal_schools(user).exists(),
        lambda: admin_schools(user).exists(),
        lambda: children_of(user).exists(),
        lambda: student_self(user).exists(),
        *(lambda check=check: check(user) for check in _ROLE_CHECKS),
    )
    return any(check() for check in checks)


def is_verified(user) -> bool:
    """Verified in this session by a device of django-otp (OTPMiddleware)."""
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _view_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


def gate_url(user, next_url: str = "") -> str:
    """Where a user who still owes the second factor goes: the code page, or enrolment."""
    name = "accounts:second_factor_verify" if confirmed_totp_device(user) else "accounts:second_factor_setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class SecondFactorMiddleware:
    """Send a password login that owes the second factor to the code page (or enrolment).

    After django_otp's OTPMiddleware. The Django admin asks it of every staff user (the
    admin's own has_permission asks it of everyone, see protect_admin_site).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path_info.startswith(settings.STATIC_URL):
            view_name = _view_name(request)
            if view_name not in OPEN_VIEWS and self._owes_second_factor(request, user, view_name):
                return redirect(gate_url(user, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def _owes_second_factor(request, user, view_name) -> bool:
        if view_name and view_name.startswith("admin:") and user.is_staff:
            return not is_verified(user)  # the admin: whatever the login path
        method = request.session.get(LOGIN_METHOD_KEY)
        return method == LOCAL_LOGIN and not is_verified(user) and needs_second_factor(user)


def protect_admin_site(site) -> None:
    """The Django admin opens only to a verified second factor (as django_otp's OTPAdminSite does),
    and a password login on the admin's own login page counts as a local login."""
    plain_has_permission = site.has_permission
    plain_login = site.login

    def has_permission(request):
        return plain_has_permission(request) and is_verified(request.user)

    def login(request, extra_context=None):
        was_anonymous = not request.user.is_authenticated
        response = plain_login(request, extra_context)
        if was_anonymous and request.method == "POST" and request.user.is_authenticated:
            mark_local_login(request)
        return response

    site.has_permission = has_permission
    site.login = login


def safe_next(request, default: str = "") -> str:
    """The `next` of the request if it stays on this site, else the start page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


class CodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code (kept here with its one use;
    accounts/forms.py is the layout's home for forms)."""

    code = forms.CharField(
        label=_("Code"), max_length=40, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off",
                                      "spellcheck": "false", "class": "ds-input"}),
    )


# --- Enrolment --------------------------------------------------------------


def pending_totp_device(user) -> TOTPDevice:
    """The TOTP device being set up (unconfirmed): the same secret until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator app."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, inline (the CSP allows data: images)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def second_factor_enrol(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending device with its first code; make new recovery codes and return them.

    The session is verified by the device. None if the code is wrong.
    """
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(normalized(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        record(request, action=AccessEvent.Action.CHANGED, object_type="user", object_id=user.pk, user=user,
               detail="second factor set up")
    django_otp.login(request, device)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- Verification -----------------------------------------------------------


class Outcome:
    VERIFIED = "verified"
    WRONG = "wrong"
    WAIT = "wait"  # django-otp's throttle: a growing wait after each wrong code


def verify_allowed(*, request) -> bool:
    """Not locked out by django-axes (wrong codes count as failed logins)."""
    return passwords.password_check_allowed(request=request)


def lockout_response(request):
    """Too many wrong codes: the login ends, and the lockout page says for how long."""
    credentials = get_credentials(request.user.get_username())
    logout(request)
    return get_lockout_response(request, credentials=credentials)


def second_factor_verify(*, request, code: str) -> str:
    """Check a code from the authenticator app (six digits) or a recovery code (used up)."""
    user = request.user
    code = normalized(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is not None:
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                return Outcome.WAIT
        verified = device is not None and device.verify_token(code)
    if verified:
        django_otp.login(request, device)
        return Outcome.VERIFIED
    passwords.password_check_failed(request=request)
    return Outcome.WRONG


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
