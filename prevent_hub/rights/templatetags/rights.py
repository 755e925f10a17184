from django import template

from prevent_hub.rights.documents import anchor as item_anchor
from prevent_hub.rights.documents import display

register = template.Library()


@register.filter
def shown(value):
    """A bundle value as a reader sees it (dates in words, Yes or No, lists joined)."""
    return display(value)


@register.filter
def anchor(item_key):
    return item_anchor(item_key)
