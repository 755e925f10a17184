"""System checks (`manage.py check`) for what the core keeps as data."""

from django.core.checks import Warning, register
from django.db import DatabaseError


@register()
def bank_holidays_ahead(app_configs=None, **kwargs):
    from .bank_holidays import bank_holidays_warning

    try:
        problem = bank_holidays_warning()
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    if not problem:
        return []
    return [Warning(problem, hint="Run `manage.py refresh_bank_holidays` (it also runs every month).",
                    id="core.W001")]
