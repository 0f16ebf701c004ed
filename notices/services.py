"""Telling people when it is their turn: `notify` records a notice per recipient and queues its e-mail.

Callers decide who is told (with their own app's access rules) and call `notify` inside the
transaction of the change; the e-mails are queued when it commits and sent by a background task
(tasks.send_notice_email), never inside the request.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .messages import subject_of, text_of
from .models import Event, Notice, Preference

logger = logging.getLogger(__name__)

# An e-mail that cannot be delivered is tried this many times in all, waiting longer each time,
# then marked failed: the Django admin lists it (and counts it) for a system administrator.
EMAIL_ATTEMPTS = 4
RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)]


def notify(*, event: str, recipients: Iterable, key: str, url: str, first_name: str = "") -> list[Notice]:
    """Tell each recipient once that `event` happened: the notice in the app, and an e-mail if they want it.

    `recipients`: users (None and inactive users are skipped). `key` names what the event is
    about, e.g. f"plan:{plan.pk}:stage:3": a second call with the same event and key tells no
    one twice. `url` is a path in the app; `first_name` the student's first name — the only
    thing about the student a notice may carry. Returns the notices created now.
    """
    event = Event(event)
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return []
    told = set(Notice.objects.filter(user_id__in=users, event=event, key=key).values_list("user_id", flat=True))
    turned_off = dict(Preference.objects.filter(user_id__in=users).values_list("user_id", "email_off"))
    created = []
    for user in users.values():
        if user.pk in told:
            continue
        notice, is_new = Notice.objects.get_or_create(
            user=user, event=event, key=key,
            defaults={"first_name": first_name, "url": url,
                      "email_state": _email_state(user, event, turned_off.get(user.pk, []))},
        )
        if is_new:
            created.append(notice)
            if notice.email_state == Notice.EmailState.PENDING:
                # robust: a queue that fails leaves the notice pending (visible in the admin), not the change undone.
                transaction.on_commit(partial(_enqueue, notice.pk), robust=True)
    return created


def _email_state(user, event: str, email_off: list) -> str:
    if not user.email:
        return Notice.EmailState.NO_ADDRESS
    if event in email_off:
        return Notice.EmailState.NOT_WANTED
    return Notice.EmailState.PENDING


def _enqueue(notice_id: int, *, delay: timedelta | None = None) -> None:
    from .tasks import send_notice_email  # the tasks module imports this one

    task = send_notice_email
    # The immediate backend (tests, a demo without a worker) cannot wait: it tries again at once.
    if delay and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(notice_id)


def notice_send_email(*, notice_id: int) -> None:
    """Send one notice's e-mail (the background task). On failure: record it, try again later, then give up
    as failed. Runs outside any transaction: the SMTP conversation holds no lock."""
    notice = Notice.objects.select_related("user").filter(pk=notice_id).first()
    if notice is None or notice.email_state != Notice.EmailState.PENDING:
        return  # sent already, or turned into "not wanted" meanwhile
    # Claim this attempt: if two workers got the same task, only one sends.
    attempt = notice.attempts + 1
    claimed = Notice.objects.filter(pk=notice.pk, email_state=Notice.EmailState.PENDING,
                                    attempts=notice.attempts).update(attempts=attempt)
    if not claimed:
        return
    try:
        email_of(notice).send()
    except Exception as error:  # SMTP refusals, timeouts, a broken template: all are retried, then shown
        _attempt_failed(notice, attempt, error)
    else:
        Notice.objects.filter(pk=notice.pk).update(email_state=Notice.EmailState.SENT, sent_at=timezone.now(),
                                                   last_error="")


def _attempt_failed(notice: Notice, attempt: int, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:1000]
    if attempt < EMAIL_ATTEMPTS:
        Notice.objects.filter(pk=notice.pk).update(last_error=message)
        logger.warning("notice %s: e-mail attempt %s failed, trying again: %s", notice.pk, attempt, message)
        _enqueue(notice.pk, delay=RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1])
    else:
        Notice.objects.filter(pk=notice.pk).update(last_error=message, email_state=Notice.EmailState.FAILED)
        logger.error("notice %s: e-mail failed after %s attempts: %s", notice.pk, attempt, message)


def email_of(notice: Notice) -> EmailMessage:
    """The notice's e-mail in its recipient's language: what happened, the first name and a link to log in."""
    user = notice.user
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = subject_of(notice.event)
        body = render_to_string("notices/email.txt", {
            "recipient": user,
            "text": text_of(notice.event, notice.first_name),
            "link": absolute(notice.url),
            "preferences_link": absolute(reverse("notices:preferences")),
        })
    return EmailMessage(subject=f"IOP: {subject}", body=body, to=[user.email], headers={"Content-Language": language})


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def notice_retry_email(*, notice_id: int) -> bool:
    """Send a failed e-mail again (a system administrator's action in the Django admin)."""
    retried = Notice.objects.filter(pk=notice_id, email_state=Notice.EmailState.FAILED).update(
        email_state=Notice.EmailState.PENDING, attempts=0)
    if retried:
        transaction.on_commit(partial(_enqueue, notice_id), robust=True)
    return bool(retried)


def notices_mark_read(*, user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read: the ones named, or all. Others' notices are never touched."""
    unread = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    return unread.update(read_at=timezone.now())


def preference_set(*, user, email_events: Iterable[str]) -> Preference:
    """Save which events come to `user` by e-mail; the others are turned off (the app still lists them)."""
    wanted = {Event(event) for event in email_events}
    email_off = sorted(event.value for event in Event if event not in wanted)
    preference, _ = Preference.objects.update_or_create(user=user, defaults={"email_off": email_off})
    # Turning an event off stops its e-mails still waiting to go.
    Notice.objects.filter(user=user, event__in=email_off, email_state=Notice.EmailState.PENDING).update(email_state=Notice.EmailState.NOT_WANTED)
    return preference


def email_events_of(user) -> list[str]:
    """The events `user` gets by e-mail."""
    email_off = Preference.objects.filter(user=user).values_list("email_off", flat=True).first() or []
    return [event.value for event in Event if event not in email_off]


def unread_count(user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
