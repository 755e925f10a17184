"""{% load audit_trail %} — links into the audit screens from other pages."""

from django import template
from django.urls import reverse

from prevent_hub.access import Action, can

register = template.Library()


@register.simple_tag(takes_context=True)
def record_access_url(context, record):
    """The "who has accessed this record" page for `record`, or "" if the
    signed-in user may not see access logs. The page itself also checks that
    they may see the record."""
    request = context.get("request")
    if request is None or record is None or getattr(record, "pk", None) is None:
        return ""
    if not can(request.user, Action.RECORD_ACCESS_LOG):
        return ""
    return reverse("audit:record-access", kwargs={
        "object_type": record._meta.label_lower, "object_id": record.pk})
