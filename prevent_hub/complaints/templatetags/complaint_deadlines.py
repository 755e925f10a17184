from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def complaint_deadlines():
    """The working days the council gives itself to acknowledge a complaint
    and to respond to it, from settings: a page that promises them says what
    the deadlines on each complaint will be."""
    return {"acknowledge": settings.COMPLAINT_ACKNOWLEDGE_WORKING_DAYS,
            "respond": settings.COMPLAINT_RESPOND_WORKING_DAYS}
