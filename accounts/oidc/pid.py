"""National identity numbers are stored only as a keyed hash: HMAC-SHA256 with settings.PID_HASH_KEY.

The number itself is never stored, logged, shown or put in a URL. Whoever holds the database
without the key cannot test guesses (there are few enough numbers to try them all with a plain hash).
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def pid_hash(pid: str) -> str:
    """The stored form of a national identity number (64 hex digits)."""
    key = getattr(settings, "PID_HASH_KEY", "")
    if not key:
        raise ImproperlyConfigured("PID_HASH_KEY is not set.")
    number = "".join(str(pid).split())
    if not number:
        raise ValueError("empty identity number")
    return hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()
