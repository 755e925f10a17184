"""Contact details in templates, always from the contact directory.

    {% load directory %}
    {% contact "act-early" %}            a contact card
    {% contact_phone "emergency" %}      just the number, as a tel: link

The directory is read once per request (see `contacts` in context_processors).
A contact that is missing or switched off renders nothing and is logged, so an
administrator hiding an entry never breaks a page.
"""

import logging

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

register = template.Library()
log = logging.getLogger(__name__)


def _lookup(context, key):
    contact = context.get("contacts", {}).get(key)
    if contact is None:
        log.warning("Contact %r is missing or inactive in the contact directory", key)
    return contact


@register.simple_tag(takes_context=True)
def contact(context, key, heading_level=3):
    found = _lookup(context, key)
    if found is None:
        return ""
    return render_to_string(
        "directory/contact.html", {"contact": found, "heading_level": heading_level}
    )


@register.simple_tag(takes_context=True)
def contact_phone(context, key):
    found = _lookup(context, key)
    if found is None or not found.phone:
        return ""
    return format_html('<a class="govuk-link" href="{}">{}</a>', found.phone_href, found.phone)


@register.simple_tag(takes_context=True)
def contact_link(context, key, text=""):
    found = _lookup(context, key)
    if found is None or not found.web_address:
        return ""
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>',
        found.web_address, text or found.web_label or found.name,
    )
