from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(delta: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (the lockout page's wait time)."""
    if not delta:
        return 0
    return -(-int(delta.total_seconds()) // 60)
