from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import navigation


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "council_favicon": settings.COUNCIL_FAVICON,
        "demo_mode": settings.DEMO_MODE,
        "service_navigation": SimpleLazyObject(
            lambda: navigation.service_navigation(request, settings.SERVICE_NAME)
        ),
        "footer": SimpleLazyObject(navigation.footer),
        "council_logo": SimpleLazyObject(navigation.council_logo),
        "phase_banner_html": SimpleLazyObject(lambda: navigation.phase_banner_html(request)),
    }
