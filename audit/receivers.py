"""Logins, failed logins and logouts, from django.contrib.auth's signals (connected in apps.py).

django-axes listens to the same signals; these receivers only add a row and
never raise on purpose, so axes' counting and lockout work unchanged. A login
that axes refuses (locked out) still sends `user_login_failed`, so it is logged.
"""

from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

from .log import record
from .models import AccessEvent

TRIED_NAME_DIGITS = 12


def on_logged_in(sender, request, user, **kwargs) -> None:
    """Any successful login (the app's login page, the admin's, Feide, ID-porten, force_login in tests).

    The login code may say how (`request.login_detail`, e.g. "method=feide acr=…"); never who.
    """
    record(request, action=AccessEvent.Action.LOGIN, object_type="user", object_id=user.pk, user=user,
           detail=getattr(request, "login_detail", ""))


def on_logged_out(sender, request, user=None, **kwargs) -> None:
    """A logout that ended a login (`user` is None when nobody was logged in)."""
    if user is None:
        return
    record(request, action=AccessEvent.Action.LOGOUT, object_type="user", object_id=user.pk, user=user)


def on_login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    """A failed login: the account if one has the username typed, else only a fingerprint of it.

    What was typed as a username is kept only when it names an account: otherwise it may
    be a password typed into the wrong field. A keyed, truncated SHA-256 (HMAC with
    SECRET_KEY) still shows that the same unknown name was tried again, without letting
    whoever reads the log test guesses against it.
    """
    user_model = get_user_model()
    username = str(credentials.get(user_model.USERNAME_FIELD) or "")
    accounts = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username})
    target = accounts.first() if username else None
    tried = username[:150] if target else tried_name_fingerprint(username) if username else ""
    # Set by django-axes when the attempt was refused because of a lockout.
    locked_out = getattr(request, "axes_locked_out", False)
    record(
        request,
        action=AccessEvent.Action.LOGIN_FAILED,
        object_type="user",
        object_id=target.pk if target else "",
        user=target,
        detail=f"{tried} (locked out)" if locked_out else tried,
    )


def tried_name_fingerprint(typed: str) -> str:
    """What the log keeps of a username that names no account."""
    digest = salted_hmac("audit.receivers.tried_name", typed, algorithm="sha256").hexdigest()
    return f"unknown user {digest[:TRIED_NAME_DIGITS]}"
