"""Log a user in with a verified second factor (django-otp), as the Django admin requires.

Also for tests that log in through the password form, after which a user with a role on
student data owes the second factor (accounts/second_factor.py).
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def pass_second_factor(client, user):
    """Mark the client's session verified by a confirmed TOTP device of the user's (made if missing)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def force_login_verified(client, user):
    """force_login, with the second factor given."""
    client.force_login(user)
    return pass_second_factor(client, user)
