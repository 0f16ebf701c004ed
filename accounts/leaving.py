"""What is still open about a student who is marked as leaving by hand (e.g. person cases to close first).

The apps that keep such things sit above `accounts` and may not be imported here, so each registers
a check in its AppConfig.ready(). A check answers with a sentence for the system administrator, or None.
"""

from collections.abc import Callable

from .models import Student

LeavingCheck = Callable[[Student], str | None]

_checks: list[LeavingCheck] = []


def add_check(check: LeavingCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def open_matters(student: Student) -> list[str]:
    """What must be closed before `student` leaves; empty when nothing is open."""
    return [message for check in _checks if (message := check(student))]
