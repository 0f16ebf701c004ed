"""The e-mail task: sent after the change commits, never inside the request; an SMTP failure is retried,
then marked failed and shown to a system administrator; a user's choices and missing address respected."""

import smtplib

import pytest
from django.contrib import messages
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from accounts.models import SchoolYear
from iop.models import Plan
from notices.models import Event, Notice
from notices.services import EMAIL_ATTEMPTS, RETRY_DELAYS, notify, preference_set
from notices.tasks import send_notice_email

from ..admin.verified import force_login_verified
from ..factories import UserFactory
from ..iop.factories import PlanFactory

pytestmark = pytest.mark.django_db


def tell(*users, key="plan:1:stage:2", event=Event.PLAN_PUBLISHED_TO_TEACHERS):
    return notify(event=event, recipients=users, key=key, first_name="Emma", url="/iop/1/")


@pytest.fixture
def smtp(monkeypatch):
    """A mail server that refuses the next `state["refuse"]` messages (every one by default)."""
    state = {"refuse": 10**6, "tries": 0}
    original = mail.backends.locmem.EmailBackend.send_messages

    def send_messages(self, messages):
        state["tries"] += 1
        if state["refuse"] > 0:
            state["refuse"] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, messages)

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", send_messages)
    return state


def test_the_email_goes_when_the_request_has_committed_not_inside_it(client, admin, minor, emails,
                                                                     django_capture_on_commit_callbacks):
    plan = PlanFactory(student=minor, school_year=SchoolYear.objects.current(create=True))
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("iop:plan_set_stage", args=[plan.pk]), {"stage": Plan.Stage.TEACHERS})
    assert response.status_code == 302
    assert mail.outbox == []  # the request answered without sending anything
    assert set(Notice.objects.values_list("email_state", flat=True)) == {Notice.EmailState.PENDING}
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2
    assert set(Notice.objects.values_list("email_state", flat=True)) == {Notice.EmailState.SENT}


def test_nothing_is_queued_when_the_change_rolls_back(teacher, emails, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                tell(teacher)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert not Notice.objects.exists() and mail.outbox == []


def test_an_smtp_failure_is_retried_then_the_email_goes(teacher, emails, smtp,
                                                        django_capture_on_commit_callbacks):
    smtp["refuse"] = 1
    # The immediate backend (tests) cannot wait: the retry runs at once.
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell(teacher)
    notice.refresh_from_db()
    assert (notice.email_state, notice.attempts, smtp["tries"]) == (Notice.EmailState.SENT, 2, 2)
    assert len(mail.outbox) == 1


def test_an_smtp_failure_that_lasts_ends_as_failed_with_its_error(teacher, emails, smtp,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell(teacher)
    notice.refresh_from_db()
    assert smtp["tries"] == EMAIL_ATTEMPTS
    assert (notice.email_state, notice.attempts) == (Notice.EmailState.FAILED, EMAIL_ATTEMPTS)
    assert "SMTPServerDisconnected" in notice.last_error
    assert mail.outbox == []


def test_a_worker_retries_later_not_at_once(teacher, emails, smtp, settings,
                                            django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell(teacher)
    (first,) = backend.results
    assert first.task.run_after is None and first.args == [notice.pk]
    before = timezone.now()
    send_notice_email.call(notice.pk)  # the worker runs it; the server is down
    notice.refresh_from_db()
    assert (notice.email_state, notice.attempts) == (Notice.EmailState.PENDING, 1)
    retry = backend.results[-1]
    assert retry.args == [notice.pk]
    assert before + RETRY_DELAYS[0] <= retry.task.run_after <= timezone.now() + RETRY_DELAYS[0]


def test_the_email_is_sent_once_even_if_the_task_runs_twice(teacher, emails, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell(teacher)
    send_notice_email.enqueue(notice.pk)
    assert len(mail.outbox) == 1


def test_an_event_turned_off_gives_the_notice_in_the_app_but_no_email(teacher, emails,
                                                                      django_capture_on_commit_callbacks):
    preference_set(user=teacher, email_events=[e for e in Event if e != Event.PLAN_PUBLISHED_TO_TEACHERS])
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell(teacher)
        tell(teacher, event=Event.ASSESSMENT_DUE)
    assert notice.email_state == Notice.EmailState.NOT_WANTED
    assert [message.subject for message in mail.outbox] == [mail.outbox[0].subject] and len(mail.outbox) == 1
    assert Notice.objects.get(event=Event.ASSESSMENT_DUE).email_state == Notice.EmailState.SENT


def test_a_user_without_an_address_gets_the_notice_in_the_app(django_capture_on_commit_callbacks):
    user = UserFactory(username="noemail", email="")
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell(user)
    assert notice.email_state == Notice.EmailState.NO_ADDRESS and mail.outbox == []


def test_inactive_users_are_not_told(teacher, emails):
    teacher.is_active = False
    teacher.save()
    assert tell(teacher) == [] and not Notice.objects.exists()


def test_failed_emails_are_counted_and_sent_again_from_the_django_admin(client, teacher, emails, smtp,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell(teacher)
    force_login_verified(client, UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("admin:notices_notice_changelist")
    response = client.get(url, {"email_state__exact": "failed"})
    assert response.status_code == 200
    assert [n.pk for n in response.context["cl"].result_list] == [notice.pk]
    assert [m.level for m in response.context["messages"]] == [messages.WARNING]  # the count of failed e-mails
    assert "Emma" not in response.content.decode()  # delivery, not content
    smtp["refuse"] = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "retry_email", "_selected_action": [notice.pk]})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.email_state == Notice.EmailState.SENT and len(mail.outbox) == 1
