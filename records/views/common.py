"""What the records pages share: breadcrumbs, deadlines, labels."""

from django.utils import timezone

from .. import collect
from ..models import AccessRequest, RequestItem

URGENT_DAYS = 5  # a deadline this close (or passed) is shown in red

STATUS_COLORS = {
    AccessRequest.Status.REGISTERED: "neutral",
    AccessRequest.Status.IN_REVIEW: "info",
    AccessRequest.Status.RELEASED: "success",
}
DECISION_COLORS = {
    RequestItem.Decision.PENDING: "neutral",
    RequestItem.Decision.RELEASE: "success",
    RequestItem.Decision.WITHHOLD: "danger",
    RequestItem.Decision.STRIKE: "warning",
}


def crumbs(*pairs) -> list[dict]:
    """The breadcrumbs after Start → Access requests (templates/records/_breadcrumbs.html): (label, url) pairs."""
    return [{"label": label, "url": url} for label, url in pairs]


def mark_deadlines(access_requests, today=None):
    """Flags for showing a request (templates/records/_deadline.html): `days` left (negative: overdue),
    `overdue_days`, `urgent` (five days or fewer, or overdue; not once answered), `status_color`."""
    today = today or timezone.localdate()
    for access_request in access_requests:
        access_request.days = access_request.days_left(today)
        access_request.overdue_days = max(0, -access_request.days)
        access_request.urgent = (access_request.status != AccessRequest.Status.RELEASED
                                 and access_request.days <= URGENT_DAYS)
        access_request.status_color = STATUS_COLORS.get(access_request.status, "neutral")
    return access_requests


def kind_label(kind: str) -> str:
    """What a kind of record is called (records.collect.KINDS), or the kind itself."""
    kinds = getattr(collect, "KINDS", None) or {}
    try:
        labels = dict(kinds)
    except (TypeError, ValueError):
        return kind
    return str(labels.get(kind, kind))


def mark_items(items):
    for item in items:
        item.kind_label = kind_label(item.kind)
        item.decision_color = DECISION_COLORS.get(item.decision, "neutral")
    return items
