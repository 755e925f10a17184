from django import template
from django.conf import settings

from prevent_hub.accounts import selectors
from prevent_hub.core.navigation import in_staff_area

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timeout(context):
    """The idle timeout, for the warning dialog's data attributes and text;
    None except on staff pages for a signed-in user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False) or not in_staff_area(request):
        return None
    return {
        "seconds": settings.SESSION_COOKIE_AGE,
        "warning_seconds": selectors.timeout_warning_seconds(),
        "description": selectors.idle_timeout_description(),
    }
