from datetime import timedelta
from html import escape

from django import template
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def minutes(delta: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (the lockout page's wait time)."""
    if not delta:
        return 0
    return -(-int(delta.total_seconds()) // 60)


@register.filter
def options(field) -> str:
    """A choice field's `<option>`s, the chosen one selected, built in one go: a school's teacher menu has ~90,
    and through template nodes they cost 2 ms a page (bench/profile.py)."""
    chosen = str(field.value())
    return mark_safe("".join(
        f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>{escape(str(label))}</option>'
        for value, label in field.field.choices))


@register.filter
def widget_attrs(widget: dict) -> str:
    """A form widget's attributes as Django's widgets/attrs.html writes them (False left out, True bare), with
    Designsystemet's `ds-input` class first except on a hidden input: through template nodes they cost half a
    millisecond a field (bench/profile.py --templates)."""
    attrs = widget["attrs"]
    design = widget.get("type") != "hidden"
    written = []
    if design:
        extra = attrs.get("class")
        written.append(f' class="ds-input{" " + conditional_escape(extra) if extra else ""}"')
    for name, value in attrs.items():
        if value is False or (design and name == "class"):
            continue
        written.append(f" {conditional_escape(name)}" if value is True
                       else f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return mark_safe("".join(written))


@register.filter
def draft_owner(user) -> str:
    """Whose drafts the browser may put back (static/js/drafts.js): the same for a user at every login.

    A keyed hash of the user id (with SECRET_KEY), not the id: the drafts' keys stay in the tab
    after the login expires, and should not say whose they are to the next person at the computer.
    """
    if not user.is_authenticated:
        return ""
    return salted_hmac("accounts.draft_owner", str(user.pk), algorithm="sha256").hexdigest()[:24]


@register.simple_tag(takes_context=True)
def first_on_page(context, name: str) -> bool:
    """True the first time this response asks for `name`: for an include that must appear once.

    The drafts script is included by the pages with drafts and by base.html (for the Log out
    button); whichever comes first in the page is the one rendered.
    """
    request = context.get("request")
    if request is None:
        return True
    seen = request.__dict__.setdefault("_iop_first_on_page", set())
    if name in seen:
        return False
    seen.add(name)
    return True
