"""Synthetic demo data. Every name, address and story is invented and obviously so."""

import contextvars
import datetime
import importlib

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import DemoDataLoad

DEMO_VERSION = "1"
# The one password every demo account shares; printed by `make run`.
DEMO_PASSWORD = "prevent-hub-demo"  # noqa: S105 - demo accounts only, refused in production


# Set while the demo loads: what the loader writes through the services (an
# action given at the demo's past meeting, say) must not email its fictional
# people, whatever mail backend the machine has.
_loading = contextvars.ContextVar("demo_loading", default=False)


def demo_loading() -> bool:
    return _loading.get()


def demo_modules():
    """Each app may provide a demo module with load() and, optionally,
    sign_in_help(); they run in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("prevent_hub.") or config.name == __package__:
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        yield module


def demo_data_loaded() -> bool:
    return DemoDataLoad.objects.exists()


@transaction.atomic
def load_demo_data() -> bool:
    """Load every app's demo data once. Returns False if it was already there."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data can only be loaded with DEMO_MODE on.")
    if demo_data_loaded():
        return False
    token = _loading.set(True)
    try:
        for module in demo_modules():
            module.load()
    finally:
        _loading.reset(token)
    DemoDataLoad.objects.create(version=DEMO_VERSION)
    return True


def sign_in_help() -> list[tuple[str, str, str]]:
    """(role, email, password) for each demo account, for `make run` to print."""
    rows = []
    for module in demo_modules():
        if hasattr(module, "sign_in_help"):
            rows.extend(module.sign_in_help())
    return rows


# The day the demo stories were written. Their dates (dates of birth above
# all: "a 15-year-old" must stay 15) are written as on that day and moved on
# by as many days as have passed, so no story breaks as the calendar moves.
WRITTEN_ON = datetime.date(2026, 12, 5)


def as_of_today(day: datetime.date) -> datetime.date:
    """`day`, as written on WRITTEN_ON, moved to keep its distance from today."""
    return day + (timezone.localdate() - WRITTEN_ON)
