"""What the start page shows of records duties, after access.py has decided who sees what."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .access import officer_authorities, packages_for_requester, requests_visible_to
from .models import AccessRequest, DestructionItem, DestructionList

DEADLINE_NEAR = timedelta(days=5)


def start_checks(user) -> dict:
    """What the start page asks (accounts.access.which_exist) before it reads this section."""
    return {"records_officer": officer_authorities(user), "records_answers": packages_for_requester(user)}


def start_summary(user, *, held: dict[str, bool]) -> dict | None:
    """The start page's records section: None for someone with no part in records duties. `held`: the answers
    to `start_checks` and `staff` (on the staff of some school), asked once by the start page."""
    summary = {"officer": None, "may_register": held["staff"], "answers": held["records_answers"]}
    if held["records_officer"]:
        near = timezone.localdate() + DEADLINE_NEAR
        summary["officer"] = requests_visible_to(user).exclude(status=AccessRequest.Status.RELEASED).aggregate(
            open=Count("pk"), near=Count("pk", filter=Q(deadline_on__lte=near)))
        summary["officer"]["to_destroy"] = DestructionItem.objects.filter(
            destruction_list__authority__in=officer_authorities(user),
            destruction_list__status=DestructionList.Status.AWAITING, held_back=False).count()
    return summary if any(summary.values()) else None
