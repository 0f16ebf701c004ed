from django import template

from notices.messages import text_of

register = template.Library()


@register.filter
def notice_text(notice) -> str:
    """The notice's sentence in the reader's language."""
    return text_of(notice.event, notice.first_name)
