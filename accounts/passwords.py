"""Password change and reset for local accounts: the work behind accounts/views/password.py.

The current password typed on the change form is checked under django-axes' login limits:
a wrong one counts (and is logged) as a failed login of the account, so a borrowed session
cannot be used to guess it. Every change is written to the access log, and so is every
reset request, which also throttles them per client address.
"""

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone

from audit.log import client_address, record
from audit.models import AccessEvent

RESET_WINDOW = timedelta(hours=1)


def password_check_allowed(*, request) -> bool:
    """May the logged-in user try a password now (not locked out by django-axes)?"""
    return AxesProxyHandler.is_allowed(request, get_credentials(request.user.get_username()))


def password_check_failed(*, request) -> None:
    """The change form's current password was wrong: django-axes counts it, the access log records it."""
    user_login_failed.send(
        sender=__name__, credentials=get_credentials(request.user.get_username()), request=request
    )


def password_change(*, request, form) -> None:
    """Save a PasswordChangeForm; the current session stays logged in, the user's others end."""
    with transaction.atomic():
        user = form.save()
        record(request, action=AccessEvent.Action.PASSWORD_CHANGED, object_type="user", object_id=user.pk,
               user=user)
    update_session_auth_hash(request, user)


def password_reset_allowed(*, request) -> bool:
    """Fewer than PASSWORD_RESET_PER_HOUR reset requests from this client address in the last hour?"""
    recent = AccessEvent.objects.filter(
        action=AccessEvent.Action.PASSWORD_RESET,
        client_address=client_address(request),
        at__gte=timezone.now() - RESET_WINDOW,
    )
    return recent.count() < settings.PASSWORD_RESET_PER_HOUR


def password_reset_request(*, request, form, **send_options) -> None:
    """Log a valid PasswordResetForm (one event per account it reaches, or one without), then send.

    An address that names no account is not kept.
    """
    accounts = list(form.get_users(form.cleaned_data["email"]))
    with transaction.atomic():
        for user in accounts:
            record(request, action=AccessEvent.Action.PASSWORD_RESET, object_type="user", object_id=user.pk,
                   user=user)
        if not accounts:
            record(request, action=AccessEvent.Action.PASSWORD_RESET, object_type="user")
    form.save(request=request, **send_options)


def password_reset_complete(*, request, form) -> None:
    """Save the SetPasswordForm of a valid reset link."""
    with transaction.atomic():
        user = form.save()
        record(request, action=AccessEvent.Action.PASSWORD_CHANGED, object_type="user", object_id=user.pk,
               user=user, detail="reset link")
