"""Login throttling with a limit per lockout parameter (settings.AXES_HANDLER).

django-axes counts the failures of each of AXES_LOCKOUT_PARAMETERS within the cool-off,
takes the largest count and compares it with its one AXES_FAILURE_LIMIT. We want a
different limit for each: an account from one address (AXES_FAILURE_LIMIT), an account
from any address (LOGIN_ACCOUNT_FAILURE_LIMIT) and an address against any account
(LOGIN_ADDRESS_FAILURE_LIMIT). So `get_failures` measures each count against its own limit
and answers in AXES_FAILURE_LIMIT's scale: at least the limit if any count reached its
own, else the account+address count (below the limit). axes' lockout checks, its records
and its lockout page are otherwise unchanged.

The username axes stores and counts is the one typed only if it names an account, else its
fingerprint (AXES_USERNAME_CALLABLE), as in the access log: a password typed into the
username field must not sit in axes' table either.

Also, a successful login forgets only that account's failures from that address. axes would
forget every parameter's: all failures from the address (whoever sprays passwords at many
accounts could log in to their own account now and then to start counting again) and all
failures against the account (each login of its owner would give a guesser elsewhere a fresh
start).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum

from audit.receivers import tried_name_fingerprint

ACCOUNT_AND_ADDRESS = ("ip_address", "username")
ACCOUNT = ("username",)
ADDRESS = ("ip_address",)


def _key(parameter) -> tuple[str, ...]:
    return tuple(sorted([parameter] if isinstance(parameter, str) else parameter))


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair_limit = get_failure_limit(request, credentials)
        limits = {
            ACCOUNT_AND_ADDRESS: pair_limit,
            ACCOUNT: settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
            ADDRESS: settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        }
        known = {"username": get_client_username(request, credentials), "ip_address": request.axes_ip_address}
        parameters = get_lockout_parameters(request, credentials)
        reached, pair_failures = False, 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            key = _key(parameter)
            if len(key) == 1 and not known.get(key[0]):
                continue  # a missing username or address alone would lump everyone's together
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if key == ACCOUNT_AND_ADDRESS:
                pair_failures = failures
            reached = reached or failures >= limits.get(key, pair_limit)
        return max(pair_failures, pair_limit) if reached else min(pair_failures, pair_limit - 1)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        attempts = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        count, _ = attempts.delete()
        return count


def throttled_username(request, credentials: dict | None = None) -> str | None:
    """settings.AXES_USERNAME_CALLABLE: what axes records as the username of an attempt."""
    field = str(settings.AXES_USERNAME_FORM_FIELD)
    typed = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    if not typed:
        return typed
    known = getattr(request, "_throttled_usernames", None)
    if known is None:
        known = request._throttled_usernames = {}
    if typed not in known:
        user_model = get_user_model()
        exists = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: typed}).exists()
        known[typed] = typed if exists else tried_name_fingerprint(typed)
    return known[typed]
