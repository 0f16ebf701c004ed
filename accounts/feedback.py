"""Telling the user how a state change went: a refusal is a message, never a 500."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from .exceptions import Refused


def attempt(request: HttpRequest, change: Callable[[], object], success: str) -> bool:
    """Run `change`; show `success`, or the refusal's own message. True if it happened."""
    try:
        change()
    except Refused as refusal:
        messages.error(request, refusal.message)
        return False
    messages.success(request, success)
    return True
