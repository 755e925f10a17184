from django import template

from prevent_hub.core.formatting import govuk_time

register = template.Library()


@register.filter(name="govuk_time")
def govuk_time_filter(value):
    return govuk_time(value)
