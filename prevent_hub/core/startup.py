"""Last checks before serving requests."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def refuse_unsafe_start():
    """Outside demo mode, refuse a database that holds demo data: synthetic
    accounts with a published password must never reach production."""
    if settings.DEMO_MODE:
        return
    from .demo import demo_data_loaded

    try:
        loaded = demo_data_loaded()
    except DatabaseError:
        return  # not migrated yet; /healthz will say so
    if loaded:
        raise ImproperlyConfigured(
            "This database holds demo data. Production refuses to serve it: "
            "use a fresh database."
        )
