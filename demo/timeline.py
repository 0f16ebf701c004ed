"""The demo's story in the order the workflow runs: each step on its own day between the start of the
school year and today, so no date in the demo contradicts another (an approval after the batch it was
sent in, a decision before the application).

The real services write "now" (created_at, approved_at, the approval snapshot's date), so a step is
acted out with the clock set to its day (`on_step`) rather than by rewriting dates afterwards.
"""

from contextlib import contextmanager
from datetime import date, datetime, time
from unittest import mock

from django.utils import timezone

from accounts.models import SchoolYear

STEPS = (
    "expert_assessment",  # PPT's assessment, before the school year's work starts (see day_of)
    "documents_uploaded",
    "application_created",
    "application_approved",
    "batch_sent",
    "decided",
    "plan_created",
    "plan_written",  # goals, the first log entry
    "report_sent",  # the annual report to the county/municipality
)


def day_of(step: str, today: date | None = None) -> date:
    """The step's day: the steps spread evenly over the school year so far, in STEPS' order. The expert
    assessment comes before it, in the spring."""
    today = today or timezone.localdate()
    start = date(SchoolYear.start_year_of(today), 8, 1)
    if step == "expert_assessment":
        return date(start.year, 5, 15)
    index = STEPS.index(step)
    return start + (today - start) * index // len(STEPS)


def moment_of(step: str, today: date | None = None) -> datetime:
    """The step's day at an hour of its own, so steps that share a day (early in August) keep their order."""
    hour = 7 + STEPS.index(step)
    return timezone.make_aware(datetime.combine(day_of(step, today), time(hour)))


@contextmanager
def on_step(step: str, today: date | None = None):
    """Run the block as if it were the step's day (timezone.now and timezone.localdate)."""
    moment = moment_of(step, today)
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return moment.date() if value is None else real_localdate(value, timezone)

    with mock.patch("django.utils.timezone.now", return_value=moment), \
            mock.patch("django.utils.timezone.localdate", localdate):
        yield moment.date()
