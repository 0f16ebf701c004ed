"""What the start page shows of records duties, after access.py has decided who sees what."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .access import officer_authorities, packages_for_requester, requests_visible_to
from .models import AccessRequest, DestructionItem, DestructionList

DEADLINE_NEAR = timedelta(days=5)


def start_summary(user, *, is_staff: bool) -> dict | None:
    """The start page's records section: None for someone with no part in records duties. `is_staff`: on the
    staff of some school (the start page asks once)."""
    summary = {"officer": None, "may_register": is_staff,
               "answers": packages_for_requester(user).exists()}
    if officer_authorities(user).exists():
        near = timezone.localdate() + DEADLINE_NEAR
        summary["officer"] = requests_visible_to(user).exclude(status=AccessRequest.Status.RELEASED).aggregate(
            open=Count("pk"), near=Count("pk", filter=Q(deadline_on__lte=near)))
        summary["officer"]["to_destroy"] = DestructionItem.objects.filter(
            destruction_list__authority__in=officer_authorities(user),
            destruction_list__status=DestructionList.Status.AWAITING, held_back=False).count()
    return summary if any(summary.values()) else None
