"""The free-text guidance in templates (accounts/guidance.py): which fields carry it, the word list once a page."""

from django import template
from django.template.loader import render_to_string

from accounts.guidance import is_guided, owner_from_context, page_data

from .iop_tags import first_on_page

register = template.Library()


@register.filter
def guided(field) -> bool:
    """Whether a form field carries guidance (GuidedTextMixin marked its widget)."""
    return is_guided(field)


@register.simple_tag(takes_context=True)
def guidance_script(context) -> str:
    """The word list (JSON, for the page's language and the student's school's owner) and
    static/js/guidance.js: once per page, at the first guided field."""
    if not first_on_page(context, "guidance_script"):
        return ""
    return render_to_string("includes/guidance_script.html", {"guidance": page_data(owner_from_context(context))})
