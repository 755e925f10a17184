"""Nunjucks behaviour the component templates rely on and Django's lacks.

Django prints None as "None" and False as "False", and treats an empty list or
dict as false; Nunjucks prints nothing, "false", and treats them as true.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from .base import js_string, truthy


def printed(value) -> str:
    """`{{ value }}` in Nunjucks: null and undefined print nothing."""
    return "" if value is None else js_string(value)


def html_or_text(item, html="html", text="text") -> SafeString:
    """`item.html | safe if item.html else item.text`, the components' usual content."""
    item = item or {}
    if truthy(item.get(html)):
        return mark_safe(printed(item[html]))  # noqa: S308 - `html` params are trusted markup
    return conditional_escape(printed(item.get(text)))


def length(value) -> int:
    """The `length` filter: 0 for null/undefined or anything without a length."""
    return len(value) if isinstance(value, list | tuple | dict | str) else 0


def get(item, *path):
    """`item.a.b`: Nunjucks yields undefined rather than failing on a missing link."""
    for key in path:
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item
