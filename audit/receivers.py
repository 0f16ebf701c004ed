"""Logins and failed logins, from django.contrib.auth's signals (connected in apps.py).

django-axes listens to the same signals; these receivers only add a row and
never raise on purpose, so axes' counting and lockout work unchanged. A login
that axes refuses (locked out) still sends `user_login_failed`, so it is logged.
"""

from django.contrib.auth import get_user_model

from .log import record
from .models import AccessEvent


def on_logged_in(sender, request, user, **kwargs) -> None:
    """Any successful login (the app's login page, the admin's, force_login in tests)."""
    record(request, action=AccessEvent.Action.LOGIN, object_type="user", object_id=user.pk, user=user)


def on_login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    """A failed login: the attempted username, and the account if one has that username."""
    user_model = get_user_model()
    username = str(credentials.get(user_model.USERNAME_FIELD) or "")
    accounts = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username})
    target = accounts.first() if username else None
    # Set by django-axes when the attempt was refused because of a lockout.
    locked_out = getattr(request, "axes_locked_out", False)
    record(
        request,
        action=AccessEvent.Action.LOGIN_FAILED,
        object_type="user",
        object_id=target.pk if target else "",
        user=target,
        detail=f"{username[:150]} (locked out)" if locked_out else username,
    )
