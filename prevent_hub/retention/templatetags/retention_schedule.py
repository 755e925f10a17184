from django import template
from django.utils import timezone

from prevent_hub.retention.selectors import policies_in_force

register = template.Library()


@register.simple_tag
def retention_schedule():
    """The policies in force today, for the public privacy notice: what it
    says is what the nightly run does."""
    return policies_in_force(timezone.localdate())
