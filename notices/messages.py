"""What each event says: a subject and one sentence, translated, with the student's first name only.

The same words serve the e-mail and the in-app list, each rendered in its reader's language.
"""

from django.utils.translation import gettext, gettext_lazy as _

from .models import Event

# (subject, text); the text says what happened and names the student by %(first_name)s, nothing more.
MESSAGES = {
    Event.APPLICATION_TO_APPROVE: (
        _("An application awaits your approval"),
        _("The school has published an application for special education for %(first_name)s. "
          "It awaits your approval."),
    ),
    Event.PLAN_PUBLISHED_TO_FAMILY: (
        _("An IOP has been published to you"),
        _("The school has published the individual education plan (IOP) for %(first_name)s."),
    ),
    Event.REPORT_PUBLISHED_TO_FAMILY: (
        _("An IOP assessment or report has been published to you"),
        _("The school has published an assessment or the annual report in the IOP for %(first_name)s."),
    ),
    Event.PLAN_PUBLISHED_TO_TEACHERS: (
        _("An IOP has been published to the teachers"),
        _("The IOP for %(first_name)s, a student you teach, has been published to the student's teachers."),
    ),
    Event.ASSESSMENT_DUE: (
        _("An IOP assessment is due"),
        _("An assessment in the IOP for %(first_name)s is due."),
    ),
    Event.APPLICATION_ANSWERED: (
        _("An application has been answered"),
        _("A guardian or the student has answered the application for special education for %(first_name)s: "
          "approved it, or said they do not agree or have a question."),
    ),
    Event.DEADLINE_PASSED: (
        _("An IOP deadline has passed"),
        _("A deadline in the IOP work for %(first_name)s has passed."),
    ),
}


def subject_of(event: str) -> str:
    """The subject in the active language."""
    return str(MESSAGES[Event(event)][0])


def text_of(event: str, first_name: str) -> str:
    """The sentence in the active language."""
    return str(MESSAGES[Event(event)][1]) % {"first_name": first_name or gettext("a student")}
