"""Who is logging in: claims matched to a user, the acr rule, the login itself and its access-log events.

Feide: by the Feide name (`https://n.feide.no/claims/eduPersonPrincipalName`, else a `feide:` entry of
`userid_sec`) against `User.feide_id`. ID-porten: by the national identity number (`pid`), as its keyed
hash, against `User.pid_hash`, then `Guardianship.guardian_pid_hash` and `Student.pid_hash`. Never by
e-mail or display name. Nobody unknown gets an account, except a guardian or student the school has
registered by identity number: their account is made at the first login.

The acr rule. Staff who reach student data (IOP admin, teacher, principal; and anyone with Django-admin
access) must log in with Feide at the level asked for (FEIDE_ACR_VALUES, by default
`urn:mace:feide.no:auth:level:fad08:3`); a weaker or missing acr is refused. Students may log in with
a lower Feide level: they see only their own plan, and many pupils have no second factor in Feide.
ID-porten logins must be `idporten-loa-substantial` or `idporten-loa-high`, for everyone.
"""

import re
import secrets

from django.contrib.auth import login
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.log import record
from audit.models import AccessEvent
from audit.receivers import tried_name_fingerprint

from ..access import staff_schools
from ..models import Guardianship, Student, User
from .pid import pid_hash
from .providers import FEIDE, Provider, ProviderFailed, fetch_token, userinfo

FEIDE_ID_CLAIM = "https://n.feide.no/claims/eduPersonPrincipalName"
FEIDE_LEVEL = re.compile(r"^urn:mace:feide\.no:auth:level:fad08:(\d+)$")
IDPORTEN_ACR_ACCEPTED = ("idporten-loa-substantial", "idporten-loa-high")
BACKEND = "django.contrib.auth.backends.ModelBackend"

# The session keys: the login method (the second-factor rule counts feide/idporten as one), and
# what logging out of the provider needs.
SESSION_METHOD = "login_method"
SESSION_PROVIDER = "oidc_provider"
SESSION_ID_TOKEN = "oidc_id_token"

MESSAGES = {
    "failed": _("The login could not be completed. Please try again from the login page."),
    "unavailable": _("The login service is not available right now. Please try again in a little while."),
    "feide_unknown": _("Your school has not given you access to IOP. Ask the IOP admin or the principal "
                       "at your school if you think you should have access."),
    "feide_acr": _("Staff must log in to IOP with a stronger Feide login. Log in again and choose a "
                   "login with a second factor (for example a one-time code)."),
    "idporten_unknown": _("You have no access to IOP. Guardians get access when the school has registered "
                          "them as guardian of a pupil under 18."),
    "idporten_acr": _("IOP needs an ID-porten login at level substantial or high (for example BankID, "
                      "Buypass or MinID with a code). Please log in again."),
    "inactive": _("Your access to IOP has been closed. Ask the school if you think this is wrong."),
}


class LoginRefused(Exception):
    """The login was refused; `message` is for the person, the refusal is already in the access log."""

    def __init__(self, key: str, status: int = 403):
        super().__init__(key)
        self.message = MESSAGES[key]
        self.status = status


def complete_login(request, provider: Provider) -> User:
    """The callback's work: tokens, the person, the acr rule, then the login (or LoginRefused)."""
    try:
        token = fetch_token(request, provider)
    except ProviderFailed as failure:
        _refuse(request, provider, failure.reason, acr="", key="failed", status=400)
    claims = token["userinfo"]
    acr = str(claims.get("acr") or "")
    if provider.name == FEIDE:
        user = _feide_user(request, provider, token, acr)
    else:
        user = _idporten_user(request, provider, claims, acr)
    if not user.is_active:
        _refuse(request, provider, "account inactive", acr=acr, key="inactive", user=user)
    request.login_detail = f"method={provider.name} acr={acr or '-'}"  # the login event's (audit/receivers.py)
    login(request, user, backend=BACKEND)
    request.session[SESSION_METHOD] = provider.name
    request.session[SESSION_PROVIDER] = provider.name
    request.session[SESSION_ID_TOKEN] = token["id_token"]
    return user


def begin_failed(request, provider: Provider, reason: str) -> LoginRefused:
    """The provider could not be reached to start the login: logged, and the refusal to show."""
    try:
        _refuse(request, provider, reason, acr="", key="unavailable", status=503)
    except LoginRefused as refusal:
        return refusal


# --- Feide -------------------------------------------------------------------------------------


def feide_id_of(claims: dict) -> str:
    """The Feide name in the claims ('' if none): eduPersonPrincipalName, else `feide:` in userid_sec."""
    value = claims.get(FEIDE_ID_CLAIM)
    if isinstance(value, str) and value.strip():
        return value.strip()
    secondary = claims.get("userid_sec") or []
    if isinstance(secondary, str):
        secondary = [secondary]
    for entry in secondary:
        if isinstance(entry, str) and entry.startswith("feide:") and entry[len("feide:"):].strip():
            return entry[len("feide:"):].strip()
    return ""


def feide_level(acr: str) -> int:
    """The Feide authentication level in an acr value; 0 for anything else (or nothing)."""
    match = FEIDE_LEVEL.match(acr or "")
    return int(match.group(1)) if match else 0


def feide_acr_suffices(acr: str, required: str) -> bool:
    if not required:
        return True
    if feide_level(required):
        return feide_level(acr) >= feide_level(required)
    return acr == required


def reaches_student_data_as_staff(user: User) -> bool:
    """IOP admin, teacher or principal (all need a staff membership), or access to the Django admin."""
    return user.is_superuser or user.is_staff or staff_schools(user).exists()


def _feide_user(request, provider: Provider, token: dict, acr: str) -> User:
    feide_id = feide_id_of(token["userinfo"]) or feide_id_of(userinfo(provider, token))
    if not feide_id:
        _refuse(request, provider, "no feide id in the claims", acr=acr, key="feide_unknown")
    user = User.objects.filter(feide_id=feide_id).first()
    if user is None:
        _refuse(request, provider, f"no account with this feide id ({tried_name_fingerprint(feide_id)})",
                acr=acr, key="feide_unknown")
    if reaches_student_data_as_staff(user) and not feide_acr_suffices(acr, provider.acr_values):
        _refuse(request, provider, "acr too weak for staff", acr=acr, key="feide_acr", user=user)
    return user


# --- ID-porten ---------------------------------------------------------------------------------


def _idporten_user(request, provider: Provider, claims: dict, acr: str) -> User:
    if acr not in IDPORTEN_ACR_ACCEPTED:
        _refuse(request, provider, "acr too weak", acr=acr, key="idporten_acr")
    pid = claims.get("pid")
    if not isinstance(pid, str) or not pid.strip():
        _refuse(request, provider, "no pid in the claims", acr=acr, key="idporten_unknown")
    hashed = pid_hash(pid)
    with transaction.atomic():
        user, conflict = _idporten_account(request, hashed, name=claims.get("name"))
    if conflict:
        _refuse(request, provider, conflict, acr=acr, key="idporten_unknown")
    if user is None:
        _refuse(request, provider, "no account, guardianship or student with this pid", acr=acr,
                key="idporten_unknown")
    return user


def _idporten_account(request, hashed: str, *, name) -> tuple[User | None, str]:
    """The person's account, found or made, and linked to their guardianships and student record.

    Returns (user, "") or (None, why not). A new account is made only for someone the school has
    registered by identity number: as guardian (Guardianship.guardian_pid_hash) or as student
    (Student.pid_hash). If those records already name an account, that account is the person.
    """
    guardianships = list(Guardianship.objects.select_for_update().filter(guardian_pid_hash=hashed))
    student = Student.objects.select_for_update().filter(pid_hash=hashed).first()
    user = User.objects.filter(pid_hash=hashed).first()
    if user is None:
        named = {g.guardian_id for g in guardianships if g.guardian_id}
        if student is not None and student.user_id:
            named.add(student.user_id)
        if len(named) > 1:
            return None, "the records with this pid name different accounts"
        if named:
            user = User.objects.get(pk=named.pop())
            if user.pid_hash:
                return None, "the account named by the records has another pid"
            user.pid_hash = hashed
            user.save(update_fields=["pid_hash"])
            record(request, action=AccessEvent.Action.CHANGED, object_type="user", object_id=user.pk, user=user,
                   detail="identity number linked at ID-porten login")
        elif guardianships or student is not None:
            user = _new_account(request, hashed, name)
        else:
            return None, ""
    for guardianship in guardianships:
        if guardianship.guardian_id is None and not user.guardianships.filter(student=guardianship.student_id).exists():
            guardianship.guardian = user
            guardianship.save(update_fields=["guardian"])
            record(request, action=AccessEvent.Action.CHANGED, object_type="guardianship",
                   object_id=guardianship.pk, student=guardianship.student, user=user,
                   detail="guardian's account linked at ID-porten login")
    if student is not None and student.user_id is None and not Student.objects.filter(user=user).exists():
        student.user = user
        student.save(update_fields=["user"])
        record(request, action=AccessEvent.Action.CHANGED, object_type="student", object_id=student.pk,
               student=student, user=user, detail="student's account linked at ID-porten login")
    return user, ""


def _new_account(request, hashed: str, name) -> User:
    """An account with a generated username and no password; the name only if ID-porten gave one."""
    first_name, last_name = "", ""
    if isinstance(name, str) and name.strip():
        *first, last_name = name.split()
        first_name = " ".join(first)
    user = User(username=f"idporten-{secrets.token_hex(6)}", pid_hash=hashed,
                first_name=first_name[:150], last_name=last_name[:150])
    user.set_unusable_password()
    user.save()
    record(request, action=AccessEvent.Action.CREATED, object_type="user", object_id=user.pk, user=user,
           detail="account made at first ID-porten login")
    return user


# --- The access log of refusals ------------------------------------------------------------------


def _refuse(request, provider: Provider, reason: str, *, acr: str, key: str, status: int = 403, user=None):
    """Log the refused login (method, acr, why; never the pid) and raise LoginRefused."""
    record(request, action=AccessEvent.Action.LOGIN_FAILED, object_type="user",
           object_id=user.pk if user else "", user=user,
           detail=f"method={provider.name} acr={acr or '-'} refused: {reason}")
    raise LoginRefused(key, status)
