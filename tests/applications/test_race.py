"""Two guardians approve at the same moment: exactly one approval is stored.

Real concurrent transactions: two threads, each with its own database
connection. To make the race certain rather than likely, the test holds the
application's row lock while both threads start approving, waits until
PostgreSQL shows both of them blocked on it, and only then lets go.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from accounts.exceptions import Refused

from applications import services
from applications.models import Application
from audit.models import AccessEvent

from ..factories import GuardianshipFactory, UserFactory, blank_pdf
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 10


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite has no row locks, so there is no race to test (CI runs PostgreSQL).")


@pytest.fixture
def second_guardian(minor):
    user = UserFactory(username="henrik")
    GuardianshipFactory(guardian=user, student=minor)
    return user


def approver(pk: int, user, content_hash: str, barrier: threading.Barrier, pids: list, outcomes: list):
    """One guardian's request: its own connection, its own copy of the application."""
    try:
        application = Application.objects.get(pk=pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        barrier.wait(timeout=WAIT_SECONDS)
        services.application_approve(application=application, by=user, content_hash=content_hash)
        outcomes.append(("approved", user))
    except Refused as exc:
        outcomes.append(("refused", exc))
    except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in the thread
        outcomes.append(("error", exc))
    finally:
        connections.close_all()


def blocked(pids: list) -> bool:
    """Both approvers are waiting for a lock (pg_locks is live, even inside our transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted AND pid = ANY(%s)", [pids])
        return cursor.fetchone()[0] == len(pids)


def wait_until(condition) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_two_guardians_approving_at_once_store_one_approval(minor, guardian, second_guardian, monkeypatch):
    monkeypatch.setattr(services, "application_pdf", lambda *args, **kwargs: blank_pdf())  # not what is raced
    application = ApplicationFactory(student=minor, status=Application.Status.AWAITING_APPROVAL)
    content_hash = application.content_hash()
    barrier, pids, outcomes = threading.Barrier(2), [], []
    threads = [
        threading.Thread(target=approver, args=(application.pk, user, content_hash, barrier, pids, outcomes))
        for user in (guardian, second_guardian)
    ]

    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)
        for thread in threads:
            thread.start()
        both_waited = wait_until(lambda: len(pids) == 2 and blocked(pids))
    for thread in threads:
        thread.join(WAIT_SECONDS)

    assert both_waited, "the two approvals did not contend for the row lock"
    assert sorted(kind for kind, _ in outcomes) == ["approved", "refused"], outcomes
    winner = next(who for kind, who in outcomes if kind == "approved")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.approved_by == winner
    assert AccessEvent.objects.filter(object_id=str(application.pk), detail="approved").count() == 1
