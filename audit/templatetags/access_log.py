from django import template

from audit.labels import detail_label, object_label

register = template.Library()


@register.filter
def object_words(event) -> str:
    """An access event's object type, and its detail, in words (audit.labels)."""
    what = object_label(event.object_type)
    return f"{what}: {detail_label(event.object_type, event.detail)}" if event.detail else what
